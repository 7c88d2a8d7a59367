/**
 * The patterns condition `skipped_step` (I/O): the session parts that requested the guarded endpoint
 * (`endpoint_pattern`) without an earlier request matching `predecessor_pattern` in the same part. Pure part and
 * edges: sequences/skipped-step.ts.
 *
 * Read from aggregations, never from requests, in two steps:
 * 1. the session keys with a guarded request in the range that matches the filters (a composite over
 *    `session.key`, pre-filtered by the pattern: usually few);
 * 2. for those keys (every key when there are more than MAX_CANDIDATE_KEYS), a composite over (session.key, time
 *    bucket of width W ≤ the idle timeout dividing a day — as the session list buckets) of all their requests from
 *    the range's UTC midnight (lookbackFrom: the parts reaching into the range, whole), so
 *    part boundaries are the session list's: per cell the first and last request, and the first guarded and first
 *    predecessor request (`min` under `filter`).
 * Cells stream in key, then time order through a SkippedStepGrouper: one part in memory at a time. Every cell read
 * counts against the query budget (QUERY_MAX_CELLS); past it the caller refuses (`query_too_broad`).
 */
import { SkippedStepGrouper, type SkippedPart, type StepBucket } from '../../sequences/skipped-step';
import { chooseBucketWidth } from '../../session/grouping';
import type { QueryContext } from '../context';
import { searchIndices } from '../indices';
import { scanComposite } from '../composite';
import { buildFilterClauses, endpointPatternClause, toBool, type Clause } from '../filters';
import { COMPOSITE_FILTER_PATH, keyBucketCompositeBody } from './sessions/body';
import { fetchCandidateKeys } from './sessions/parts';
import { partShape } from './sessions/sessions';
import type { PatternsParams } from './patterns';

/** How far before the range parts are read when they do not split at UTC midnight (`split_by_day: false`). */
export const LOOKBACK_MS = 24 * 3_600_000;

/**
 * Where the parts that reach into the range are read from, so a predecessor before `from` is seen: the range's
 * UTC midnight when parts split there (no part crosses it: exact), else LOOKBACK_MS before `from`.
 * @example lookbackFrom(Date.UTC(2026, 0, 2, 13), true) → Date.UTC(2026, 0, 2)
 */
export function lookbackFrom(from: number, splitByDay: boolean): number {
  return splitByDay ? Math.floor(from / 86_400_000) * 86_400_000 : from - LOOKBACK_MS;
}

/** Cells per composite page (one page in memory at a time). */
const STEP_PAGE = 10_000;

/** Fields of the `group_by` labels (the same as the other conditions'). */
const LABEL_FIELDS = { user: 'user', client_ip: 'client_ip', endpoint: 'endpoint', host: 'host' } as const;

/** Inputs of the (key, bucket) composite. */
export interface StepQuery {
  from: number;
  to: number;
  widthMs: number;
  /** Only these session keys (those that reached the guarded endpoint). */
  keys?: string[];
  /** A guarded request: the endpoint pattern and the filters. */
  guarded: Clause[];
  /** A predecessor request. */
  predecessor: Clause;
  /** Label each cell with the most frequent value of this field among its guarded requests. */
  labelField?: string;
}

/**
 * The composite of one page: per (key, W-bucket) of all requests, the bucket's bounds and the first guarded and
 * first predecessor request.
 * @example buildSkippedStepBody({from:0, to:9, widthMs:1_800_000, guarded:[wildcard /api/checkout],
 *   predecessor: wildcard /api/cart/items*}, undefined)
 * → { query: range ts, aggs:{cells:{composite:{sources:[k: terms session.key, t: date_histogram 30m]},
 *     aggs:{start: min ts, end: max ts, guarded:{filter:…, aggs:{first: min ts}}, predecessor:{filter:…, aggs:{first: min ts}}}}} }
 */
export function buildSkippedStepBody(q: StepQuery, after: Record<string, unknown> | undefined) {
  const first = { min: { field: 'ts' } };
  const label = q.labelField ? { label: { terms: { field: q.labelField, size: 1 } } } : {};
  return keyBucketCompositeBody(
    q,
    STEP_PAGE,
    {
      start: { min: { field: 'ts' } },
      end: { max: { field: 'ts' } },
      guarded: { filter: { bool: { filter: q.guarded } }, aggs: { first, ...label } },
      predecessor: { filter: q.predecessor, aggs: { first } },
    },
    after,
  );
}

/** A cell of the composite as OpenSearch returns it. */
export interface RawStepCell {
  key: { k: string; t?: number };
  doc_count: number;
  start: { value: number };
  end: { value: number };
  guarded: { doc_count: number; first: { value: number | null }; label?: { buckets: { key: string | number }[] } };
  predecessor: { doc_count: number; first: { value: number | null } };
}

/** Normalizes a cell (the label only when grouped and the cell has a guarded request). */
export function toStepBucket(c: RawStepCell): StepBucket {
  const b: StepBucket = {
    key: c.key.k,
    start: c.start.value,
    end: c.end.value,
    firstGuarded: c.guarded.doc_count > 0 ? c.guarded.first.value : null,
    firstPredecessor: c.predecessor.doc_count > 0 ? c.predecessor.first.value : null,
  };
  if (c.guarded.label && c.guarded.doc_count > 0) b.label = String(c.guarded.label.buckets[0]?.key ?? '');
  return b;
}

/**
 * Streams every part of the range that skipped the step to `onSkipped`. Returns false when the cells needed exceed
 * the query budget (the count would be incomplete: the caller refuses).
 */
export async function scanSkippedSteps(
  p: PatternsParams,
  ctx: QueryContext,
  onSkipped: (part: SkippedPart) => void,
): Promise<boolean> {
  const idleMs = partShape.idle_timeout_minutes.parse(p.idle_timeout_minutes) * 60_000;
  const splitByDay = toBool(partShape.split_by_day.parse(p.split_by_day)) ?? true;
  const guarded = [endpointPatternClause(p.endpoint_pattern!), ...buildFilterClauses(p)];
  const cand = await fetchCandidateKeys(ctx, guarded);
  // No key reached the guarded endpoint: nothing skipped (unless the budget ran out before any key was read).
  if (cand.keys.length === 0) return cand.complete;
  const q: StepQuery = {
    // Parts reaching into the range are read whole (a part starting before it, from its start): a predecessor
    // before `from` counts. A part whose first guarded request lies before `from` counts there, not here.
    from: lookbackFrom(ctx.range.from, splitByDay),
    to: ctx.range.to,
    widthMs: chooseBucketWidth(idleMs),
    // Every request of these keys, not only the filtered ones: the parts' boundaries are the session list's.
    keys: cand.complete ? cand.keys : undefined,
    guarded,
    predecessor: endpointPatternClause(p.predecessor_pattern!),
    labelField: p.group_by ? LABEL_FIELDS[p.group_by] : undefined,
  };
  const grouper = new SkippedStepGrouper({ idleMs, splitByDay }, onSkipped);
  const scan = await scanComposite<RawStepCell>(ctx, {
    index: searchIndices(ctx.config.indexPrefix, q.from, q.to),
    aggName: 'cells',
    pageSize: STEP_PAGE,
    filterPath: COMPOSITE_FILTER_PATH,
    body: (after) => buildSkippedStepBody(q, after),
    onPage: (cells) => {
      for (const c of cells) grouper.push(toStepBucket(c));
    },
  });
  if (scan.complete) grouper.end();
  return scan.complete;
}
