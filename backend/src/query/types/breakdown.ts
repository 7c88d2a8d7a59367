/** `breakdown`: count and share of requests by one dimension, for one session part or all matching requests. */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../context';
import { buildFilterClauses, filterShape, rangeClause, type Clause } from '../filters';
import { buildFrame, floatColumn, intColumn, stringColumn, type DataFrame } from '../frames';
import { breakdownCountLinks, breakdownLinks } from '../../grafana';
import { searchAggs } from '../search';
import { timeParam, toEpochMs } from '../time';

/** Dimension → stored field. */
export const BREAKDOWN_FIELDS = {
  attack_type: 'attack_types',
  status: 'status',
  method: 'method',
  endpoint: 'endpoint',
  client_ip: 'client_ip',
  user: 'user',
  flow: 'flows',
  api_status: 'api_status',
} as const;

/** Parameters of the `breakdown` query. */
export const breakdownParams = z.object({
  queryType: z.literal('breakdown'),
  ...baseShape,
  ...filterShape,
  by: z.enum(Object.keys(BREAKDOWN_FIELDS) as [keyof typeof BREAKDOWN_FIELDS, ...(keyof typeof BREAKDOWN_FIELDS)[]]),
  limit: z.number().int().min(1).max(1000).default(10),
  start: timeParam.optional(),
  end: timeParam.optional(),
});
/** Parsed `breakdown` parameters. */
export type BreakdownParams = z.infer<typeof breakdownParams>;

/**
 * Terms aggregation over the dimension; `with_field` counts requests having the field (the share's
 * denominator; for multi-valued `attack_types` shares may sum above 1).
 * @example buildBreakdownBody({by:'method', limit:10}, {from:0,to:9})
 * → { size:0, query:{bool:{filter:[range]}}, aggs:{values:{terms:{field:'method',size:10}}, with_field:{filter:{exists:{field:'method'}}}} }
 */
export function buildBreakdownBody(
  p: Partial<BreakdownParams> & Pick<BreakdownParams, 'by' | 'limit'>,
  range: { from: number; to: number },
) {
  const field = BREAKDOWN_FIELDS[p.by];
  let from = range.from;
  let to = range.to;
  if (p.session_id && p.start !== undefined) from = Math.max(from, toEpochMs(p.start));
  if (p.session_id && p.end !== undefined) to = Math.min(to, toEpochMs(p.end));
  const filter: Clause[] = [rangeClause(from, to), ...buildFilterClauses(p)];
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter } },
    aggs: {
      values: { terms: { field, size: p.limit } },
      with_field: { filter: { exists: { field } } },
    },
  };
}

/** Runs the breakdown. */
export async function runBreakdown(p: BreakdownParams, ctx: QueryContext): Promise<DataFrame[]> {
  if (ctx.range.empty) return [toBreakdownFrame(undefined, p)];
  const res = await searchAggs(ctx, buildBreakdownBody(p, ctx.range));
  return [toBreakdownFrame(res.aggregations, p)];
}

/**
 * Builds the breakdown frame (pure): `value`, `count`, `share` (0–1).
 * @example toBreakdownFrame({values:{buckets:[{key:'GET',doc_count:3}]}, with_field:{doc_count:4}}, p) → GET, 3, 0.75
 */
export function toBreakdownFrame(
  aggs: Record<string, any> | undefined,
  p: Pick<BreakdownParams, 'refId' | 'by'>,
): DataFrame {
  const buckets: { key: string | number; key_as_string?: string; doc_count: number }[] = aggs?.values?.buckets ?? [];
  const denominator: number = aggs?.with_field?.doc_count ?? 0;
  return buildFrame(
    'breakdown',
    p.refId,
    [
      stringColumn(
        'value',
        buckets.map((b) => String(b.key_as_string ?? b.key)),
        { config: breakdownLinks(p.by).length ? { links: breakdownLinks(p.by) } : {} },
      ),
      intColumn(
        'count',
        buckets.map((b) => b.doc_count),
        { config: breakdownCountLinks(p.by).length ? { links: breakdownCountLinks(p.by) } : {} },
      ),
      floatColumn(
        'share',
        buckets.map((b) => (denominator > 0 ? b.doc_count / denominator : 0)),
        { config: { unit: 'percentunit' } },
      ),
    ],
    { preferredVisualisationType: 'table', custom: { by: p.by, total: denominator } },
  );
}
