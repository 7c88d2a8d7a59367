/**
 * Pure OpenSearch request bodies of the session list (see session/grouping.ts for why the buckets are exact).
 */
import { rangeClause, type Clause } from '../../filters';
import type { SessionBucket, SessionPart } from '../../../session/grouping';

/**
 * Cells per composite page. Pages are consumed and dropped one at a time, so this bounds the service's memory per
 * running scan (~10 MB parsed for lean cells); every page is a search with a fixed cost, so much smaller pages are
 * slower (bench/query, docs/performance.md).
 */
export const COMPOSITE_PAGE = 20_000;

/**
 * Trims composite responses to what the parser reads: no `value_as_string`, no hits, no histogram key (the cells'
 * own first/last request times are used), no unused stats.
 */
export const COMPOSITE_FILTER_PATH =
  'aggregations.*.after_key,aggregations.*.buckets,-**.value_as_string,-**.buckets.key.t';

/**
 * Which per-cell metrics beyond the bounds (first/last request) and the request count a scan needs: only what the
 * sort order or a criterion reads. The other columns of the rows come from the details search of the chosen parts,
 * so cells stay lean (each sub-aggregation of a composite is collected in a second, deferred pass).
 */
export interface CellMetrics {
  /** Sum of attacks (sort `attacks`, `min_attacks`). */
  attacks?: boolean;
  /** 4xx and 5xx counts (sort `errors`). */
  errors?: boolean;
}

/** Inputs of the bucket composite. */
export interface BucketQuery {
  from: number;
  to: number;
  widthMs: number;
  /** Restrict to these session keys (the candidates of a filtered query). */
  keys?: string[];
  /** User filter clauses: counted per bucket in a `matched` filter sub-aggregation. */
  filterClauses: Clause[];
  /** Default: bounds and request counts only. */
  metrics?: CellMetrics;
}

/**
 * Composite over (session.key, ts bucketed by W): each cell's first and last request, its request count, and the
 * metrics asked for.
 * @example buildSessionBucketsBody({from:0,to:1,widthMs:1_800_000,filterClauses:[], metrics:{attacks:true}}, undefined)
 * → { size:0, query:{bool:{filter:[range ts]}}, aggs:{cells:{composite:{sources:[{k:terms session.key},
 *     {t:date_histogram ts 30m}], size:10000}, aggs:{start:min ts, end:max ts, attacks:sum attack_count}}} }
 */
export function buildSessionBucketsBody(q: BucketQuery, after: Record<string, unknown> | undefined) {
  const metrics = q.metrics ?? {};
  const aggs: Record<string, unknown> = { start: { min: { field: 'ts' } }, end: { max: { field: 'ts' } } };
  if (metrics.attacks) aggs.attacks = ADDITIVE_AGGS.attacks;
  if (metrics.errors) Object.assign(aggs, { s4xx: ADDITIVE_AGGS.s4xx, s5xx: ADDITIVE_AGGS.s5xx });
  if (q.filterClauses.length > 0) aggs.matched = { filter: { bool: { filter: q.filterClauses } } };
  return keyBucketCompositeBody(q, COMPOSITE_PAGE, aggs, after);
}

/**
 * The search of one page of a composite over (session.key, ts bucketed by W) in [from, to] (only `keys` when
 * given), with `aggs` per cell: the shape every part-grouping scan reads (sessions, skipped steps).
 */
export function keyBucketCompositeBody(
  q: Pick<BucketQuery, 'from' | 'to' | 'widthMs' | 'keys'>,
  size: number,
  aggs: Record<string, unknown>,
  after: Record<string, unknown> | undefined,
) {
  const filter: Clause[] = [rangeClause(q.from, q.to)];
  if (q.keys) filter.push({ terms: { 'session.key': q.keys } });
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter } },
    aggs: {
      cells: {
        composite: {
          size,
          sources: [
            { k: { terms: { field: 'session.key' } } },
            { t: { date_histogram: { field: 'ts', fixed_interval: `${q.widthMs / 60_000}m` } } },
          ],
          ...(after ? { after } : {}),
        },
        aggs,
      },
    },
  };
}

/** The additive metrics of a set of requests (per cell when a scan needs one, per part in the details search). */
export const ADDITIVE_AGGS = {
  attacks: { sum: { field: 'attack_count' } },
  blocked: { filter: { term: { blocked: true } } },
  s4xx: { filter: { term: { status_class: '4xx' } } },
  s5xx: { sum: { field: 'is_error' } },
  lat: { stats: { field: 'duration_ms' } },
} as const;

/** The additive metrics as OpenSearch returns them (absent when not asked for). */
export interface RawMetrics {
  attacks?: { value: number };
  blocked?: { doc_count: number };
  s4xx?: { doc_count: number };
  s5xx?: { value: number };
  lat?: { count: number; sum: number | null; max: number | null };
}

