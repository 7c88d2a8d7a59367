import { DAY_MS } from '../../../durations';
import { bucketOf } from '../../../session/bucket.fixture';
import { sessionize, type SessionBucket } from '../../../session/grouping';
import { mulberry32 } from '../../../../demo/rng';
import { BLOCK_MS, SETTLE_MS, cacheableBlocks, blockStartsKey, inputBlocks, planRuns } from './start-blocks';

const D = Date.UTC(2026, 0, 19); // a midnight
const MIN = 60_000;
const H = 60 * MIN;
/** Times of day D. */
const at = (h: number, m = 0) => D + h * H + m * MIN;
const blocks = (fromH: number, fromM: number, n: number) =>
  Array.from({ length: n }, (_, i) => at(fromH, fromM + 15 * i));

test('cacheable blocks: whole, settled, and at least T after a start that is not midnight', () => {
  const span = { from: at(7, 31), to: at(9) - 1, idleMs: 30 * MIN, now: at(10) };
  expect(BLOCK_MS).toBe(15 * MIN);
  expect(cacheableBlocks(span)).toEqual(blocks(8, 15, 3)); // 08:15, 08:30, 08:45
  expect(cacheableBlocks({ ...span, from: at(7, 30) })).toEqual(blocks(8, 0, 4));
  expect(cacheableBlocks({ ...span, from: D })).toEqual(blocks(0, 0, 36));
  // 08:45–09:00 ends less than SETTLE_MS before now: not settled.
  expect(cacheableBlocks({ ...span, now: at(9) + SETTLE_MS - 1 })).toEqual(blocks(8, 15, 2));
});

test('runs cover what the cached blocks leave; later runs look back T and count from their start', () => {
  const span = { from: at(7, 31), to: at(9) - 1, idleMs: 30 * MIN, now: at(10) };
  expect(planRuns(span, new Set([at(8, 15)]))).toEqual([
    { readFrom: at(7, 31), to: at(8, 15) - 1, record: [] },
    { readFrom: at(8), to: at(9) - 1, minStart: at(8, 30), record: [at(8, 30), at(8, 45)] },
  ]);
  // Nothing cached: one run, recording every cacheable block.
  expect(planRuns(span, new Set())).toEqual([{ readFrom: at(7, 31), to: at(9) - 1, record: blocks(8, 15, 3) }]);
  // Everything cached but the start; adjacent cached blocks leave no empty run.
  expect(planRuns(span, new Set(blocks(8, 15, 3)))).toEqual([{ readFrom: at(7, 31), to: at(8, 15) - 1, record: [] }]);
  // From midnight with the first block cached: no first run, the next looks back no further than midnight.
  expect(planRuns({ ...span, from: D, idleMs: 2 * H }, new Set([D]))[0]).toMatchObject({
    readFrom: D,
    minStart: at(0, 15),
  });
});

test('the key names the blocks a block looks back to, never before midnight', () => {
  expect(inputBlocks(at(10), 30 * MIN)).toEqual(blocks(9, 30, 3));
  expect(inputBlocks(at(10), 40 * MIN)).toEqual(blocks(9, 15, 4));
  expect(inputBlocks(at(0, 15), 5 * H)).toEqual([D, at(0, 15)]);
  const docs = new Map([
    [at(9, 30), 120],
    [at(9, 45), 80],
    [at(10), 95],
  ]);
  expect(blockStartsKey('idx', 'u1', at(10), 30 * MIN, docs)).toBe(`idx|u1|b${at(10)}|1800000|120,80,95`);
  expect(blockStartsKey('idx', 'u1', at(10, 15), 30 * MIN, docs)).toBe(`idx|u1|b${at(10, 15)}|1800000|80,95,0`);
});

/** Parts of `times` (per key) meeting [from, to], by the definition: group only the requests inside it. */
function partsOf(byKey: Map<string, number[]>, from: number, to: number, idleMs: number) {
  const buckets: SessionBucket[] = [];
  for (const [key, times] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)))
    for (const t of times) if (t >= from && t <= to) buckets.push(bucketOf(key, t));
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
      now: r() < 0.5 ? D + DAY_MS + H : D + Math.floor(r() * DAY_MS), // some blocks not settled yet
    };
    const truth = partsOf(byKey, span.from, span.to, idleMs).length;
    // The cache as earlier queries left it: some of the cacheable hours, with their true part starts.
    const startsIn = (b: number) =>
      partsOf(byKey, D, D + DAY_MS - 1, idleMs).filter((p) => p.start >= b && p.start < b + BLOCK_MS).length;
    const cached = new Set(cacheableBlocks(span).filter(() => r() < 0.6));
    let count = [...cached].reduce((n, b) => n + startsIn(b), 0);
    for (const run of planRuns(span, cached)) {
      const seen = partsOf(byKey, run.readFrom, run.to, idleMs);
      count += seen.filter((p) => run.minStart === undefined || p.start >= run.minStart).length;
      // What a run records for a block is that block's true part starts.
      for (const b of run.record)
        expect(seen.filter((p) => p.start >= b && p.start < b + BLOCK_MS).length).toBe(startsIn(b));
    }
    expect({ round, count }).toEqual({ round, count: truth });
  }
});
