/**
 * Query budgets against the real node (docs/api.md "Query budget"): QUERY_MAX_CELLS turns an over-budget session
 * total into a flagged estimate (rows still exact) and over-budget rows into 400 query_too_broad naming what to
 * narrow; X-Timeout-Ms / QUERY_TIMEOUT_MS answer 504 query_timeout; QUERY_CONCURRENCY answers 429 + Retry-After.
 * Session keys are HMAC-like digests, as ingest stores them.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { createQueryGate } from '../../src/query/gate';
import { dayCounts } from '../../src/query/types/sessions/day-cache';
import type { QueryObservation } from '../../src/query/router';
import type { StoredRequest } from '../../src/storage/mappings';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import {
  DAY,
  MIN,
  NOW,
  framesOf,
  loadDocs,
  makeRequest,
  referenceSessions,
  rng,
  rows,
  startQueryServer,
  type QueryServer,
} from './fixtures';

const FROM = NOW - 3 * DAY;
const KEYS = 3000;

/** 3,000 digest keys over 3 days, each a few visits of a few requests (some gaps past the 30-minute timeout). */
function dataset(): StoredRequest[] {
  const r = rng(5);
  const docs: StoredRequest[] = [];
  for (let k = 0; k < KEYS; k++) {
    const key = createHash('sha256').update(`budget-${k}`).digest('hex');
    let t = FROM + Math.floor(r() * (3 * DAY - 6 * 3600_000));
    const n = 2 + Math.floor(r() * 12);
    for (let i = 0; i < n && t <= NOW; i++) {
      docs.push(makeRequest(key, t, { status: r() < 0.1 ? 500 : 200, attack_types: r() < 0.05 ? ['sqli'] : [] }));
      t += r() < 0.85 ? Math.floor(r() * 5 * MIN) : 31 * MIN + Math.floor(r() * 3 * 3600_000);
    }
  }
  return docs;
}

let client: Client;
let prefix: string;
let docs: StoredRequest[];
let wide: QueryServer;
let narrow: QueryServer;
let tiny: QueryServer;
const gate = createQueryGate({ concurrency: 1, maxWaiting: 0 });
const observed: QueryObservation[] = [];
let gated: QueryServer;

beforeAll(async () => {
  client = testClient();
  prefix = uniquePrefix('query-budget');
  docs = dataset();
  await loadDocs(client, prefix, docs);
  wide = await startQueryServer(client, prefix);
  narrow = await startQueryServer(client, prefix, { query: { maxCells: 1500 } });
  tiny = await startQueryServer(client, prefix, { query: { maxCells: 5 } });
  gated = await startQueryServer(client, prefix, { gate, observe: (o) => observed.push(o) });
}, 180_000);
afterAll(async () => {
  await Promise.all([wide, narrow, tiny, gated].map((s) => s?.close()));
  await deletePrefix(client, prefix);
  await client.close();
});

const sessions = { queryType: 'sessions', from: FROM, to: NOW };
const byLastActivity = (
  a: { end: number; key: string; start: number },
  b: { end: number; key: string; start: number },
) => b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.start - a.start;

describe('session total', () => {
  test('within the budget: exact, not flagged, no notice', async () => {
    const [frame] = framesOf(await wide.query(sessions));
    const ref = referenceSessions(docs, 30 * MIN, true);
    expect(frame.schema.meta.custom).toMatchObject({ total: ref.length, total_is_estimate: false });
    expect(frame.schema.meta.notices).toBeUndefined();
  });

  test('past the budget: exact rows, an estimated total flagged with its error and a notice', async () => {
    dayCounts.clear(); // counted from the data, not from what the test above left in the cache
    const ref = referenceSessions(docs, 30 * MIN, true);
    const [frame] = framesOf(await narrow.query({ ...sessions, limit: 50 }));
    const custom = frame.schema.meta.custom;
    expect(custom.total_is_estimate).toBe(true);
    expect(custom.total_error).toBeGreaterThan(0);
    // the ~95% interval; twice its width makes the check stable across runs
    expect(Math.abs(custom.total - ref.length)).toBeLessThanOrEqual(2 * custom.total_error);
    expect(frame.schema.meta.notices[0]).toMatchObject({ severity: 'info', text: expect.stringMatching(/estimate/) });
    const expected = [...ref].sort(byLastActivity).slice(0, 50);
    expect(rows(frame).map((x) => [x.session_id, x.start, x.end, x.requests])).toEqual(
      expected.map((p) => [p.key, p.start, p.end, p.requests]),
    );
  });
});

test('whole past days are counted once and kept; a late request in one of them is counted again', async () => {
  const first = framesOf(await wide.query({ ...sessions, limit: 5 }))[0].schema.meta.custom.total;
  const kept = dayCounts.size;
  expect(kept).toBeGreaterThanOrEqual(2); // the two whole days of the 3-day range
  const again = framesOf(await wide.query({ ...sessions, limit: 5 }))[0].schema.meta.custom.total;
  expect(again).toBe(first);
  expect(dayCounts.size).toBe(kept);
  // A late request, alone in its session, on a whole past day: the day's index changes, so it is counted again.
  const late = makeRequest(createHash('sha256').update('late').digest('hex'), NOW - 2 * DAY + 3600_000, {
    id: 'late-1',
  });
  await loadDocs(client, prefix, [late]);
  docs.push(late);
  const after = framesOf(await wide.query({ ...sessions, limit: 5 }))[0].schema.meta.custom.total;
  expect(after).toBe(first + 1);
  expect(after).toBe(referenceSessions(docs, 30 * MIN, true).length);
});

