import { gzipSync } from 'node:zlib';
import { createHmac } from 'node:crypto';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, storedDocs, TEST_SESSION_SECRET, TEST_TOKENS, type TestService } from '../service';

const prefix = uniquePrefix('ingest');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { MAX_BODY_BYTES: String(12 * 1024 * 1024) });
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

describe('POST /v1/requests against the real node', () => {
  it('stores one JSON record in the daily index with _id = id, once even when sent twice', async () => {
    const r = record({ id: 'req-one', ts: Date.now() - 5000 });
    for (let i = 0; i < 2; i++) {
      const res = await svc.post('/v1/requests', r);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ accepted: 1, rejected: 0, errors: [] });
    }
    const docs = await storedDocs(svc.client, prefix, 'req-one');
    expect(docs).toHaveLength(1);
    const day = new Date(r.ts as number).toISOString().slice(0, 10).replace(/-/g, '.');
    expect(docs[0]).toMatchObject({
      _id: 'req-one',
      _index: `${prefix}-requests-${day}`,
      endpoint: '/api/v1/items/{int}',
      status_class: '2xx',
    });
  });

  it('accepts a mixed array: stores the valid records, lists each invalid one by index and field', async () => {
    const res = await svc.post('/v1/requests', [
      record({ id: 'mix-0' }),
      record({ id: 'mix-1', status: 'ok' }),
      record({ id: 'mix-2', method: undefined }),
      record({ id: 'mix-3' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.json.accepted).toBe(2);
    expect(res.json.rejected).toBe(2);
    expect(res.json.errors).toEqual([
      { index: 1, field: 'status', message: expect.any(String) },
      { index: 2, field: 'method', message: expect.any(String) },
    ]);
    const ids = (await storedDocs(svc.client, prefix, 'mix-')).map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['mix-0', 'mix-3']));
    expect(ids).not.toContain('mix-1');
  });

  it('takes gzip-encoded NDJSON, with a bad line rejected by its line index', async () => {
    const lines = [JSON.stringify(record({ id: 'nd-0' })), '{broken', JSON.stringify(record({ id: 'nd-2' }))].join(
      '\n',
    );
    const res = await svc.post('/v1/requests', null, {
      raw: gzipSync(lines),
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 1, field: '(record)' }] });
  });

  it('answers 400 with the error list when nothing is usable', async () => {
    const res = await svc.post('/v1/requests', [record({ ts: 'x' }), {}]);
    expect(res.status).toBe(400);
    expect(res.json.accepted).toBe(0);
    expect(res.json.rejected).toBeGreaterThanOrEqual(2);
    expect(res.json.errors[0]).toMatchObject({ index: 0, field: 'ts' });
    expect(res.json.error.code).toBe('invalid_body');
  });

  it('separates token scopes and never says why a token failed', async () => {
    expect((await svc.post('/v1/requests', record(), { token: '' })).status).toBe(401);
    const wrongScope = await svc.post('/v1/requests', record(), { token: TEST_TOKENS.query });
    expect(wrongScope.status).toBe(401);
    expect(wrongScope.json.error.message).toBe('missing or invalid bearer token');
    expect(
      (await svc.post('/v1/query', { queryType: 'sessions', from: 0, to: 1 }, { token: TEST_TOKENS.ingest })).status,
    ).toBe(401);
    expect((await svc.get('/readyz', '')).status).toBe(401);
  });

  it.each([
    ['non-JSON', 'hello', {}, 400, /not valid JSON/],
    ['broken gzip', Buffer.from('nope'), { 'content-encoding': 'gzip' }, 400, /gzip/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), {}, 400, /UTF-8/],
    ['empty body', '', {}, 400, /empty/],
    ['an unsupported type', 'a,b', { 'content-type': 'text/csv' }, 415, /Content-Type/],
    ['an unsupported encoding', 'x', { 'content-encoding': 'br' }, 415, /Content-Encoding/],
  ])('answers %s with a clear error', async (_name, raw, headers, status, message) => {
    const res = await svc.post('/v1/requests', null, {
      raw: raw as string,
      headers: headers as Record<string, string>,
    });
    expect(res.status).toBe(status);
    expect(res.json.error.message).toMatch(message);
  });

  it('answers 413 for a body over the limit, also after decompression (gzip bomb)', async () => {
    const big = await svc.post('/v1/requests', null, { raw: Buffer.alloc(13 * 1024 * 1024, 0x20) });
    expect(big.status).toBe(413);
    const bomb = await svc.post('/v1/requests', null, {
      raw: gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(bomb.status).toBe(413);
    expect(bomb.json.error.code).toBe('payload_too_large');
  });

  it('survives hostile shapes: deep nesting, __proto__ keys, 1 MB strings, huge numbers', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const nested = await svc.post('/v1/requests', null, { raw: deep });
    expect(nested.status).toBe(400);
    const proto = await svc.post('/v1/requests', null, {
      raw: JSON.stringify(record({ id: 'proto-1' })).replace(
        '{',
        '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},',
      ),
    });
    expect(proto.status).toBe(200);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const huge = await svc.post('/v1/requests', [
      record({ path: '/' + 'a'.repeat(1_000_000) }),
      record({ status: 1e308 }),
      record({ duration_ms: -1 }),
    ]);
    expect(huge.status).toBe(400);
    expect([...new Set(huge.json.errors.map((e: { field: string }) => e.field))]).toEqual([
      'path',
      'status',
      'duration_ms',
    ]);
    const nan = await svc.post('/v1/requests', null, { raw: '{"ts":NaN}' });
    expect(nan.status).toBe(400);
  });

  it('takes a 100,000-record body', async () => {
    const now = Date.now() - 120_000;
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++)
      lines.push(
        `{"id":"bulk-${i}","ts":${now + (i % 1000)},"host":"h","method":"GET","path":"/p/${i % 50}","status":200,"client_ip":"10.1.${i % 250}.1"}`,
      );
    const res = await svc.post('/v1/requests', null, {
      raw: lines.join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 100_000, rejected: 0, errors: [] });
    await svc.client.indices.refresh({ index: `${prefix}-requests-*` });
    const count = await svc.client.count({
      index: `${prefix}-requests-*`,
      body: { query: { prefix: { id: 'bulk-' } } },
    } as never);
    expect((count.body as { count: number }).count).toBe(100_000);
  }, 120_000);

  it('never stores or logs raw identifiers (token, cookie, query value)', async () => {
    const secretToken = 'SeCrEt-ToKeN-4f9a1c77d2';
    const secretCookie = 'CoOkIe-VaLuE-8b3e5a0c19';
    const secretQuery = 'QuErY-VaLuE-77aa11';
    const res = await svc.post('/v1/requests', [
      record({
        id: 'secret-1',
        path: `/login?token=${secretQuery}`,
        identifiers: {
          headers: { authorization: `Bearer ${secretToken}`, cookie: `PHPSESSID=${secretCookie}` },
          response: { 'x-auth-token': secretToken },
        },
      }),
      record({ id: 'secret-2', identifiers: { cookies: { PHPSESSID: secretCookie } }, status: 'bad' }),
    ]);
    expect(res.status).toBe(200);
    const everything = JSON.stringify(await storedDocs(svc.client, prefix, 'secret-'));
    const logs = svc.logs.join('\n');
    for (const secret of [secretToken, secretCookie, secretQuery]) {
      expect(everything).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(JSON.stringify(res.json)).not.toContain(secret);
    }
    const doc = (await storedDocs(svc.client, prefix, 'secret-'))[0];
    // Built-in order: session cookies come before token headers.
    expect(doc.session).toEqual({
      key: createHmac('sha256', TEST_SESSION_SECRET).update(secretCookie).digest('hex'),
      key_source: 'cookie:PHPSESSID',
    });
    expect(doc.query_params).toEqual(['token']);
  });

  it('removes path parameters such as ;jsessionid= from path and endpoint, keying the session on it (issue 13)', async () => {
    const planted = 'JsEsSiOn-5e8c1d2a9f77';
    const res = await svc.post('/v1/requests', [
      record({ id: 'pp-1', path: `/shop;jsessionid=${planted}/cart;v=2?page=1` }),
      record({ id: 'pp-2', path: '/shop/cart', endpoint: `/shop;jsessionid=${planted}/{item}` }),
    ]);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 0 });
    const docs = await storedDocs(svc.client, prefix, 'pp-');
    expect(JSON.stringify(docs)).not.toContain(planted);
    expect(svc.logs.join('\n')).not.toContain(planted);
    expect(docs.map((d) => [d.path, d.endpoint])).toEqual([
      ['/shop/cart', '/shop/cart'],
      ['/shop/cart', '/shop/{item}'],
    ]);
    // Tomcat's URL rewriting carries the JSESSIONID cookie in the path: the same session either way.
    expect(docs[0].session).toEqual({
      key: createHmac('sha256', TEST_SESSION_SECRET).update(planted).digest('hex'),
      key_source: 'cookie:JSESSIONID',
    });
  });

  it('links a login response token to the later requests that carry it', async () => {
    const token = 'login-token-abcdef123456';
    await svc.post('/v1/requests', [
      record({
        id: 'flow-login',
        method: 'POST',
        path: '/api/v1/login',
        identifiers: { response: { 'x-auth-token': token } },
      }),
      record({ id: 'flow-next', identifiers: { headers: { 'x-auth-token': token } } }),
    ]);
    const docs = await storedDocs(svc.client, prefix, 'flow-');
    expect(docs).toHaveLength(2);
    expect(docs[0].session.key).toBe(docs[1].session.key);
  });

  it('serves /healthz without a token, /readyz and /v1/openapi.json with one', async () => {
    expect(await svc.get('/healthz', '')).toEqual({ status: 200, json: { status: 'ok' } });
    const ready = await svc.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ok', template: true });
    expect(ready.json.requests_24h).toBeGreaterThan(0);
    const spec = await svc.get('/v1/openapi.json');
    expect(spec.json.openapi).toBe('3.1.0');
    expect(Object.keys(spec.json.paths)).toEqual(expect.arrayContaining(['/v1/requests', '/v1/query']));
    expect(spec.json.components.schemas.Record.required).toEqual(
      expect.arrayContaining(['ts', 'host', 'method', 'path', 'status', 'client_ip']),
    );
  });
});
