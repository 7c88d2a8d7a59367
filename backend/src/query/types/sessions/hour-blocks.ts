/**
 * Counting a partial day's session parts from cached hours (pure planning).
 *
 * With `split_by_day` and no part criteria, the parts of a day that meet [from, to] are
 *   (parts that started before `from` and reach it) + (parts whose first request is in [from, to]),
 * each part counted once, where its first request is. A request is a part's first when the key's previous request
 * that day is at least T (the idle timeout) earlier, or absent — so the starts in an hour [h, h + 1 h) depend only
 * on that day's requests in [h − T, h + 1 h). Once such an hour is settled, its count is kept (day-cache.ts),
 * keyed by the document counts of the hours it depends on: a late request there changes the key.
 *
 * A range then reads only what is not cached, as runs:
 * - the first run starts at `from` and reads from `from` (every part it sees counts; a part that started earlier
 *   shows up with its first request in the range, which comes within T of `from`, so the first run is at least
 *   T long unless it starts at midnight);
 * - every later run [x, y] reads from x − T and counts only the parts that start at or after x (earlier ones were
 *   counted where they started).
 * Hours read whole by a run, settled and far enough from the run's start to see their look-back, are recorded.
 */
import { DAY_MS } from '../../../durations';

/** The block whose part starts are cached. */
export const HOUR_MS = 3_600_000;
/** An hour is cached once it ended this long before now (late requests still change its key afterwards). */
export const SETTLE_MS = 5 * 60_000;

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
  /** Hours whose part starts this run sees completely (to be cached). */
  record: number[];
}

const dayStartOf = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/**
 * The hours of a day span whose part starts can be cached or taken from the cache: whole hours inside the span,
 * settled, and at least T after its start (so the first run sees the parts reaching into the span) unless the span
 * starts at midnight.
 * @example cacheableHours({from: 7.5h, to: 12h − 1, idleMs: 30 min, now: 13h}) → [8h, 9h, 10h, 11h] (times relative to the day's midnight)
 */
export function cacheableHours(s: DaySpan): number[] {
  const earliest = s.from === dayStartOf(s.from) ? s.from : s.from + s.idleMs;
  const hours: number[] = [];
  for (let h = Math.ceil(earliest / HOUR_MS) * HOUR_MS; h + HOUR_MS - 1 <= s.to; h += HOUR_MS)
    if (h + HOUR_MS <= s.now - SETTLE_MS) hours.push(h);
  return hours;
}

/**
 * The runs that read what the cached hours do not cover, in time order.
 * @example planRuns({from: 7.5h, to: 12h − 1, idleMs: 30 min, now: 13h}, new Set([10h]))
 * → [{readFrom: 7.5h, to: 10h − 1, record: [8h, 9h]}, {readFrom: 10.5h, to: 12h − 1, minStart: 11h, record: [11h]}]
 */
export function planRuns(s: DaySpan, cached: ReadonlySet<number>): Run[] {
  const recordable = cacheableHours(s);
  const runs: Run[] = [];
  let start = s.from;
  const close = (end: number) => {
    if (end < start) return;
    const first = start === s.from;
    runs.push({
      readFrom: first ? start : Math.max(dayStartOf(start), start - s.idleMs),
      to: end,
      ...(first ? {} : { minStart: start }),
      record: recordable.filter((h) => h >= start && h + HOUR_MS - 1 <= end && !cached.has(h)),
    });
  };
  for (const h of recordable) {
    if (!cached.has(h)) continue;
    close(h - 1);
    start = h + HOUR_MS;
  }
  close(s.to);
  return runs;
}

/**
 * The hours whose document counts an hour's part starts depend on: those meeting [max(midnight, h − T), h + 1 h).
 * @example inputHours(10h, 30 min) → [9h, 10h]
 */
export function inputHours(hour: number, idleMs: number): number[] {
  const first = Math.max(dayStartOf(hour), hour - idleMs);
  const out: number[] = [];
  for (let h = Math.floor(first / HOUR_MS) * HOUR_MS; h <= hour; h += HOUR_MS) out.push(h);
  return out;
}

/**
 * Cache key of one hour's part starts: the index and its uuid, the hour, T, and the document counts of its input
 * hours (a missing hour counts 0).
 * @example hourStartsKey('idx', 'u1', 10h, 30 min, new Map([[9h, 120], [10h, 80]])) → 'idx|u1|h<10h in ms>|1800000|120,80'
 */
export function hourStartsKey(
  index: string,
  uuid: string,
  hour: number,
  idleMs: number,
  docsPerHour: ReadonlyMap<number, number>,
): string {
  const counts = inputHours(hour, idleMs).map((h) => docsPerHour.get(h) ?? 0);
  return [index, uuid, `h${hour}`, idleMs, counts.join(',')].join('|');
}
