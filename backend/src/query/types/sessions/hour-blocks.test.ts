import { DAY_MS } from '../../../durations';
import { sessionize, type SessionBucket } from '../../../session/grouping';
import { mulberry32 } from '../../../../demo/rng';
import { HOUR_MS, SETTLE_MS, cacheableHours, hourStartsKey, inputHours, planRuns } from './hour-blocks';

const D = Date.UTC(2026, 0, 19); // a midnight
const H = HOUR_MS;
const MIN = 60_000;

test('cacheable hours: whole, settled, and at least T after a start that is not midnight', () => {
  const span = { from: D + 7.5 * H, to: D + 12 * H - 1, idleMs: 30 * MIN, now: D + 13 * H };
  expect(cacheableHours(span)).toEqual([8, 9, 10, 11].map((h) => D + h * H));
  expect(cacheableHours({ ...span, from: D + 7.6 * H })).toEqual([9, 10, 11].map((h) => D + h * H));
  expect(cacheableHours({ ...span, from: D })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((h) => D + h * H));
  // 11:00–12:00 ends 1 minute before now: not settled.
  expect(cacheableHours({ ...span, now: D + 12 * H + SETTLE_MS - MIN })).toEqual([8, 9, 10].map((h) => D + h * H));
});

test('runs cover what the cached hours leave, later runs look back T and count from their start', () => {
  const span = { from: D + 7.5 * H, to: D + 12 * H - 1, idleMs: 30 * MIN, now: D + 13 * H };
  expect(planRuns(span, new Set([D + 10 * H]))).toEqual([
    { readFrom: D + 7.5 * H, to: D + 10 * H - 1, record: [D + 8 * H, D + 9 * H] },
    { readFrom: D + 10.5 * H, to: D + 12 * H - 1, minStart: D + 11 * H, record: [D + 11 * H] },
  ]);
  // Everything cached but the edges; adjacent cached hours leave no empty run.
  expect(planRuns(span, new Set([8, 9, 10, 11].map((h) => D + h * H)))).toEqual([
    { readFrom: D + 7.5 * H, to: D + 8 * H - 1, record: [] },
  ]);
  // From midnight with the first hour cached: no first run, the next looks back no further than midnight.
  const fromMidnight = { ...span, from: D, idleMs: 2 * H };
  expect(planRuns(fromMidnight, new Set([D]))[0]).toMatchObject({ readFrom: D, minStart: D + H });
});

test('the key names the hours an hour looks back to, never before midnight', () => {
  expect(inputHours(D + 10 * H, 30 * MIN)).toEqual([D + 9 * H, D + 10 * H]);
  expect(inputHours(D + 10 * H, 150 * MIN)).toEqual([D + 7 * H, D + 8 * H, D + 9 * H, D + 10 * H]);
  expect(inputHours(D + H, 5 * H)).toEqual([D, D + H]);
  const docs = new Map([
    [D + 9 * H, 120],
    [D + 10 * H, 80],
  ]);
  expect(hourStartsKey('idx', 'u1', D + 10 * H, 30 * MIN, docs)).toBe(`idx|u1|h${D + 10 * H}|1800000|120,80`);
  expect(hourStartsKey('idx', 'u1', D + 11 * H, 30 * MIN, docs)).toBe(`idx|u1|h${D + 11 * H}|1800000|80,0`);
});

/** Parts of `times` (per key) meeting [from, to], by the definition: group only the requests inside it. */
function partsOf(byKey: Map<string, number[]>, from: number, to: number, idleMs: number) {
  const buckets: SessionBucket[] = [];
  for (const [key, times] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const t of times)
      if (t >= from && t <= to)
        buckets.push({
          key,
          start: t,
          end: t,
          requests: 1,
          attacks: 0,
          blocked: 0,
          status4xx: 0,
          status5xx: 0,
          durCount: 0,
          durSum: 0,
          durMax: null,
          matched: 1,
        });
  return sessionize(buckets, { idleMs, splitByDay: true });
}

test('cached hours + runs count exactly the parts of the range, for random days, ranges and caches', () => {
  const r = mulberry32(7);
  for (let round = 0; round < 300; round++) {
    const idleMs = [1, 5, 30, 45, 60, 90, 240][Math.floor(r() * 7)] * MIN;
    const byKey = new Map<string, number[]>();
    for (let k = 0; k < 20; k++) {
      const times: number[] = [];
      let t = D + Math.floor(r() * DAY_MS * 0.8);
      for (let i = 0; i < 30 && t < D + DAY_MS; i++) {
        times.push(t);
        t += r() < 0.7 ? Math.floor(r() * idleMs * 1.2) : Math.floor(r() * 3 * H);
      }
      byKey.set(`k${k}`, times);
    }
    const a = D + Math.floor(r() * DAY_MS);
    const b = D + Math.floor(r() * DAY_MS);
    const span = {
      from: r() < 0.2 ? D : Math.min(a, b),
      to: r() < 0.2 ? D + DAY_MS - 1 : Math.max(a, b),
      idleMs,
      now: D + DAY_MS + H,
    };
    const truth = partsOf(byKey, span.from, span.to, idleMs).length;
    // The cache as earlier queries left it: some of the cacheable hours, with their true part starts.
    const startsIn = (h: number) =>
      partsOf(byKey, D, D + DAY_MS - 1, idleMs).filter((p) => p.start >= h && p.start < h + H).length;
    const cached = new Set(cacheableHours(span).filter(() => r() < 0.6));
    let count = [...cached].reduce((n, h) => n + startsIn(h), 0);
    for (const run of planRuns(span, cached)) {
      const seen = partsOf(byKey, run.readFrom, run.to, idleMs);
      count += seen.filter((p) => run.minStart === undefined || p.start >= run.minStart).length;
      // What a run records for an hour is that hour's true part starts.
      for (const h of run.record) expect(seen.filter((p) => p.start >= h && p.start < h + H).length).toBe(startsIn(h));
    }
    expect({ round, count }).toEqual({ round, count: truth });
  }
});
