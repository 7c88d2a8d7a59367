/**
 * Honest answers and an honest spool (issue 13, item 3), against the real node behind a fault proxy:
 * only transport errors, 429 and 5xx are spooled; permanent failures are answered `rejected` and never acknowledged
 * as stored; a body half stored when storage failed is answered per record; the spool moves aside what OpenSearch
 * (or the disk) will never take, and logs what replay rejects.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { record, startTestService, storedDocs, type TestService } from '../service';
import { bulkNumber, startFaultProxy, templateInstall, type FaultProxy } from './fault-proxy';
import { scrapeMetrics, TEST_METRICS_TOKEN } from '../metrics/scrape';

jest.setTimeout(120_000);

const client = testClient();
const prefixes: string[] = [];
const dirs: string[] = [];
let proxy: FaultProxy;
let svc: TestService | undefined;

beforeEach(async () => {
  proxy = await startFaultProxy(testOpenSearchUrl());
});
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
  await proxy.close();
});
afterAll(async () => {
  for (const p of prefixes) await deletePrefix(client, p);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await client.close();
});

/** A service on a fresh prefix through the proxy, batches of 10 documents, with a spool when asked. */
async function service(opts: { spool?: boolean } = {}): Promise<{ svc: TestService; prefix: string; dir?: string }> {
  const prefix = uniquePrefix('honest');
  prefixes.push(prefix);
  const dir = opts.spool ? mkdtempSync(path.join(tmpdir(), 'spool-')) : undefined;
  if (dir) dirs.push(dir);
  svc = await startTestService(prefix, {
    OPENSEARCH_URL: proxy.url,
    BULK_BATCH_DOCS: '10',
    METRICS_TOKENS: TEST_METRICS_TOKEN,
    ...(dir ? { SPOOL_DIR: dir } : {}),
  });
  return { svc, prefix, dir };
}

const records = (tag: string, n: number) => Array.from({ length: n }, (_, i) => record({ id: `${tag}-${i}` }));
const ids = (docs: { id: string }[]) => docs.map((d) => d.id).sort();
const segments = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('seg-') && !n.endsWith('.tmp'));
const spooledLines = (dir: string) =>
  segments(dir).flatMap((n) => readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('ingest answers', () => {
  it('answers per record when the first bulk was stored and the second got 503 (no spool)', async () => {
    const { svc, prefix } = await service();
    proxy.rules.push({ match: bulkNumber(2), answer: { status: 503 } });
    const res = await svc.post('/v1/requests', records('half', 20));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.json).toMatchObject({
      error: { code: 'storage_unavailable' },
      accepted: 10,
      rejected: 0,
      not_stored: 10,
    });
    expect(res.json.errors.map((e: { index: number; retry: boolean }) => [e.index, e.retry])).toEqual(
      Array.from({ length: 10 }, (_, i) => [10 + i, true]),
    );
    expect(ids(await storedDocs(client, prefix))).toEqual(ids(records('half', 10) as { id: string }[]));
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_ingest_records_accepted_total{destination="stored"}')).toBe(10);
    expect(m.get('api_sessions_ingest_records_not_stored_total')).toBe(10);
    expect(m.get('api_sessions_ingest_requests_total{status="503"}')).toBe(1);
    expect(m.get('api_sessions_bulk_duration_seconds_count{outcome="retryable"}')).toBe(6);
  });

  it('spools only the records not stored, acknowledges them, and replays them (spool)', async () => {
    const { svc, prefix, dir } = await service({ spool: true });
    proxy.rules.push({ match: bulkNumber(2, 7), answer: { status: 503 } }); // the 2nd bulk and its 5 retries
    const res = await svc.post('/v1/requests', records('spooled', 20));
    expect(res.json).toEqual({ accepted: 20, rejected: 0, errors: [] });
    expect(spooledLines(dir!).map((l) => JSON.parse(l).id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `spooled-${10 + i}`),
    );
    const before = await scrapeMetrics(svc.url);
    expect(before.get('api_sessions_ingest_records_accepted_total{destination="spooled"}')).toBe(10);
    expect(before.get('api_sessions_spool_segments')).toBe(1);
    expect(before.get('api_sessions_spool_bytes')).toBeGreaterThan(0);
    await until('the spool is replayed', () => segments(dir!).length === 0);
    expect(ids(await storedDocs(client, prefix))).toEqual(ids(records('spooled', 20) as { id: string }[]));
    const after = await scrapeMetrics(svc.url);
    expect(after.get('api_sessions_spool_replay_records_total{outcome="stored"}')).toBe(10);
    expect([after.get('api_sessions_spool_segments'), after.get('api_sessions_spool_bytes')]).toEqual([0, 0]);
  });

  it('spools the records of a bulk that gets no answer (transport error), also after the template is installed', async () => {
    const { svc, prefix, dir } = await service({ spool: true });
    expect((await svc.post('/v1/requests', records('before', 2))).json).toMatchObject({ accepted: 2 });
    proxy.down = true; // connections reset: the client's ConnectionError carries statusCode null
    expect((await svc.post('/v1/requests', records('during', 3))).json).toEqual({
      accepted: 3,
      rejected: 0,
      errors: [],
    });
    expect(spooledLines(dir!)).toHaveLength(3);
    proxy.down = false;
    await until('the spool is replayed', () => segments(dir!).length === 0);
    expect(ids(await storedDocs(client, prefix))).toEqual(
      ids([...records('before', 2), ...records('during', 3)] as { id: string }[]),
    );
  });

  it('answers rejected, and spools nothing, when OpenSearch refuses a whole bulk with a 4xx', async () => {
    const { svc, dir } = await service({ spool: true });
    proxy.rules.push({
      match: bulkNumber(1),
      answer: { status: 400, type: 'illegal_argument_exception', reason: 'bulk refused' },
    });
    const res = await svc.post('/v1/requests', records('refused', 3));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ accepted: 0, rejected: 3, error: { code: 'records_rejected' } });
    expect(res.json.errors[0]).toMatchObject({ index: 0, field: '(record)' });
    expect(res.json.errors[0].message).toContain('illegal_argument_exception');
    expect(spooledLines(dir!)).toEqual([]);
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_ingest_records_rejected_total{reason="storage_refused"}')).toBe(3);
    expect(m.get('api_sessions_bulk_duration_seconds_count{outcome="refused"}')).toBe(1);
  });

  it('answers rejected, and spools nothing, when the index template is refused; accepts once it installs', async () => {
    const { svc, dir } = await service({ spool: true });
    proxy.rules.push({ match: templateInstall, answer: { status: 403, type: 'security_exception', reason: 'no' } });
    const res = await svc.post('/v1/requests', records('tpl', 2));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ accepted: 0, rejected: 2, error: { code: 'records_rejected' } });
    expect(res.json.errors[0].message).toMatch(/refused the index template: security_exception/);
    expect(spooledLines(dir!)).toEqual([]);
    proxy.rules.length = 0;
    expect((await svc.post('/v1/requests', records('tpl', 2))).json).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('answers a mapping error rejected and never spools it', async () => {
    const { svc, prefix, dir } = await service({ spool: true });
    const day = new Date(Date.now() - 60_000).toISOString().slice(0, 10).replace(/-/g, '.');
    await client.indices.create({
      index: `${prefix}-requests-${day}`,
      body: { mappings: { properties: { host: { type: 'long' } } } },
    } as never);
    const res = await svc.post('/v1/requests', [record({ id: 'map-0' }), record({ id: 'map-1', host: '12' })]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 0, field: '(record)' }] });
    expect(res.json.errors[0].message).toContain('mapper_parsing_exception');
    expect(spooledLines(dir!)).toEqual([]);
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_ingest_records_rejected_total{reason="storage_rejected"}')).toBe(1);
  });
});

