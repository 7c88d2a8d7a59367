/**
 * Counting a partial day's session parts from cached blocks of part starts (pure planning).
 *
 * With `split_by_day` and no part criteria, the parts of a day that meet [from, to] are
 *   (parts that started before `from` and reach it) + (parts whose first request is in [from, to]),
 * each part counted once, where its first request is. A request is a part's first when the key's previous request
 * that day is at least T (the idle timeout) earlier, or absent — so the starts in a block [b, b + 15 min) depend
 * only on that day's requests in [b − T, b + 15 min). Once such a block is settled, its count is kept
 * (day-cache.ts), keyed by the document counts of the blocks it depends on: a late request there changes the key.
 *
 * A range then reads only what is not cached, as runs:
 * - the first run starts at `from` and reads from `from` (every part it sees counts; a part that started earlier
 *   shows up with its first request in the range, which comes within T of `from`, so the first run is at least
 *   T long unless it starts at midnight);
 * - every later run [x, y] reads from x − T and counts only the parts that start at or after x (earlier ones were
 *   counted where they started).
 * Blocks a run reads whole, settled and far enough from the first run's start to see their look-back, are
 * recorded. A refreshing 24-hour list then reads about T + 15 min at each end of its range.
 */
import { DAY_MS } from '../../../durations';

/** The span whose part starts are cached (divides an hour and a day). */
export const BLOCK_MS = 15 * 60_000;
/** A block is cached once it ended this long before now (a late request still changes its key afterwards). */
export const SETTLE_MS = 60_000;

/** A day's share of a range. */
export interface DaySpan {
  /** First and last millisecond counted, inside one UTC day. */
  from: number;
  to: number;
  /** Idle timeout T (ms, > 0). */
  idleMs: number;
  now: number;
}

/** One composite read of a day. */
export interface Run {
  /** Cells are read from here (the run's start, or T before it for a later run). */
  readFrom: number;
  /** Last millisecond read. */
  to: number;
  /** Count only parts starting at or after this (later runs); absent: count every part read (the first run). */
  minStart?: number;
  /** Blocks whose part starts this run sees completely (to be cached). */
  record: number[];
}

const dayStartOf = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/**
 * The blocks of a day span whose part starts can be cached or taken from the cache: whole blocks inside the span,
 * settled, and at least T after its start (so the first run sees the parts reaching into the span) unless the span
 * starts at midnight.
 * @example cacheableBlocks({from: 07:31, to: 08:59:59.999, idleMs: 30 min, now: 09:00}) → [08:15, 08:30]
 */
export function cacheableBlocks(s: DaySpan): number[] {
  const earliest = s.from === dayStartOf(s.from) ? s.from : s.from + s.idleMs;
  const blocks: number[] = [];
  for (let b = Math.ceil(earliest / BLOCK_MS) * BLOCK_MS; b + BLOCK_MS - 1 <= s.to; b += BLOCK_MS)
    if (b + BLOCK_MS <= s.now - SETTLE_MS) blocks.push(b);
  return blocks;
}

/**
 * The runs that read what the cached blocks do not cover, in time order.
 * @example planRuns({from: 07:31, to: 08:59:59.999, idleMs: 30 min, now: 10:00}, new Set([08:15]))
 * → [{readFrom: 07:31, to: 08:14:59.999, record: []},
 *    {readFrom: 08:00, to: 08:59:59.999, minStart: 08:30, record: [08:30, 08:45]}]
 */
export function planRuns(s: DaySpan, cached: ReadonlySet<number>): Run[] {
  const recordable = cacheableBlocks(s);
  const runs: Run[] = [];
  let start = s.from;
  const close = (end: number) => {
    if (end < start) return;
    const first = start === s.from;
    runs.push({
      readFrom: first ? start : Math.max(dayStartOf(start), start - s.idleMs),
      to: end,
      ...(first ? {} : { minStart: start }),
      record: recordable.filter((b) => b >= start && b + BLOCK_MS - 1 <= end && !cached.has(b)),
    });
  };
  for (const b of recordable) {
    if (!cached.has(b)) continue;
    close(b - 1);
    start = b + BLOCK_MS;
  }
  close(s.to);
  return runs;
}

/**
 * The blocks whose document counts a block's part starts depend on: those meeting [max(midnight, b − T), b + 15 min).
 * @example inputBlocks(10:00, 30 min) → [09:30, 09:45, 10:00]
 */
export function inputBlocks(block: number, idleMs: number): number[] {
  const first = Math.max(dayStartOf(block), block - idleMs);
  const out: number[] = [];
  for (let b = Math.floor(first / BLOCK_MS) * BLOCK_MS; b <= block; b += BLOCK_MS) out.push(b);
  return out;
}

/**
 * Cache key of one block's part starts: the index and its uuid, the block, T, and the document counts of its input
 * blocks (a missing block counts 0).
 * @example blockStartsKey('idx', 'u1', 10:00, 30 min, {09:30: 120, 09:45: 80, 10:00: 95}) → 'idx|u1|b<10:00 in ms>|1800000|120,80,95'
 */
export function blockStartsKey(
  index: string,
  uuid: string,
  block: number,
  idleMs: number,
  docsPerBlock: ReadonlyMap<number, number>,
): string {
  const counts = inputBlocks(block, idleMs).map((b) => docsPerBlock.get(b) ?? 0);
  return [index, uuid, `b${block}`, idleMs, counts.join(',')].join('|');
}
