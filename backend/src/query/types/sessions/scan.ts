/**
 * The streaming scan of session parts (I/O). The (key, W-bucket) composite is read as several streams page by page
 * in turn (composite.ts): with `split_by_day` one stream per day of the range (its own index: no part crosses
 * midnight, and a single-index composite pages without the waste of merging shards), else key-range partitions of
 * the whole range. Each stream's cells are grouped as they arrive (PartGrouper) into a PartTally; the best rows go
 * to one shared top-N. Memory: a page per running stream plus the top-N, whatever the range.
 *
 * When the cells would exceed the budget (QUERY_MAX_CELLS) the scan stops early: a total becomes an estimate from
 * the keys read so far in each day (a uniform sample of the key space: session keys are HMAC digests), and rows
 * that need every cell are refused (`query_too_broad`). Whole past days already counted come from the day cache;
 * of a partial day, a plain count (no filter or criterion) reads only the 15-minute blocks not cached yet
 * (start-blocks.ts).
 */
import { DAY_MS } from '../../../durations';
import { PartGrouper, type PartCriteria, type SessionPart, type SessionizeOptions } from '../../../session/grouping';
import { indexForTime } from '../../../storage/indices';
import type { Clause } from '../../filters';
import type { QueryContext } from '../../context';
import { SCAN_PARTITIONS, scanAll, type ScanSpec } from '../../composite';
import { estimateTotal, isHexKey, keyPartitions, type KeyRange } from '../../key-space';
import type { TopN } from '../../top-n';
import {
  COMPOSITE_FILTER_PATH,
  COMPOSITE_PAGE,
  buildSessionBucketsBody,
  toSessionBucket,
  type CellMetrics,
  type RawCell,
} from './body';
import { dayCountKey, dayCounts, fetchBlockDocs, fetchIndexVersions, type IndexVersion } from './day-cache';
import { BLOCK_MS, cacheableBlocks, blockStartsKey, planRuns, type DaySpan } from './start-blocks';
import { mergeSamples, PartTally } from './tally';

/** A total that must be estimated is sampled until its ~95% interval is within this share of it. */
export const ESTIMATE_RELATIVE_ERROR = 0.01;
/** The scan predicts its size only once it has seen this share of the key space. */
const MIN_PREDICTION_FRACTION = 0.02;
/** Ranges of up to this many days are read day by day (longer ones as one range, in key partitions). */
const MAX_DAY_STREAMS = 31;

/** Grouping parameters: idle timeout, bucket width, day split. */
export interface Grouping extends SessionizeOptions {
  widthMs: number;
}

/** What to scan. */
export interface PartScanQuery {
  grouping: Grouping;
  criteria: PartCriteria;
  metrics: CellMetrics;
  filterClauses: Clause[];
  /** Only these keys (candidates of a filtered list, or the pruned search's keys). */
  keys?: string[];
  /** Where the best rows go (null: count only — whole past days may then come from the day cache). */
  top: TopN<SessionPart> | null;
  /** Past the budget: estimate the total, or stop so the caller can refuse. */
  overBudget: 'estimate' | 'refuse';
}

/** The outcome of a scan. */
export interface PartScanResult {
  /** Matching parts: exact when `exact`, else the estimate. */
  total: number;
  exact: boolean;
  /** Half-width of the estimate's ~95% interval (0 when exact). */
  error: number;
  /** The cells the whole range would need, as predicted when the scan stopped early (else the cells read). */
  predictedCells: number;
}

/** A part of the range counted on its own: one day (its index), or the whole range. */
interface Population {
  from: number;
  to: number;
  index?: string;
  /** Cache key when this is a whole past day and the scan only counts. */
  cacheKey?: string;
  /** Count only the parts starting at or after this (a later run of a partial day, start-blocks.ts). */
  minStart?: number;
  /** Blocks whose part starts this population sees whole, with their cache keys. */
  record?: Map<number, string>;
}

/** One stream: a key range of a population, with its grouping state. */
interface Stream {
  population: number;
  range: KeyRange;
  tally: PartTally;
  grouper: PartGrouper;
  done: boolean;
  /** Cells read so far. */
  cells: number;
  /** Parts starting in each recorded block. */
  blockStarts: Map<number, number>;
}

