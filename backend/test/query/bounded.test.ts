/**
 * Bounded sessions against the real node and the real service process (issue 12):
 * - 300,000+ requests from 100,000+ session keys over 7 days; the 1-minute-idle, 7-day session list sorted by
 *   requests answers exact rows with an exact or flagged total (or 400 query_too_broad) while the service's RSS
 *   grows by at most 100 MB (peak from /proc, reset before the query);
 * - a client that disconnects mid-query leaves no search of ours in OpenSearch's `_tasks` 5 s later;
 * - a query past its time limit answers 504 query_timeout and its searches are gone as well.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { comparePartsBy, type SessionPart } from '../../src/session/grouping';
import { TopN } from '../../src/query/top-n';
import { indexForTime } from '../../src/storage/indices';
import { installTemplate } from '../../src/storage/template';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { peakRssBytes, resetPeakRss, rssBytes, spawnService, type ServiceProcess } from '../service-process';
import { readJsonOrText, TEST_TOKENS, testServiceEnv } from '../service';
import { DAY, MIN, makeRequest, rng, rows } from './fixtures';

jest.setTimeout(900_000);

const KEYS = 110_000;
const MAX_GROWTH = 100 * 1024 * 1024;
const IDLE = MIN;
const client: Client = testClient();
const prefix = uniquePrefix('query-bounded');
const end = Date.now() - MIN;
const from = end - 7 * DAY + 30 * MIN;
let svc: ServiceProcess;
let requests = 0;
let parts = 0;
const top = new TopN<SessionPart>(100, comparePartsBy('requests'));

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const log = (s: string) => process.stdout.write(`[bounded] ${s}\n`);

/**
 * Writes the dataset key by key (no copy kept): 1–5 requests per key at random gaps of 10 s – 3 min, some keys
 * returning hours later. The expected answer (parts with a 1-minute idle timeout, split by day) is computed on
 * the way: their count and the top 100 by requests.
 */
async function load(): Promise<void> {
  await installTemplate(client, { indexPrefix: prefix, indexReplicas: 0, indexShards: 1 });
  const r = rng(12);
  let batch: object[] = [];
  const flush = async () => {
    const res = await client.bulk({ body: batch, refresh: false } as never);
    if ((res.body as { errors: boolean }).errors) throw new Error('bulk failed');
    batch = [];
  };
  for (let k = 0; k < KEYS; k++) {
    const key = createHash('sha256').update(`bounded-${k}`).digest('hex');
    let t = from + Math.floor(r() * (7 * DAY - 2 * 3600_000));
    const n = 1 + Math.floor(r() * (k % 50 === 0 ? 40 : 5));
    const times: number[] = [];
    for (let i = 0; i < n && t < end; i++) {
      times.push(t);
      t += r() < 0.9 ? 10_000 + Math.floor(r() * 170_000) : 3600_000 + Math.floor(r() * 6 * 3600_000);
    }
    for (const ts of times) {
      const doc = makeRequest(key, ts, { id: `b${k}-${ts}` });
      batch.push({ create: { _index: indexForTime(prefix, ts), _id: doc.id } }, doc);
    }
    requests += times.length;
    expectParts(key, times);
    if (batch.length >= 10_000) await flush();
  }
  if (batch.length) await flush();
  await client.indices.refresh({ index: `${prefix}-requests-*` });
}

/** The reference grouping of one key's sorted request times (gap ≥ 1 min or a new UTC day splits). */
function expectParts(key: string, times: number[]): void {
  let start = times[0];
  let count = 0;
  const close = (last: number) => {
    parts++;
    top.offer({ key, start, end: last, requests: count } as SessionPart);
  };
  times.forEach((ts, i) => {
    const prev = times[i - 1];
    if (i > 0 && (ts - prev >= IDLE || Math.floor(ts / DAY) !== Math.floor(prev / DAY))) {
      close(prev);
      start = ts;
      count = 0;
    }
    count++;
  });
  if (times.length) close(times[times.length - 1]);
}

const heavy = { queryType: 'sessions', from, to: end + MIN, idle_timeout_minutes: 1, sort: 'requests', limit: 100 };

function query(body: unknown, opts: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  return fetch(`${svc.url}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.query}`, ...opts.headers },
    body: JSON.stringify(body),
    signal: opts.signal,
  });
}

