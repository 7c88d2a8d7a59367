/**
 * Finding session parts (I/O): the pruned top-N for `last_activity`, the streaming full scan for every other order
 * or filter, and the part count — each in memory independent of the range (scan.ts), within the query's budget.
 */
import { DAY_MS } from '../../../durations';
import { QueryTooBroadError, type FieldProblem } from '../../../http/errors';
import {
  chooseBucketWidth,
  comparePartsBy,
  type PartCriteria,
  type SessionPart,
  type SessionSort,
} from '../../../session/grouping';
import type { QueryContext } from '../../context';
import { scanComposite } from '../../composite';
import { buildFilterClauses, toBool, type Clause } from '../../filters';
import { searchAggs } from '../../search';
import { TopN } from '../../top-n';
import {
  COMPOSITE_FILTER_PATH,
  COMPOSITE_PAGE,
  buildCandidateKeysBody,
  buildTopKeysBody,
  type CellMetrics,
} from './body';
import { scanParts, type Grouping, type PartScanResult } from './scan';
import type { SessionsParams } from './sessions';

/** Above this many candidate keys, the bucket composite scans all keys instead of a `terms` list. */
export const MAX_CANDIDATE_KEYS = 10_000;
/** The pruned search gives up (and scans everything) beyond this many keys. */
const MAX_PRUNED_KEYS = 20_000;

/** The part count of a list. */
export interface PartTotal {
  value: number;
  /** True when the count is an estimate (the exact count would exceed the budget). */
  estimate: boolean;
  /** Half-width of the estimate's ~95% interval (0 when exact). */
  error: number;
}

/** Top parts and the number of all matching parts. */
export interface PartsResult {
  parts: SessionPart[];
  /** null when not asked for (`with_total: false`) and not known for free. */
  total: PartTotal | null;
}

/**
 * The cell metrics a scan needs to rank and select parts: attacks for the `attacks` sort or `min_attacks`, errors
 * for the `errors` sort; bounds and request counts always come with a cell.
 */
export function cellMetricsFor(sort: SessionSort | null, criteria: PartCriteria): CellMetrics {
  return { attacks: sort === 'attacks' || criteria.minAttacks !== undefined, errors: sort === 'errors' };
}

function groupingOf(p: SessionsParams): Grouping {
  const idleMs = p.idle_timeout_minutes * 60_000;
  return { idleMs, widthMs: chooseBucketWidth(idleMs), splitByDay: toBool(p.split_by_day) ?? true };
}

const exactTotal = (value: number): PartTotal => ({ value, estimate: false, error: 0 });
const toTotal = (r: PartScanResult): PartTotal => ({ value: r.total, estimate: !r.exact, error: r.error });

/**
 * Runs the session list's part search. `last_activity` without filters uses the pruned search for the rows and
 * counts all parts with a lean scan in parallel; everything else scans all parts once.
 * Throws QueryTooBroadError when the rows would need more cells than the budget allows.
 */
export async function fetchParts(p: SessionsParams, ctx: QueryContext): Promise<PartsResult> {
  if (ctx.range.empty) return { parts: [], total: exactTotal(0) };
  const g = groupingOf(p);
  const filterClauses = buildFilterClauses(p);
  const criteria: PartCriteria = {
    minRequests: p.min_requests,
    minAttacks: p.min_attacks,
    requireMatch: filterClauses.length > 0,
  };
  if (p.sort === 'last_activity' && filterClauses.length === 0) {
    const withTotal = toBool(p.with_total) !== false;
    const [top, total] = await Promise.all([
      fetchTopByLastActivity(ctx, g, criteria, p.limit),
      withTotal ? countParts(ctx, g, criteria) : Promise.resolve(null),
    ]);
    if (top) return { parts: top, total };
  }
  return fetchAllParts(ctx, g, criteria, filterClauses, p);
}

/** Every part of the range (of the candidate keys when filtered), streamed into the top `limit` by `sort`. */
async function fetchAllParts(
  ctx: QueryContext,
  g: Grouping,
  criteria: PartCriteria,
  filterClauses: Clause[],
  p: SessionsParams,
): Promise<PartsResult> {
  let keys: string[] | undefined;
  if (filterClauses.length > 0) {
    const cand = await fetchCandidateKeys(ctx, filterClauses);
    if (cand.keys.length === 0) return { parts: [], total: exactTotal(0) };
    // Few candidates: restrict the composite to their keys (all their requests, so boundaries are true).
    if (cand.complete) keys = cand.keys;
  }
  const top = new TopN<SessionPart>(p.limit, comparePartsBy(p.sort));
  const scan = await scanParts(ctx, {
    grouping: g,
    criteria,
    metrics: cellMetricsFor(p.sort, criteria),
    filterClauses,
    keys,
    top,
    overBudget: 'refuse',
  });
  if (!scan.exact) throw tooBroad(ctx, scan.predictedCells, p.sort, g, filterClauses.length > 0);
  return { parts: top.sorted(), total: exactTotal(scan.total) };
}