/** Scans the parts of the query's range. See the module comment. */
export async function scanParts(ctx: QueryContext, q: PartScanQuery): Promise<PartScanResult> {
  const { populations: open, cached } = await populationsOf(ctx, q);
  const partitions = open.length === 1 ? (ctx.scan?.partitions ?? SCAN_PARTITIONS) : 1;
  const streams: Stream[] = open.flatMap((pop, pi) =>
    keyPartitions(q.keys ? 1 : partitions).map((range) => {
      const tally = new PartTally(q.criteria, q.top);
      const blockStarts = new Map<number, number>();
      const grouper = new PartGrouper(q.grouping, (p) => {
        if (pop.record) {
          const h = Math.floor(p.start / BLOCK_MS) * BLOCK_MS;
          if (pop.record.has(h)) blockStarts.set(h, (blockStarts.get(h) ?? 0) + 1);
        }
        if (pop.minStart === undefined || p.start >= pop.minStart) tally.add(p);
      });
      return { population: pi, range, tally, grouper, done: false, cells: 0, blockStarts };
    }),
  );
  const startCells = ctx.budget.cells;
  const estimate = () => estimateOf(open, streams);
  const stop = () => {
    const e = estimate();
    const hex = streams.every((s) => s.tally.lastKey === undefined || isHexKey(s.tally.lastKey));
    if (!hex || e.predictedCells <= ctx.budget.limits.maxCells * 1.1) return false;
    if (q.overBudget === 'refuse') return true;
    return e.total > 0 && e.error / e.total <= ESTIMATE_RELATIVE_ERROR;
  };
  const result = await scanAll<RawCell>(
    ctx,
    streams.map((s) => specOf(ctx, q, open[s.population], s, stop)),
    ctx.scan?.concurrency,
  );
  const cells = ctx.budget.cells - startCells;
  if (result.complete) {
    storeDays(open, streams);
    const total = cached + streams.reduce((n, s) => n + s.tally.committed, 0);
    return { total, exact: true, error: 0, predictedCells: cells };
  }
  const e = estimate();
  return { total: cached + e.total, exact: false, error: e.error, predictedCells: e.predictedCells || cells };
}

function specOf(ctx: QueryContext, q: PartScanQuery, p: Population, s: Stream, stop: () => boolean): ScanSpec<RawCell> {
  const { grouping, keys, filterClauses, metrics } = q;
  return {
    aggName: 'cells',
    pageSize: ctx.scan?.pageSize ?? COMPOSITE_PAGE,
    filterPath: COMPOSITE_FILTER_PATH,
    index: p.index,
    keys: { source: 'k', range: s.range, startAfter: (gte) => ({ k: gte, t: 0 }) },
    body: (after) =>
      buildSessionBucketsBody(
        { from: p.from, to: p.to, widthMs: grouping.widthMs, keys, filterClauses, metrics },
        after,
      ),
    onPage: (cells) => {
      s.cells += cells.length;
      for (const c of cells) s.grouper.push(toSessionBucket(c));
    },
    stop,
    onDone: (r) => {
      if (!r.complete) return;
      s.grouper.end();
      s.tally.finish();
      s.done = true;
    },
  };
}

/**
 * The populations of a scan: each day of the range (clipped to it) when parts are split by day and the range has at
 * most MAX_DAY_STREAMS days, else the whole range. A count-only scan takes what it can from the cache: whole past
 * days (their count), and — when it counts every part — the settled blocks of the other days, which then become
 * runs over what is left (start-blocks.ts). `cached` is what the cache answered.
 */
