/** `timeline`: the requests of one session part, as a trace (session = root span) or a table. */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../context';
import { rangeClause } from '../filters';
import { buildFrame, type DataFrame, type FrameMeta } from '../frames';
import { fetchPage, type HitQuery } from '../paging';
import { timeParam, toEpochMs } from '../time';
import { requestTableColumns, traceColumns } from './request-columns';
import { requestLinks } from '../../grafana';
import type { StoredRequest } from '../../storage/mappings';

/** Parameters of the `timeline` query. */
export const timelineParams = z.object({
  queryType: z.literal('timeline'),
  ...baseShape,
  session_id: z.string().min(1).max(1024),
  start: timeParam.optional(),
  end: timeParam.optional(),
  format: z.enum(['trace', 'table']).default('trace'),
  page: z.number().int().min(0).max(100_000).default(0),
  page_size: z.number().int().min(1).max(10_000).default(10_000),
});
/** Parsed `timeline` parameters. */
export type TimelineParams = z.infer<typeof timelineParams>;

/**
 * The hit query of a part: its key and [start, end] (within the clamped range), oldest first, `id` as tiebreaker.
 * @example buildTimelineQuery({session_id:'k'}, {from:0,to:9}) → { filter:[term session.key k, range ts 0..9], sort:[{ts:'asc'},{id:'asc'}] }
 */
export function buildTimelineQuery(
  p: Pick<TimelineParams, 'session_id' | 'start' | 'end'>,
  range: { from: number; to: number },
): HitQuery {
  const start = Math.max(range.from, p.start === undefined ? range.from : toEpochMs(p.start));
  const end = Math.min(range.to, p.end === undefined ? range.to : toEpochMs(p.end));
  return {
    filter: [{ term: { 'session.key': { value: p.session_id } } }, rangeClause(start, end)],
    sort: [{ ts: 'asc' }, { id: 'asc' }],
    extra: { aggs: { first: { min: { field: 'ts' } }, last: { max: { field: 'ts' } } } },
  };
}

/** Runs the timeline: one page of the part's requests. */
export async function runTimeline(p: TimelineParams, ctx: QueryContext): Promise<DataFrame[]> {
  if (ctx.range.empty) return [toTimelineFrame([], p, { total: 0, first: null, last: null })];
  const { hits, total, res } = await fetchPage(
    ctx,
    buildTimelineQuery(p, ctx.range),
    p.page * p.page_size,
    p.page_size,
  );
  const docs = hits.map((h) => h._source as StoredRequest);
  const first = res.aggregations?.first?.value ?? null;
  const last = res.aggregations?.last?.value ?? null;
  return [toTimelineFrame(docs, p, { total, first, last })];
}

/**
 * Builds the timeline frame (pure): trace-shaped (root span + one child per request) or a request table.
 * `bounds.first/last` are the part's first and last request times (root span extent).
 */
export function toTimelineFrame(
  docs: StoredRequest[],
  p: Pick<TimelineParams, 'session_id' | 'refId' | 'format' | 'page' | 'page_size' | 'start' | 'end'>,
  bounds: { total: number; first: number | null; last: number | null },
): DataFrame {
  const custom = { total: bounds.total, page: p.page, page_size: p.page_size };
  if (p.format === 'table') {
    // Rows of one part: their session link opens exactly that part (when the query named it).
    const part =
      p.start !== undefined && p.end !== undefined ? { start: toEpochMs(p.start), end: toEpochMs(p.end) } : undefined;
    const columns = requestTableColumns(docs, requestLinks(part));
    return buildFrame('timeline', p.refId, columns, { preferredVisualisationType: 'table', custom });
  }
  const meta: FrameMeta = { preferredVisualisationType: 'trace', custom };
  return buildFrame('timeline', p.refId, traceColumns(p.session_id, docs, bounds), meta);
}