/** Keys with a request matching the clauses: all of them when at most MAX_CANDIDATE_KEYS (`complete`). */
export async function fetchCandidateKeys(
  ctx: QueryContext,
  clauses: Clause[],
): Promise<{ keys: string[]; complete: boolean }> {
  const keys: string[] = [];
  const r = await scanComposite<{ key: { k: string }; doc_count: number }>(ctx, {
    aggName: 'keys',
    pageSize: COMPOSITE_PAGE,
    filterPath: COMPOSITE_FILTER_PATH,
    body: (after) => buildCandidateKeysBody(ctx.range.from, ctx.range.to, clauses, after),
    onPage: (buckets) => {
      for (const b of buckets) if (keys.length <= MAX_CANDIDATE_KEYS) keys.push(b.key.k);
    },
    stop: () => keys.length > MAX_CANDIDATE_KEYS,
  });
  return { keys, complete: r.complete && keys.length <= MAX_CANDIDATE_KEYS };
}

/** Counts all matching parts with the leanest cells that still decide every boundary and criterion. */
async function countParts(ctx: QueryContext, g: Grouping, criteria: PartCriteria): Promise<PartTotal> {
  const metrics = cellMetricsFor(null, criteria);
  // A budget of its own, so counting cannot starve the rows' search running beside it.
  const scan = await scanParts(
    { ...ctx, budget: ctx.budget.fork() },
    { grouping: g, criteria, metrics, filterClauses: [], top: null, overBudget: 'estimate' },
  );
  return toTotal(scan);
}

/**
 * Exact top parts by last activity without grouping every key (no user filters).
 *
 * Why it is exact: every part of key k ends at or before max_k (k's latest request). Take the M keys with the
 * largest (max desc, key asc) and let b = (max, key) of the next key. Any part of a key outside the M sorts at or
 * after b in the part order (end desc, key asc, …). So if the `limit` best matching parts of the M keys all sort
 * strictly before b, they are the top `limit` overall. Otherwise M grows (×4) until that holds or no key is left.
 * Returns null when M would exceed MAX_PRUNED_KEYS (the caller scans everything). The M keys' parts are streamed
 * into a top-`limit` heap, so memory stays O(limit).
 */
export async function fetchTopByLastActivity(
  ctx: QueryContext,
  g: Grouping,
  criteria: PartCriteria,
  limit: number,
): Promise<SessionPart[] | null> {
  const compare = comparePartsBy('last_activity');
  for (let m = limit; m <= MAX_PRUNED_KEYS; m *= 4) {
    const res = await searchAggs(ctx, buildTopKeysBody(ctx.range.from, ctx.range.to, m + 1));
    const buckets: { key: string; last: { value: number } }[] = res.aggregations?.keys?.buckets ?? [];
    if (buckets.length === 0) return [];
    const keys = buckets.slice(0, m).map((b) => b.key);
    const next = buckets[m];
    const top = new TopN<SessionPart>(limit, compare);
    const scan = await scanParts(ctx, {
      grouping: g,
      criteria,
      metrics: cellMetricsFor('last_activity', criteria),
      filterClauses: [],
      keys,
      top,
      overBudget: 'refuse',
    });
    if (!scan.exact) throw tooBroad(ctx, scan.predictedCells, 'last_activity', g, false);
    if (!next) return top.sorted();
    const bound = { key: next.key, start: Number.MAX_SAFE_INTEGER, end: next.last.value } as SessionPart;
    if (top.size === limit && compare(top.worst!, bound) < 0) return top.sorted();
  }
  return null;
}

/** The 400 `query_too_broad` of a list whose rows need more cells than the budget, naming what to narrow. */
function tooBroad(
  ctx: QueryContext,
  cells: number,
  sort: SessionSort,
  g: Grouping,
  filtered: boolean,
): QueryTooBroadError {
  const budget = ctx.budget.limits.maxCells;
  const details: FieldProblem[] = [{ field: 'from', message: 'narrow the time range' }];
  if (g.widthMs < DAY_MS)
    details.push({ field: 'idle_timeout_minutes', message: 'a longer idle timeout groups with fewer, wider buckets' });
  if (sort !== 'last_activity' && !filtered)
    details.push({ field: 'sort', message: 'last_activity is computed from the most recent sessions only' });
  if (!filtered) details.push({ field: 'host', message: 'or add a filter (host, app, user, …)' });
  const need = cells > 0 ? `about ${cells.toLocaleString('en-US')}` : 'more than';
  return new QueryTooBroadError(
    `grouping these sessions needs ${need} aggregation buckets, over this service's budget of ` +
      `${budget.toLocaleString('en-US')} (QUERY_MAX_CELLS); ${details.map((d) => d.message).join('; ')}`,
    details,
  );
}
