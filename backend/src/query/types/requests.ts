/** `requests`: the filtered request log, newest first, paged; as a table or a logs frame. */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../context';
import { buildFilterClauses, filterShape, rangeClause } from '../filters';
import { buildFrame, type DataFrame } from '../frames';
import { requestLinks } from '../../grafana';
import { fetchPage, type HitQuery } from '../paging';
import { logColumns, requestTableColumns } from './request-columns';
import type { StoredRequest } from '../../storage/mappings';

/** Parameters of the `requests` query. */
export const requestsParams = z.object({
  queryType: z.literal('requests'),
  ...baseShape,
  ...filterShape,
  format: z.enum(['table', 'logs']).default('table'),
  page: z.number().int().min(0).max(100_000).default(0),
  page_size: z.number().int().min(1).max(1000).default(100),
});
/** Parsed `requests` parameters. */
export type RequestsParams = z.infer<typeof requestsParams>;

/**
 * The hit query: range + filters, newest first, `id` as tiebreaker.
 * @example buildRequestsQuery({method:'GET'}, {from:0,to:9}) → { filter:[range ts 0..9, term method GET], sort:[{ts:'desc'},{id:'desc'}] }
 */
export function buildRequestsQuery(p: Partial<RequestsParams>, range: { from: number; to: number }): HitQuery {
  return {
    filter: [rangeClause(range.from, range.to), ...buildFilterClauses(p)],
    sort: [{ ts: 'desc' }, { id: 'desc' }],
  };
}

/** Runs the request log query. */
export async function runRequests(p: RequestsParams, ctx: QueryContext): Promise<DataFrame[]> {
  if (ctx.range.empty) return [toRequestsFrame([], 0, p)];
  const { hits, total } = await fetchPage(ctx, buildRequestsQuery(p, ctx.range), p.page * p.page_size, p.page_size);
  return [
    toRequestsFrame(
      hits.map((h) => h._source as StoredRequest),
      total,
      p,
    ),
  ];
}

/** Builds the `requests` frame (pure): table, or Grafana log lines. */
export function toRequestsFrame(
  docs: StoredRequest[],
  total: number,
  p: Pick<RequestsParams, 'refId' | 'format' | 'page' | 'page_size'>,
): DataFrame {
  const custom = { total, page: p.page, page_size: p.page_size };
  if (p.format === 'logs') {
    return buildFrame('requests', p.refId, logColumns(docs), {
      type: 'log-lines',
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      custom,
    });
  }
  return buildFrame('requests', p.refId, requestTableColumns(docs, requestLinks()), {
    preferredVisualisationType: 'table',
    custom,
  });
}
