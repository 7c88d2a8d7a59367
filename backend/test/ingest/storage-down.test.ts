import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, storedDocs } from '../service';

const prefix = uniquePrefix('down');

afterAll(async () => {
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

describe('when OpenSearch is unreachable', () => {
  it('answers 503 with Retry-After, and the same body posted later is stored exactly once', async () => {
    // A service pointed at a closed port: the node is "down" for it.
    const down = await startTestService(prefix, { OPENSEARCH_URL: 'http://127.0.0.1:9' });
    const body = [record({ id: 'retry-a' }), record({ id: 'retry-b' }), record({ path: '/no-id' })];
    const res = await down.post('/v1/requests', body);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.json.error.code).toBe('storage_unavailable');
    const ready = await down.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json.opensearch).toBe('unreachable');
    await down.stop();

    const up = await startTestService(prefix);
    for (let i = 0; i < 2; i++)
      expect((await up.post('/v1/requests', body)).json).toMatchObject({ accepted: 3, rejected: 0 });
    const docs = await storedDocs(up.client, prefix);
    expect(docs).toHaveLength(3);
    await up.stop();
  });
});