/** Reads the additive metrics (0 / null when absent). */
export function toMetrics(
  c: RawMetrics,
): Pick<SessionBucket, 'attacks' | 'blocked' | 'status4xx' | 'status5xx' | 'durCount' | 'durSum' | 'durMax'> {
  const durCount = c.lat?.count ?? 0;
  return {
    attacks: c.attacks?.value ?? 0,
    blocked: c.blocked?.doc_count ?? 0,
    status4xx: c.s4xx?.doc_count ?? 0,
    status5xx: c.s5xx?.value ?? 0,
    durCount,
    durSum: c.lat?.sum ?? 0,
    durMax: durCount > 0 ? (c.lat?.max ?? null) : null,
  };
}

/** Raw composite bucket as OpenSearch returns it (metrics absent when not asked for; `t` trimmed by filter_path). */
export interface RawCell extends RawMetrics {
  key: { k: string; t?: number };
  doc_count: number;
  start: { value: number };
  end: { value: number };
  matched?: { doc_count: number };
}

/** Normalizes a raw cell into a SessionBucket. */
export function toSessionBucket(c: RawCell): SessionBucket {
  return {
    key: c.key.k,
    start: c.start.value,
    end: c.end.value,
    requests: c.doc_count,
    ...toMetrics(c),
    matched: c.matched ? c.matched.doc_count : c.doc_count,
  };
}

/**
 * The keys with the latest requests: terms on `session.key` ordered by max(ts) desc, key asc (the same total
 * order as the part comparator's tiebreak). Exact across shards: a key's global max is its max on some shard,
 * where at most size − 1 keys are ahead of it.
 * @example buildTopKeysBody(0, 9, 101) → { aggs:{keys:{terms:{field:'session.key', size:101, order:[{last:'desc'},{_key:'asc'}]}, aggs:{last:{max:{field:'ts'}}}}} }
 */
export function buildTopKeysBody(from: number, to: number, size: number) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(from, to)] } },
    aggs: {
      keys: {
        terms: { field: 'session.key', size, order: [{ last: 'desc' }, { _key: 'asc' }] },
        aggs: { last: { max: { field: 'ts' } } },
      },
    },
  };
}

/**
 * Composite over the session keys of the requests matching the filters (the candidate sessions).
 * @example buildCandidateKeysBody(0, 1, [{term:{host:{value:'a'}}}], undefined)
 * → { size:0, query:{bool:{filter:[range, term host]}}, aggs:{keys:{composite:{sources:[{k:terms session.key}]}}} }
 */
export function buildCandidateKeysBody(
  from: number,
  to: number,
  clauses: Clause[],
  after: Record<string, unknown> | undefined,
) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(from, to), ...clauses] } },
    aggs: {
      keys: {
        composite: {
          size: COMPOSITE_PAGE,
          sources: [{ k: { terms: { field: 'session.key' } } }],
          ...(after ? { after } : {}),
        },
      },
    },
  };
}

/**
 * One search with a `filters` aggregation holding one filter per selected part (key + [start, end]): the part's
 * additive metrics (exact: the filter holds exactly the part's requests) and the descriptive sub-aggregations
 * (distinct endpoints, top values, shadow/zombie counts, flows).
 * @example buildPartDetailsBody([{key:'k', start:1, end:2, …}]) → { aggs:{parts:{filters:{filters:{p0:{bool:…}}}, aggs:{endpoints:cardinality, …}}} }
 */
export function buildPartDetailsBody(parts: Pick<SessionPart, 'key' | 'start' | 'end'>[]) {
  const filters: Record<string, unknown> = {};
  parts.forEach((p, i) => {
    filters[`p${i}`] = { bool: { filter: [{ term: { 'session.key': p.key } }, rangeClause(p.start, p.end)] } };
  });
  const from = Math.min(...parts.map((p) => p.start));
  const to = Math.max(...parts.map((p) => p.end));
  const top = (field: string, size: number) => ({ terms: { field, size } });
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [rangeClause(from, to), { terms: { 'session.key': [...new Set(parts.map((p) => p.key))] } }] },
    },
    aggs: {
      parts: {
        filters: { filters },
        aggs: {
          ...ADDITIVE_AGGS,
          endpoints: { cardinality: { field: 'endpoint', precision_threshold: 3000 } },
          top_endpoints: top('endpoint', 5),
          attack_types: top('attack_types', 10),
          user: top('user', 3),
          role: top('role', 3),
          client_ips: top('client_ip', 5),
          user_agent: top('user_agent', 1),
          host: top('host', 3),
          app: top('app', 3),
          key_source: top('session.key_source', 1),
          // One terms aggregation for the shadow/zombie counts (cheaper than a filter sub-aggregation per status).
          api_status: top('api_status', 4),
          flows: top('flows', 10),
        },
      },
    },
  };
}