async function populationsOf(
  ctx: QueryContext,
  q: PartScanQuery,
): Promise<{ populations: Population[]; cached: number }> {
  const { from, to } = ctx.range;
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  // A short key list (the pruned search) is one small search; per-day streams would only add round trips.
  const oneRange = !q.grouping.splitByDay || q.keys || ctx.scan?.dayStreams === false;
  if (oneRange || (to - first) / DAY_MS >= MAX_DAY_STREAMS) return { populations: [{ from, to }], cached: 0 };
  const days: Population[] = [];
  for (let d = first; d <= to; d += DAY_MS)
    days.push({
      from: Math.max(from, d),
      to: Math.min(to, d + DAY_MS - 1),
      index: indexForTime(ctx.config.indexPrefix, d),
    });
  const cacheable = q.top === null && !q.keys && q.filterClauses.length === 0 && ctx.scan?.dayCache !== false;
  if (!cacheable) return { populations: days, cached: 0 };
  const isWhole = (p: Population) => p.to - p.from === DAY_MS - 1 && p.to < ctx.now - DAY_MS / 24;
  const { minRequests, minAttacks, requireMatch } = q.criteria;
  const byBlock =
    q.grouping.idleMs > 0 &&
    minRequests === undefined &&
    minAttacks === undefined &&
    !requireMatch &&
    ctx.scan?.blockCache !== false;
  // Partial days with a block to take from or give to the cache (a range shorter than T + 15 min has none).
  const partial = byBlock ? days.filter((p) => !isWhole(p) && cacheableBlocks(daySpan(ctx, q, p)).length > 0) : [];
  const [versions, blockDocs] = await Promise.all([
    fetchIndexVersions(
      ctx,
      days.filter((p) => isWhole(p) || partial.includes(p)).map((p) => p.index!),
    ),
    fetchBlockDocs(
      ctx,
      partial.map((p) => p.index!),
    ),
  ]);
  let cached = 0;
  const populations: Population[] = [];
  for (const p of days) {
    const v = versions.get(p.index!);
    if (!v) populations.push(p);
    else if (isWhole(p)) {
      p.cacheKey = dayCountKey(p.index!, v, q.grouping, q.criteria);
      const hit = dayCounts.get(p.cacheKey);
      if (hit === undefined) populations.push(p);
      else cached += hit;
    } else if (blockDocs && partial.includes(p)) cached += splitByBlocks(ctx, q, p, v, blockDocs, populations);
    else populations.push(p);
  }
  return { populations, cached };
}

/** A day population as start-blocks.ts plans it. */
const daySpan = (ctx: QueryContext, q: PartScanQuery, day: Population): DaySpan => ({
  from: day.from,
  to: day.to,
  idleMs: q.grouping.idleMs,
  now: ctx.now,
});

/**
 * Replaces a partial day by runs over what its cached blocks do not cover (pushed to `out`); returns the part
 * starts the cache answered.
 */
function splitByBlocks(
  ctx: QueryContext,
  q: PartScanQuery,
  day: Population,
  v: IndexVersion,
  blockDocs: ReadonlyMap<number, number>,
  out: Population[],
): number {
  const span = daySpan(ctx, q, day);
  const keyOf = (b: number) => blockStartsKey(day.index!, v.uuid, b, span.idleMs, blockDocs);
  const cachedBlocks = new Set<number>();
  let cached = 0;
  for (const b of cacheableBlocks(span)) {
    const hit = dayCounts.get(keyOf(b));
    if (hit === undefined) continue;
    cachedBlocks.add(b);
    cached += hit;
  }
  for (const run of planRuns(span, cachedBlocks))
    out.push({
      from: run.readFrom,
      to: run.to,
      index: day.index,
      minStart: run.minStart,
      record: new Map(run.record.map((b) => [b, keyOf(b)])),
    });
  return cached;
}

/** Stores the exact counts of the whole days and recorded blocks the scan read to the end. */
function storeDays(populations: Population[], streams: Stream[]): void {
  populations.forEach((p, i) => {
    const own = streams.filter((s) => s.population === i);
    if (!own.every((s) => s.done)) return;
    if (p.cacheKey)
      dayCounts.set(
        p.cacheKey,
        own.reduce((n, s) => n + s.tally.committed, 0),
      );
    for (const [h, key] of p.record ?? [])
      dayCounts.set(
        key,
        own.reduce((n, s) => n + (s.blockStarts.get(h) ?? 0), 0),
      );
  });
}

/**
 * The total of the open populations estimated from what their streams read (each population's keys are a uniform
 * sample of it), the ~95% half-width (errors added in quadrature), and the cells the whole scan would read
 * (0 until every population has read at least MIN_PREDICTION_FRACTION of its key space).
 */
function estimateOf(
  populations: Population[],
  streams: Stream[],
): { total: number; error: number; predictedCells: number } {
  let total = 0;
  let variance = 0;
  let predicted = 0;
  populations.forEach((_, i) => {
    const own = streams.filter((s) => s.population === i);
    const sample = mergeSamples(own.map((s) => s.tally.sample(s.range, s.done)));
    const e = estimateTotal(sample);
    total += e.total;
    variance += e.error * e.error;
    const cells = own.reduce((n, s) => n + s.cells, 0);
    predicted = sample.fraction >= MIN_PREDICTION_FRACTION && predicted >= 0 ? predicted + cells / sample.fraction : -1;
  });
  return { total, error: Math.ceil(Math.sqrt(variance)), predictedCells: Math.max(0, Math.round(predicted)) };
}
