import { exactSearchParams, createOpenSearchClient, type TransportParams } from './client';

describe('exactSearchParams', () => {
  it('asks every _search not to return partial results', () => {
    expect(
      exactSearchParams({ method: 'POST', path: '/a-*/_search', querystring: { ignore_unavailable: true } }),
    ).toEqual({
      method: 'POST',
      path: '/a-*/_search',
      querystring: { ignore_unavailable: true, allow_partial_search_results: false },
    });
    expect(exactSearchParams({ method: 'GET', path: '/_search' } as TransportParams).querystring).toEqual({
      allow_partial_search_results: false,
    });
    expect(exactSearchParams({ method: 'GET', path: '/_search', querystring: 'size=0' }).querystring).toBe(
      'size=0&allow_partial_search_results=false',
    );
  });
  it('keeps an explicit choice and leaves other requests alone', () => {
    const explicit = { method: 'POST', path: '/x/_search', querystring: { allow_partial_search_results: true } };
    expect(exactSearchParams(explicit)).toBe(explicit);
    const asString = { method: 'POST', path: '/x/_search', querystring: 'allow_partial_search_results=true' };
    expect(exactSearchParams(asString)).toBe(asString);
    for (const path of ['/_bulk', '/x/_count', '/_search/scroll', '/x/_msearch', '/_cluster/health']) {
      const p = { method: 'POST', path, querystring: {} };
      expect(exactSearchParams(p)).toBe(p);
    }
  });
});

describe('createOpenSearchClient', () => {
  const client = (urls: string[]) => createOpenSearchClient({ opensearch: { urls } });
  it('has one connection and no retries for one node', async () => {
    const c = client(['http://127.0.0.1:9']);
    expect(c.connectionPool.size).toBe(1);
    expect((c.transport as unknown as { maxRetries: number }).maxRetries).toBe(0);
    await c.close();
  });
  it('spreads over every node, retrying a failed request on each other node once', async () => {
    const c = client(['http://127.0.0.1:9', 'http://127.0.0.1:10', 'http://127.0.0.1:11']);
    expect(c.connectionPool.size).toBe(3);
    expect((c.transport as unknown as { maxRetries: number }).maxRetries).toBe(2);
    await c.close();
  });
});
