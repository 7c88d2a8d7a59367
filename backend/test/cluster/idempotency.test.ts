/**
 * Ingest idempotency across shards: records sent again — to the same instance or to another one — are stored once,
 * in the daily index of their day, with `_id` = their id, on a 3-node cluster whose daily indices have 3 shards and
 * 1 replica. (The node-loss test checks the same under failover, where bulks are retried on another node.)
 */
import type { Client } from '@opensearch-project/opensearch';
import { deletePrefix, testClient, testIndexLayout, uniquePrefix } from '../opensearch';
import { record, startTestService, type TestService } from '../service';
import { duplicateIds } from '../stored';

const prefix = uniquePrefix('cluster-idem');
let a: TestService;
let b: TestService;
let client: Client;

beforeAll(async () => {
  client = testClient();
  [a, b] = [await startTestService(prefix), await startTestService(prefix)];
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

const DAY = 86_400_000;
const now = Date.now();
// 3,000 records over three days (three daily indices), 1,000 per day
const records = Array.from({ length: 3000 }, (_, i) =>
  record({ id: `idem-${i}`, ts: now - (i % 3) * DAY - 60_000 - i, client_ip: `198.51.100.${i % 50}` }),
);

async function post(svc: TestService, batch: Record<string, unknown>[]): Promise<void> {
  const res = await svc.post('/v1/requests', batch);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ accepted: batch.length, rejected: 0, errors: [] });
}

it('stores every record once when batches are sent again, to the same or to another instance', async () => {
  for (let i = 0; i < records.length; i += 500) await post(a, records.slice(i, i + 500));
  for (let i = 0; i < records.length; i += 500) await post(a, records.slice(i, i + 500)); // again, same instance
  for (let i = 250; i < records.length; i += 700) await post(b, records.slice(i, i + 700)); // overlapping, other one
  await post(b, [...records].reverse().slice(0, 1000));

  await client.indices.refresh({ index: `${prefix}-requests-*` } as never);
  const count = await client.count({ index: `${prefix}-requests-*` } as never);
  expect((count.body as { count: number }).count).toBe(records.length);
  expect(await duplicateIds(client, prefix)).toEqual([]);

  // each day's index has the test layout (3 shards, 1 replica) and holds that day's 1,000 records
  const indices = await client.cat.indices({
    index: `${prefix}-requests-*`,
    format: 'json',
    h: 'index,pri,rep,docs.count',
  } as never);
  const rows = (indices.body as { index: string; pri: string; rep: string; 'docs.count': string }[]).sort((x, y) =>
    x.index.localeCompare(y.index),
  );
  const days = new Set(records.map((r) => new Date(r.ts as number).toISOString().slice(0, 10).replace(/-/g, '.')));
  expect(rows.map((r) => r.index)).toEqual([...days].sort().map((d) => `${prefix}-requests-${d}`));
  const layout = testIndexLayout();
  for (const r of rows) expect([Number(r.pri), Number(r.rep)]).toEqual([layout.indexShards, layout.indexReplicas]);
  expect(rows.reduce((n, r) => n + Number(r['docs.count']), 0)).toBe(records.length);

  // and _id is the record's id
  const hit = await client.search({
    index: `${prefix}-requests-*`,
    body: { query: { ids: { values: ['idem-0', 'idem-1', 'idem-2'] } } },
  } as never);
  expect(((hit.body as any).hits.hits as { _id: string }[]).map((h) => h._id).sort()).toEqual([
    'idem-0',
    'idem-1',
    'idem-2',
  ]);
});
