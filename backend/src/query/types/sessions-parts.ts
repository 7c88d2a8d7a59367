/**
 * Finding session parts (I/O): the exact full scan, the pruned top-N for `last_activity`, and the part count.
 */
import type { QueryContext } from '../context';
import { buildFilterClauses, toBool, type Clause } from '../filters';
import { collectComposite, searchAggs } from '../search';
import {
  chooseBucketWidth,
  comparePartsBy,
  partMatches,
  sessionize,
  topParts,
  type PartCriteria,
  type SessionPart,
} from '../../session/grouping';
import {
  COMPOSITE_FILTER_PATH,
  buildCandidateKeysBody,
  buildSessionBucketsBody,
  buildTopKeysBody,
  toSessionBucket,
  type CellMetrics,
  type RawCell,
} from './sessions-body';
import type { SessionsParams } from './sessions';

/** Above this many candidate keys, the bucket composite scans all keys instead of a `terms` list. */
export const MAX_CANDIDATE_KEYS = 10_000;
/** The pruned search gives up (and scans everything) beyond this many keys. */
const MAX_PRUNED_KEYS = 20_000;

/** Top parts and the number of all matching parts. */
export interface PartsResult {
  parts: SessionPart[];
  /** null when not asked for (`with_total: false`) and not known for free. */
  total: number | null;
}

interface Grouping {
  idleMs: number;
  widthMs: number;
  splitByDay: boolean;
}

function groupingOf(p: SessionsParams): Grouping {
  const idleMs = p.idle_timeout_minutes * 60_000;
  return { idleMs, widthMs: chooseBucketWidth(idleMs), splitByDay: toBool(p.split_by_day) ?? true };
}

/** All parts of the range (optionally only of `keys`), from the bucket composite. */
async function partsOf(
  ctx: QueryContext,
  g: Grouping,
  q: { keys?: string[]; filterClauses: Clause[]; metrics: CellMetrics },
): Promise<SessionPart[]> {
  const { from, to } = ctx.range;
  const cells = await collectComposite<RawCell>(
    (body) => searchAggs(ctx, body, COMPOSITE_FILTER_PATH),
    (after) => buildSessionBucketsBody({ from, to, widthMs: g.widthMs, ...q }, after),
    'cells',
  );
  return sessionize(cells.buckets.map(toSessionBucket), g);
}

/**
 * Runs the session list's part search. `last_activity` without filters uses the pruned search for the rows
 * and counts all parts with a lean composite in parallel; everything else scans all parts once.
 */
export async function fetchParts(p: SessionsParams, ctx: QueryContext): Promise<PartsResult> {
  if (ctx.range.empty) return { parts: [], total: 0 };
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

async function fetchAllParts(
  ctx: QueryContext,
  g: Grouping,
  criteria: PartCriteria,
  filterClauses: Clause[],
  p: SessionsParams,
): Promise<PartsResult> {
  let keys: string[] | undefined;
  if (filterClauses.length > 0) {
    const cand = await collectComposite<{ key: { k: string } }>(
      (body) => searchAggs(ctx, body, COMPOSITE_FILTER_PATH),
      (after) => buildCandidateKeysBody(ctx.range.from, ctx.range.to, filterClauses, after),
      'keys',
      { stop: (got) => got.length > MAX_CANDIDATE_KEYS },
    );
    if (cand.buckets.length === 0) return { parts: [], total: 0 };
    // Few candidates: restrict the composite to their keys (all their requests, so boundaries are true).
    if (cand.complete) keys = cand.buckets.map((b) => b.key.k);
  }
  const all = await partsOf(ctx, g, { keys, filterClauses, metrics: 'all' });
  const matching = all.filter((part) => partMatches(part, criteria));
  return { parts: topParts(matching, p.sort, p.limit), total: matching.length };
}

/** Counts all matching parts with the cheapest composite that still decides every boundary and criterion. */
async function countParts(ctx: QueryContext, g: Grouping, criteria: PartCriteria): Promise<number> {
  const metrics: CellMetrics = criteria.minAttacks !== undefined ? 'bounds+attacks' : 'bounds';
  const all = await partsOf(ctx, g, { filterClauses: [], metrics });
  return all.filter((part) => partMatches(part, criteria)).length;
}

/**
 * Exact top parts by last activity without grouping every key (no user filters).
 *
 * Why it is exact: every part of key k ends at or before max_k (k's latest request). Take the M keys with the
 * largest (max desc, key asc) and let b = (max, key) of the next key. Any part of a key outside the M sorts at or
 * after b in the part order (end desc, key asc, …). So if at least `limit` matching parts of the M keys sort
 * strictly before b, the top `limit` overall are among them. Otherwise M grows (×4) until that holds or no key
 * is left. Returns null when M would exceed MAX_PRUNED_KEYS (the caller scans everything).
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
    const parts = (await partsOf(ctx, g, { keys, filterClauses: [], metrics: 'all' }))
      .filter((part) => partMatches(part, criteria))
      .sort(compare);
    if (!next) return parts.slice(0, limit);
    const bound = { key: next.key, start: Number.MAX_SAFE_INTEGER, end: next.last.value } as SessionPart;
    const before = parts.filter((part) => compare(part, bound) < 0);
    if (before.length >= limit) return before.slice(0, limit);
  }
  return null;
}
