/**
 * GET /metrics (issue 13, item 8): Prometheus text format behind METRICS_TOKENS, with ingest, bulk, spool and query
 * figures, against the real service and node.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, TEST_TOKENS, type TestService } from '../service';
import { scrapeMetrics, TEST_METRICS_TOKEN } from './scrape';

const METRICS_TOKEN = TEST_METRICS_TOKEN;
const prefix = uniquePrefix('metrics');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { METRICS_TOKENS: METRICS_TOKEN });
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

const scrape = (s: TestService = svc) => scrapeMetrics(s.url);

describe('GET /metrics', () => {
  it('needs a metrics token: not an ingest or query token', async () => {
    expect((await fetch(`${svc.url}/metrics`)).status).toBe(401);
    expect((await svc.get('/metrics', TEST_TOKENS.query)).status).toBe(401);
    expect((await svc.get('/metrics', TEST_TOKENS.ingest)).status).toBe(401);
    expect((await svc.get('/metrics', METRICS_TOKEN)).status).toBe(200);
  });

  it('is off (404) without METRICS_TOKENS', async () => {
    const off = await startTestService(prefix);
    try {
      expect((await off.get('/metrics', METRICS_TOKEN)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it('counts accepted and rejected records by reason, and times bulk requests', async () => {
    const res = await svc.post('/v1/requests', [record({ id: 'm-0' }), record({ id: 'm-1' }), record({ status: 'x' })]);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 1 });
    await svc.post('/v1/requests', [record({ id: 'm-0' })]); // a duplicate
    const m = await scrape();
    expect(m.get('api_sessions_ingest_records_accepted_total{destination="stored"}')).toBe(2);
    expect(m.get('api_sessions_ingest_records_accepted_total{destination="duplicate"}')).toBe(1);
    expect(m.get('api_sessions_ingest_records_rejected_total{reason="invalid"}')).toBe(1);
    expect(m.get('api_sessions_ingest_requests_total{status="200"}')).toBe(2);
    expect(m.get('api_sessions_bulk_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(m.get('api_sessions_spool_bytes')).toBe(0);
    expect(m.has('process_resident_memory_bytes')).toBe(true);
  });

  it('times queries per type and counts those in flight', async () => {
    expect((await svc.post('/v1/query', { queryType: 'sessions' })).status).toBe(200);
    expect((await svc.post('/v1/query', { queryType: 'breakdown', by: 'status' })).status).toBe(200);
    expect((await svc.post('/v1/query', { queryType: 'no-such-type' })).status).toBe(400);
    const m = await scrape();
    expect(m.get('api_sessions_query_duration_seconds_count{query_type="sessions",status="200"}')).toBe(1);
    expect(m.get('api_sessions_query_duration_seconds_count{query_type="breakdown",status="200"}')).toBe(1);
    expect(m.get('api_sessions_query_duration_seconds_count{query_type="unknown",status="400"}')).toBe(1);
    expect(m.get('api_sessions_queries_in_flight')).toBe(0);
  });

  it('documents every metric it exposes in docs/operations.md', async () => {
    const res = await fetch(`${svc.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const names = [...(await res.text()).matchAll(/^# TYPE (api_sessions_\w+) /gm)].map((m) => m[1]);
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/operations.md'), 'utf8');
    expect(names.length).toBeGreaterThan(8);
    expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});
