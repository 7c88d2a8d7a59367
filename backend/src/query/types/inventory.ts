/**
 * `inventory`: the endpoint inventory — one row per (host, method, endpoint, API status) seen in the range, with
 * requests, sessions, error rate and first/last seen (docs/inventory.md). For a table panel of shadow and zombie
 * endpoints: filter `api_status: "shadow,zombie"`.
 */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../context';
import { buildFilterClauses, filterShape, rangeClause } from '../filters';
import { endpointLinks } from '../../grafana';
import { buildFrame, floatColumn, intColumn, stringColumn, timeColumn, type DataFrame } from '../frames';
import { QueryTooBroadError } from '../../http/errors';
import { scanComposite } from '../composite';
import { searchAggs } from '../search';
import { TopN } from '../top-n';

/** Row orders (all descending). */
export const INVENTORY_SORTS = ['requests', 'sessions', 'error_rate', 'last_seen'] as const;

/** Parameters of the `inventory` query. */
export const inventoryParams = z.object({
  queryType: z.literal('inventory'),
  ...baseShape,
  ...filterShape,
  sort: z.enum(INVENTORY_SORTS).default('requests'),
  limit: z.number().int().min(1).max(1000).default(100),
});
/** Parsed `inventory` parameters. */
export type InventoryParams = z.infer<typeof inventoryParams>;

/**
 * Composite page size (each bucket may carry a cardinality sketch, so pages stay moderate). Pages stream into a
 * top-`limit` heap; the scan reads every row of the range, up to the query's cell budget (then `query_too_broad`).
 */
const PAGE = 2_000;

/** Distinct session keys: exact up to this many, an estimate above (HyperLogLog++). */
const SESSIONS_AGG = { cardinality: { field: 'session.key', precision_threshold: 3000 } };

/**
 * Composite over (host, method, endpoint, api_status) with 5xx count and first/last request, plus distinct sessions
 * when `withSessions` (the costly part: one cardinality sketch per row). `api_status` uses `missing_bucket` so
 * documents stored before the inventory existed still appear (as unknown).
 * @example buildInventoryBody({api_status:'shadow'}, {from:0,to:9}, undefined, true)
 * → { query:{bool:{filter:[range, term api_status]}}, aggs:{rows:{composite:{sources:[host, method, endpoint, api_status]},
 *     aggs:{errors:sum is_error, first:min ts, last:max ts, sessions:cardinality session.key}}} }
 */
export function buildInventoryBody(
  f: Partial<InventoryParams>,
  range: { from: number; to: number },
  after: Record<string, unknown> | undefined,
  withSessions: boolean,
) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(f)] } },
    aggs: {
      rows: {
        composite: {
          size: PAGE,
          sources: [
            { host: { terms: { field: 'host' } } },
            { method: { terms: { field: 'method' } } },
            { endpoint: { terms: { field: 'endpoint' } } },
            { api_status: { terms: { field: 'api_status', missing_bucket: true } } },
          ],
          ...(after ? { after } : {}),
        },
        aggs: {
          errors: { sum: { field: 'is_error' } },
          first: { min: { field: 'ts' } },
          last: { max: { field: 'ts' } },
          ...(withSessions ? { sessions: SESSIONS_AGG } : {}),
        },
      },
    },
  };
}

/**
 * Distinct sessions of the chosen rows only: one `filters` bucket per row (same filters and range as the rows).
 * @example buildRowSessionsBody([{host:'h',method:'GET',endpoint:'/a',api_status:null}], {}, {from:0,to:9})
 * → { query:{bool:{filter:[range, terms endpoint ['/a']]}}, aggs:{rows:{filters:{filters:{r0:{bool:{filter:[host, method,
 *     endpoint], must_not:[exists api_status]}}}}, aggs:{sessions:cardinality session.key}}} }
 */
export function buildRowSessionsBody(
  keys: InventoryCell['key'][],
  f: Partial<InventoryParams>,
  range: { from: number; to: number },
) {
  const filters: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    const exact = [{ term: { host: k.host } }, { term: { method: k.method } }, { term: { endpoint: k.endpoint } }];
    filters[`r${i}`] = {
      bool:
        k.api_status === null
          ? { filter: exact, must_not: [{ exists: { field: 'api_status' } }] }
          : { filter: [...exact, { term: { api_status: k.api_status } }] },
    };
  });
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          rangeClause(range.from, range.to),
          ...buildFilterClauses(f),
          { terms: { endpoint: [...new Set(keys.map((k) => k.endpoint))] } },
        ],
      },
    },
    aggs: { rows: { filters: { filters }, aggs: { sessions: SESSIONS_AGG } } },
  };
}

/** A composite bucket of the inventory query. */
export interface InventoryCell {
  key: { host: string; method: string; endpoint: string; api_status: string | null };
  doc_count: number;
  /** Only when the composite computed it (sort by sessions). */
  sessions?: { value: number };
  errors: { value: number };
  first: { value: number };
  last: { value: number };
}

/** One row of the inventory table. */
export interface InventoryRow {
  /** The composite key (api_status null = stored before the inventory existed). */
  key: InventoryCell['key'];
  host: string;
  method: string;
  endpoint: string;
  apiStatus: string;
  requests: number;
  /** null until known (filled for the chosen rows by a second search). */
  sessions: number | null;
  errors: number;
  errorRate: number;
  firstSeen: number;
  lastSeen: number;
}

