/**
 * Two deployments sharing a cluster (issue 13, item 7): index template, ISM policy and every index pattern come from
 * INDEX_PREFIX and never overlap, even for prefixes `api` and `api-requests-x` (whose daily indices
 * `api-requests-x-requests-…` the old pattern `api-requests-*` of `api` matched).
 */
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, type TestService } from '../service';
import { deleteExpiredIndices } from '../../src/storage/retention';
import { requestIndexPattern, templateName } from '../../src/storage/indices';

const client = testClient();
const api = uniquePrefix('pfx'); // plays `api`
const other = `${api}-requests-x`; // plays `api-requests-x`
let services: TestService[] = [];

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await deletePrefix(client, other);
  await deletePrefix(client, api);
  await client.close();
});

describe('prefixes side by side on one cluster', () => {
  it('installs both templates, stores each record under its own prefix, and keeps readiness and retention apart', async () => {
    services = [await startTestService(api), await startTestService(other)];
    const [a, b] = services;
    for (const [svc, id] of [
      [a, 'pfx-a'],
      [b, 'pfx-b'],
    ] as const) {
      const res = await svc.post('/v1/requests', record({ id }));
      expect([res.status, res.json.accepted]).toEqual([200, 1]);
    }
    // Each daily index gets the template of its own prefix.
    const day = new Date(Date.now() - 60_000).toISOString().slice(0, 10).replace(/-/g, '.');
    for (const prefix of [api, other]) {
      const sim = await client.transport.request({
        method: 'POST',
        path: `/_index_template/_simulate_index/${prefix}-requests-${day}`,
      });
      expect((sim.body as { overlapping?: unknown[] }).overlapping ?? []).toEqual([]);
      const tpl = await client.indices.getIndexTemplate({ name: templateName(prefix) });
      expect((tpl.body as any).index_templates[0].index_template.index_patterns).toEqual([requestIndexPattern(prefix)]);
    }
    await client.indices.refresh({ index: `${api}-*` });
    const ready = await Promise.all([a.get('/readyz'), b.get('/readyz')]);
    expect(ready.map((r) => [r.status, r.json.template, r.json.requests_24h])).toEqual([
      [200, true, 1],
      [200, true, 1],
    ]);
    // Retention of `api` (everything expired, a year from now) deletes only its own indices.
    const deleted = await deleteExpiredIndices(client, api, Date.now() + 365 * 86_400_000, 1);
    expect(deleted).toEqual([`${api}-requests-${day}`]);
    const left = await client.cat.indices({ index: `${other}-requests-*`, format: 'json', h: 'index' } as never);
    expect((left.body as { index: string }[]).map((i) => i.index)).toEqual([`${other}-requests-${day}`]);
  });
});