describe('spool replay', () => {
  it('moves a corrupt segment aside, logs it, and still replays the segments after it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'seg-0000000000000000.ndjson'), '{"broken\n\u0000\u0001 not json\n');
    proxy.down = true;
    const prefix = uniquePrefix('corrupt');
    prefixes.push(prefix);
    svc = await startTestService(prefix, {
      OPENSEARCH_URL: proxy.url,
      SPOOL_DIR: dir,
      METRICS_TOKENS: TEST_METRICS_TOKEN,
    });
    expect((await svc.post('/v1/requests', records('after-corrupt', 3))).json).toMatchObject({ accepted: 3 });
    await until('a replay run waited for the node', async () => {
      const m = await scrapeMetrics(svc!.url);
      return (m.get('api_sessions_spool_replay_errors_total') ?? 0) > 0;
    });
    proxy.down = false;
    await until('the spool is empty', () => segments(dir).length === 0);
    expect(ids(await storedDocs(client, prefix))).toEqual(ids(records('after-corrupt', 3) as { id: string }[]));
    expect(readdirSync(path.join(dir, 'quarantine'))).toEqual(['seg-0000000000000000.ndjson']);
    const logged = svc.logs.join('\n');
    expect(logged).toContain('moved a spool segment aside');
    expect(logged).toContain('"unreadableLines":2');
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_spool_quarantined_segments_total{why="unreadable"}')).toBe(1);
  });

  it('moves a group OpenSearch refuses for good aside instead of retrying it forever', async () => {
    const { svc, dir } = await service({ spool: true });
    proxy.down = true;
    expect((await svc.post('/v1/requests', records('group', 4))).json).toMatchObject({ accepted: 4 });
    proxy.rules.push({ match: bulkNumber(1), answer: { status: 413, type: 'content_too_long', reason: 'too big' } });
    proxy.down = false;
    await until('the group is moved aside', () => segments(dir!).length === 0);
    expect(readdirSync(path.join(dir!, 'quarantine'))).toHaveLength(1);
    expect(svc.logs.join('\n')).toContain('OpenSearch refused spooled records for good; moved their segments aside');
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_spool_quarantined_segments_total{why="refused"}')).toBe(1);
    expect(m.get('api_sessions_spool_replay_records_total{outcome="refused"}')).toBe(4);
  });

  it('logs the records OpenSearch rejects during replay, and stores the others', async () => {
    const { svc, prefix, dir } = await service({ spool: true });
    proxy.down = true;
    expect(
      (await svc.post('/v1/requests', [record({ id: 'rp-0' }), record({ id: 'rp-1', host: '7' })])).json,
    ).toMatchObject({ accepted: 2 });
    const day = new Date(Date.now() - 60_000).toISOString().slice(0, 10).replace(/-/g, '.');
    await client.indices.create({
      index: `${prefix}-requests-${day}`,
      body: { mappings: { properties: { host: { type: 'long' } } } },
    } as never);
    proxy.down = false;
    await until('the spool is replayed', () => segments(dir!).length === 0);
    expect(ids(await storedDocs(client, prefix))).toEqual(['rp-1']);
    const line = svc.logs.find((l) => l.includes('records rejected during spool replay'));
    expect(line).toBeDefined();
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_spool_replay_records_total{outcome="rejected"}')).toBe(1);
    expect(m.get('api_sessions_spool_replay_records_total{outcome="stored"}')).toBe(1);
    expect(JSON.parse(line!)).toMatchObject({
      rejected: 1,
      reasons: [expect.stringContaining('mapper_parsing_exception')],
    });
  });
});