test('settled hours of partial days are counted once and kept; a late request in one of them is counted again', async () => {
  const HOUR = 60 * MIN;
  const cellsSeen: number[] = [];
  const watched = await startQueryServer(client, prefix, { observe: (o) => cellsSeen.push(o.cells) });
  try {
    const totalOf = async (from: number, to: number) => {
      const res = await watched.query({ ...sessions, from, to, limit: 5 });
      return { total: framesOf(res)[0].schema.meta.custom.total, cells: cellsSeen[cellsSeen.length - 1] };
    };
    const expected = (from: number, to: number) =>
      referenceSessions(
        docs.filter((d) => d.ts >= from && d.ts <= to),
        30 * MIN,
        true,
      ).length;
    // Ranges whose ends fall inside days and hours, as a refreshing dashboard sends them.
    const ranges = [
      [NOW - DAY + 7 * MIN, NOW],
      [NOW - DAY + 13 * MIN, NOW - 1],
      [FROM + 2 * HOUR + 37 * MIN, NOW - 3 * HOUR - 11 * MIN],
      [NOW - 9 * HOUR - 1, NOW - 2 * HOUR + 1],
    ];
    for (const [from, to] of ranges) {
      dayCounts.clear();
      const cold = await totalOf(from, to);
      expect(cold.total).toBe(expected(from, to));
      const warm = await totalOf(from, to);
      expect(warm.total).toBe(cold.total);
      expect(warm.cells).toBeLessThan(cold.cells / 2); // only the edges are read again
    }
    // The next refresh a minute later is answered from the same hours.
    const [from, to] = ranges[0];
    expect((await totalOf(from + MIN, to + MIN)).total).toBe(expected(from + MIN, to + MIN));
    // A late request, alone in its session, in a cached hour of today: that hour is counted again.
    const late = makeRequest(createHash('sha256').update('late-hour').digest('hex'), NOW - 5 * HOUR + 17 * MIN, {
      id: 'late-hour-1',
    });
    await loadDocs(client, prefix, [late]);
    docs.push(late);
    expect((await totalOf(from, to)).total).toBe(expected(from, to));
  } finally {
    await watched.close();
  }
});

describe('query_too_broad: rows that need more cells than the budget', () => {
  test.each([
    [{ ...sessions, sort: 'requests' }, ['from', 'idle_timeout_minutes', 'sort']],
    [{ ...sessions, idle_timeout_minutes: 1, sort: 'start' }, ['from', 'idle_timeout_minutes', 'sort']],
    [{ queryType: 'patterns', from: FROM, to: NOW, condition: 'rate', interval_ms: 60_000 }, ['from', 'interval_ms']],
    [{ queryType: 'performance', from: FROM, to: NOW, view: 'session_rates' }, ['from']],
  ])('%j → 400 naming %j', async (body, fields) => {
    const res = await narrow.query(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('query_too_broad');
    expect(res.json.error.message).toMatch(/QUERY_MAX_CELLS/);
    for (const f of fields) expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(f);
  });

  test('the same queries answer within a wide budget', async () => {
    for (const body of [
      { ...sessions, sort: 'requests' },
      { queryType: 'performance', view: 'session_rates' },
    ])
      expect((await wide.query({ from: FROM, to: NOW, ...body })).status).toBe(200);
  });

  test('inventory and deep request pages past a tiny budget', async () => {
    const inv = await tiny.query({ queryType: 'inventory', from: FROM, to: NOW });
    expect(inv.status).toBe(200); // one endpoint row: within 5 cells
    const deep = await tiny.query({ queryType: 'requests', from: FROM, to: NOW, page: 200, page_size: 100 });
    expect(deep.status).toBe(400);
    expect(deep.json.error.code).toBe('query_too_broad');
    expect(deep.json.error.details[0].field).toBe('page');
    const slow = await tiny.query({ queryType: 'performance', from: FROM, to: NOW, view: 'slowest_endpoints' });
    expect(slow.status).toBe(200);
  });
});

describe('time limit', () => {
  test('X-Timeout-Ms shorter than the query → 504 query_timeout', async () => {
    const res = await wide.query({ ...sessions, sort: 'requests', idle_timeout_minutes: 1 }, { 'x-timeout-ms': '1' });
    expect(res.status).toBe(504);
    expect(res.json.error).toMatchObject({ code: 'query_timeout', message: expect.stringMatching(/within 1 ms/) });
  });

  test('a bad X-Timeout-Ms → 400 naming it', async () => {
    const res = await wide.query(sessions, { 'x-timeout-ms': 'soon' });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('X-Timeout-Ms');
  });
});

test('QUERY_CONCURRENCY: a query beyond the gate gets 429 + Retry-After; once a slot frees, it runs', async () => {
  const release = await gate.acquire();
  const refused = await gated.query(sessions);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('2');
  expect(refused.json.error).toMatchObject({ code: 'overloaded', message: expect.stringMatching(/QUERY_CONCURRENCY/) });
  release();
  expect((await gated.query(sessions)).status).toBe(200);
  expect(gate.stats()).toMatchObject({ running: 0, refused: 1 });
  // the metrics hook saw both, with their outcome and the cells read
  expect(observed.map((o) => [o.queryType, o.outcome])).toEqual([
    ['sessions', 'overloaded'],
    ['sessions', 'ok'],
  ]);
  expect(observed[1].cells).toBeGreaterThan(0);
});