const SORT_KEYS: Record<(typeof INVENTORY_SORTS)[number], (r: InventoryRow) => number> = {
  requests: (r) => r.requests,
  sessions: (r) => r.sessions ?? 0,
  error_rate: (r) => r.errorRate,
  last_seen: (r) => r.lastSeen,
};

/**
 * Cells → rows sorted by the chosen column (descending; ties by requests, then endpoint, method, host), top `limit`.
 * @example toInventoryRows([{key:{host:'h',method:'GET',endpoint:'/a',api_status:null},doc_count:4,sessions:{value:2},
 *   errors:{value:1},first:{value:1},last:{value:9}}], 'requests', 10)
 * → [{key:{…}, host:'h', method:'GET', endpoint:'/a', apiStatus:'unknown', requests:4, sessions:2, errors:1, errorRate:0.25, firstSeen:1, lastSeen:9}]
 */
export function toInventoryRows(cells: InventoryCell[], sort: InventoryParams['sort'], limit: number): InventoryRow[] {
  const top = createInventoryTop(sort, limit);
  top.add(cells);
  return top.rows();
}

const toRow = (c: InventoryCell): InventoryRow => ({
  key: c.key,
  host: c.key.host,
  method: c.key.method,
  endpoint: c.key.endpoint,
  apiStatus: c.key.api_status ?? 'unknown',
  requests: c.doc_count,
  sessions: c.sessions?.value ?? null,
  errors: c.errors.value,
  errorRate: c.doc_count > 0 ? c.errors.value / c.doc_count : 0,
  firstSeen: c.first.value,
  lastSeen: c.last.value,
});

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A streaming top-`limit` of inventory rows: `add` each page of cells, `rows()` at the end (O(limit) memory). */
export function createInventoryTop(sort: InventoryParams['sort'], limit: number) {
  const by = SORT_KEYS[sort];
  const top = new TopN<InventoryRow>(
    limit,
    (a, b) =>
      by(b) - by(a) ||
      b.requests - a.requests ||
      text(a.endpoint, b.endpoint) ||
      text(a.method, b.method) ||
      text(a.host, b.host) ||
      text(a.apiStatus, b.apiStatus),
  );
  return {
    add: (cells: InventoryCell[]) => cells.forEach((c) => top.offer(toRow(c))),
    rows: () => top.sorted(),
  };
}

/** Builds the `inventory` table frame (pure). */
export function toInventoryFrame(
  rows: InventoryRow[],
  p: Pick<InventoryParams, 'refId' | 'datasource_uid' | 'sort'>,
): DataFrame {
  const col = <T>(f: (r: InventoryRow) => T) => rows.map(f);
  return buildFrame(
    'inventory',
    p.refId,
    [
      stringColumn(
        'endpoint',
        col((r) => r.endpoint),
        { config: { links: endpointLinks(p.datasource_uid) } },
      ),
      stringColumn(
        'method',
        col((r) => r.method),
      ),
      stringColumn(
        'host',
        col((r) => r.host),
      ),
      stringColumn(
        'api_status',
        col((r) => r.apiStatus),
      ),
      intColumn(
        'requests',
        col((r) => r.requests),
      ),
      intColumn(
        'sessions',
        col((r) => r.sessions),
      ),
      intColumn(
        'errors',
        col((r) => r.errors),
      ),
      floatColumn(
        'error_rate',
        col((r) => r.errorRate),
        { config: { unit: 'percentunit' } },
      ),
      timeColumn(
        'first_seen',
        col((r) => r.firstSeen),
      ),
      timeColumn(
        'last_seen',
        col((r) => r.lastSeen),
      ),
    ],
    { preferredVisualisationType: 'table', custom: { sort: p.sort } },
  );
}

/**
 * Runs the inventory query: the composite streamed into a top-`limit` heap, then the distinct sessions of the chosen
 * rows (a cardinality sketch for every row would cost 3–5× the whole rest; only `sort: sessions` needs them all).
 * Throws QueryTooBroadError when the rows of the range exceed the cell budget.
 */
export async function runInventory(p: InventoryParams, ctx: QueryContext): Promise<DataFrame[]> {
  if (ctx.range.empty) return [toInventoryFrame([], p)];
  const withSessions = p.sort === 'sessions';
  const top = createInventoryTop(p.sort, p.limit);
  const scan = await scanComposite<InventoryCell>(ctx, {
    aggName: 'rows',
    pageSize: PAGE,
    filterPath: 'aggregations.*.after_key,aggregations.*.buckets,-**.value_as_string',
    body: (after) => buildInventoryBody(p, ctx.range, after, withSessions),
    onPage: (cells) => top.add(cells),
  });
  if (!scan.complete) {
    const message = 'narrow the time range or filter by host, app or api_status';
    throw new QueryTooBroadError(
      `the inventory of this range has more endpoint rows than this service's budget of ` +
        `${ctx.budget.limits.maxCells.toLocaleString('en-US')} aggregation buckets (QUERY_MAX_CELLS); ${message}`,
      [{ field: 'from', message }],
    );
  }
  const rows = top.rows();
  if (!withSessions && rows.length > 0) {
    const body = buildRowSessionsBody(
      rows.map((r) => r.key),
      p,
      ctx.range,
    );
    const buckets = (await searchAggs(ctx, body)).aggregations?.rows?.buckets ?? {};
    rows.forEach((r, i) => (r.sessions = buckets[`r${i}`]?.sessions?.value ?? 0));
  }
  return [toInventoryFrame(rows, p)];
}
