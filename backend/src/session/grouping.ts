/**
 * Exact session grouping from time buckets (pure).
 *
 * A session part is a maximal run of requests with one `session.key` whose consecutive gaps are below the
 * idle timeout T (gap ≥ T splits; T = 0 never splits), also cut at UTC midnight when `splitByDay`.
 *
 * Why buckets are enough (no resolution loss): the query aggregates each key's requests into epoch-aligned
 * buckets of width W ≤ T where W divides one day. Two requests in one bucket are less than W ≤ T apart, so
 * no split can fall inside a bucket, and no bucket straddles midnight. Between two consecutive non-empty
 * buckets of a key, the consecutive requests are the last of the earlier bucket and the first of the later,
 * so the gap is exactly `min(next) − max(prev)` (millisecond timestamps): split iff that gap ≥ T, or the UTC
 * day changes. Counts and sums are additive over buckets, so part totals are exact too.
 */
import { DAY_MS } from '../durations';

/** Bucket widths that divide one day, ascending (ms). */
export const BUCKET_WIDTHS_MS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440].map(
  (m) => m * 60_000,
);

/**
 * Largest day-dividing width W ≤ T; one day when T = 0 (no idle split) or T ≥ 1 day.
 * @example chooseBucketWidth(30 * 60_000) → 30 * 60_000; chooseBucketWidth(7 * 60_000) → 6 * 60_000
 */
export function chooseBucketWidth(idleMs: number): number {
  if (idleMs === 0) return DAY_MS;
  if (idleMs < BUCKET_WIDTHS_MS[0]) throw new RangeError('idle timeout must be 0 or at least one minute');
  let w = BUCKET_WIDTHS_MS[0];
  for (const candidate of BUCKET_WIDTHS_MS) if (candidate <= idleMs) w = candidate;
  return w;
}

/** Additive metrics of a set of requests. */
export interface Metrics {
  requests: number;
  attacks: number;
  blocked: number;
  status4xx: number;
  status5xx: number;
  durCount: number;
  durSum: number;
  /** null when no request had a duration. */
  durMax: number | null;
  /** Requests matching the user's filters (equals `requests` when there are none). */
  matched: number;
}

/** One (key, time bucket) cell of the composite aggregation, normalized. */
export interface SessionBucket extends Metrics {
  key: string;
  /** First and last request time in the bucket (epoch ms). */
  start: number;
  end: number;
}

/** A session part: one key, its first and last request, and totals over all of its requests. */
export interface SessionPart extends Metrics {
  key: string;
  start: number;
  end: number;
}

/** Options of the grouping. */
export interface SessionizeOptions {
  idleMs: number;
  splitByDay: boolean;
}

/** True when a part boundary lies between two consecutive non-empty buckets of one key. */
export function splitsBetween(prevEnd: number, nextStart: number, o: SessionizeOptions): boolean {
  if (o.idleMs > 0 && nextStart - prevEnd >= o.idleMs) return true;
  return o.splitByDay && Math.floor(prevEnd / DAY_MS) !== Math.floor(nextStart / DAY_MS);
}

function addMetrics(into: Metrics, b: Metrics): void {
  into.requests += b.requests;
  into.attacks += b.attacks;
  into.blocked += b.blocked;
  into.status4xx += b.status4xx;
  into.status5xx += b.status5xx;
  into.durCount += b.durCount;
  into.durSum += b.durSum;
  if (b.durMax !== null) into.durMax = into.durMax === null ? b.durMax : Math.max(into.durMax, b.durMax);
  into.matched += b.matched;
}

/**
 * Streaming grouping: buckets arrive ordered by key, then time (one composite stream); each part is handed to
 * `onPart` as soon as the next bucket (or `end()`) shows it is complete. It holds one part at a time, so a scan's
 * memory does not depend on its range or number of cells.
 */
export class PartGrouper {
  private cur: SessionPart | null = null;

  constructor(
    private readonly o: SessionizeOptions,
    private readonly onPart: (p: SessionPart) => void,
  ) {}

  /** Adds the next bucket of the stream. */
  push(b: SessionBucket): void {
    const cur = this.cur;
    if (cur && cur.key === b.key && !splitsBetween(cur.end, b.start, this.o)) {
      addMetrics(cur, b);
      cur.end = b.end;
      return;
    }
    if (cur) this.onPart(cur);
    this.cur = { ...b };
  }

  /** Ends the stream: hands over the last part. */
  end(): void {
    if (this.cur) this.onPart(this.cur);
    this.cur = null;
  }
}

/**
 * Merges buckets into session parts. `buckets` must be ordered by key, then time (composite order).
 * @example sessionize([{key:'a',start:0,end:10,…},{key:'a',start:1_800_010,end:1_800_010,…}], {idleMs:1_800_000, splitByDay:true})
 * → two parts of key `a` (gap 1_800_000 ms ≥ T)
 */
export function sessionize(buckets: Iterable<SessionBucket>, o: SessionizeOptions): SessionPart[] {
  const parts: SessionPart[] = [];
  const grouper = new PartGrouper(o, (p) => parts.push(p));
  for (const b of buckets) grouper.push(b);
  grouper.end();
  return parts;
}

/** Session list sort orders. */
export const SORTS = ['last_activity', 'start', 'requests', 'attacks', 'duration', 'errors'] as const;
/** A sort order. */
export type SessionSort = (typeof SORTS)[number];

const SORT_VALUE: Record<SessionSort, (p: SessionPart) => number> = {
  last_activity: (p) => p.end,
  start: (p) => p.start,
  requests: (p) => p.requests,
  attacks: (p) => p.attacks,
  duration: (p) => p.end - p.start,
  errors: (p) => p.status4xx + p.status5xx,
};

/**
 * Comparator for a sort: the sort value descending, then last activity descending, key ascending,
 * start descending — a total order, so results are deterministic.
 */
export function comparePartsBy(sort: SessionSort): (a: SessionPart, b: SessionPart) => number {
  const value = SORT_VALUE[sort];
  return (a, b) =>
    value(b) - value(a) || b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.start - a.start;
}

/** Part selection criteria. */
export interface PartCriteria {
  minRequests?: number;
  minAttacks?: number;
  /** Keep only parts with at least one request matching the filters. */
  requireMatch: boolean;
}

/** True when a part passes the criteria. */
export function partMatches(p: SessionPart, c: PartCriteria): boolean {
  if (c.requireMatch && p.matched <= 0) return false;
  if (c.minRequests !== undefined && p.requests < c.minRequests) return false;
  return c.minAttacks === undefined || p.attacks >= c.minAttacks;
}