/** Our search tasks running in OpenSearch now (parent and shard tasks name the indices). */
async function ourSearches(): Promise<number> {
  const res = await client.tasks.list({ actions: '*search*', detailed: true } as never);
  const nodes = (res.body as { nodes?: Record<string, { tasks: Record<string, { description?: string }> }> }).nodes;
  let n = 0;
  for (const node of Object.values(nodes ?? {}))
    for (const task of Object.values(node.tasks)) if (task.description?.includes(prefix)) n++;
  return n;
}

async function waitFor(cond: () => Promise<boolean>, ms: number, stepMs = 50): Promise<number> {
  const started = Date.now();
  while (!(await cond())) {
    if (Date.now() - started > ms) return -1;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return Date.now() - started;
}

beforeAll(async () => {
  const t = Date.now();
  await load();
  log(
    `loaded ${requests.toLocaleString()} requests, ${KEYS.toLocaleString()} keys, ${parts} parts in ${((Date.now() - t) / 1000).toFixed(0)} s`,
  );
  // A long time limit: on a busy machine the big query may take a while, and this test is about its memory.
  svc = await spawnService(
    testServiceEnv(prefix, { LOG_LEVEL: 'warn', RETENTION_DAYS: '8', QUERY_TIMEOUT_MS: '600000' }),
  );
});
afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

test('the 1-minute, 7-day list sorted by requests: exact rows and total, service RSS growth ≤ 100 MB', async () => {
  expect(requests).toBeGreaterThanOrEqual(300_000);
  // A first small query loads the code paths, so the measurement is the big query's own memory.
  expect((await query({ queryType: 'sessions', limit: 5 })).status).toBe(200);
  const before = rssBytes(svc.pid);
  const precise = resetPeakRss(svc.pid);
  const t = Date.now();
  const res = await query(heavy);
  const json = await readJsonOrText(res);
  const growth = (precise ? peakRssBytes(svc.pid) : Math.max(peakRssBytes(svc.pid), rssBytes(svc.pid))) - before;
  log(
    `answer ${res.status} in ${Date.now() - t} ms; RSS before ${mb(before)}, growth ${mb(growth)} (peak reset: ${precise})`,
  );
  expect(growth).toBeLessThanOrEqual(MAX_GROWTH);
  if (res.status === 400) {
    expect(json.error.code).toBe('query_too_broad');
    return;
  }
  expect(res.status).toBe(200);
  const frame = json.frames[0];
  const custom = frame.schema.meta.custom;
  if (custom.total_is_estimate) expect(Math.abs(custom.total - parts)).toBeLessThanOrEqual(2 * custom.total_error);
  else expect(custom.total).toBe(parts);
  expect(rows(frame).map((x) => [x.session_id, x.start, x.end, x.requests])).toEqual(
    top.sorted().map((p) => [p.key, p.start, p.end, p.requests]),
  );
});

test('a client that disconnects mid-query: its searches are gone from _tasks within 5 s', async () => {
  const ac = new AbortController();
  const pending = query({ ...heavy, sort: 'start' }, { signal: ac.signal }).catch((e: Error) => e);
  const seenAfter = await waitFor(async () => (await ourSearches()) > 0, 20_000, 20);
  expect(seenAfter).toBeGreaterThanOrEqual(0); // the searches ran (else this test shows nothing)
  ac.abort();
  expect(((await pending) as { name?: string }).name).toBe('AbortError');
  const goneAfter = await waitFor(async () => (await ourSearches()) === 0, 5000);
  log(`searches seen after ${seenAfter} ms; gone ${goneAfter} ms after the client left`);
  expect(goneAfter).toBeGreaterThanOrEqual(0);
  expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
});

test('past its time limit: 504 query_timeout, and its searches are gone within 5 s', async () => {
  const res = await query({ ...heavy, sort: 'start' }, { headers: { 'x-timeout-ms': '300' } });
  expect(res.status).toBe(504);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('query_timeout');
  const goneAfter = await waitFor(async () => (await ourSearches()) === 0, 5000);
  log(`searches gone ${goneAfter} ms after the 504`);
  expect(goneAfter).toBeGreaterThanOrEqual(0);
});
