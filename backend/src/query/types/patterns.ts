/** `patterns`: alertable time series — per interval, how many sessions meet a condition. */
import { z } from 'zod';
import { InputError } from '../../http/errors';
import { baseShape, resolveInterval, type QueryContext } from '../context';
import { buildFilterClauses, filterShape, rangeClause, wildcardPattern, type Clause } from '../filters';
import { timeSeriesFrame, type DataFrame } from '../frames';
import { collectComposite, searchAggs } from '../search';
import { alignDown } from '../time';

/** Conditions a session can meet within one interval. */
export const CONDITIONS = [
  'attacks',
  'auth_failures',
  'distinct_endpoints',
  'rate',
  'blocked',
  'endpoint',
  'shadow_or_zombie',
] as const;
/** Label dimensions. */
export const GROUP_FIELDS = { user: 'user', client_ip: 'client_ip', endpoint: 'endpoint', host: 'host' } as const;

/** Most `*` wildcards an `endpoint_pattern` may hold. */
export const MAX_PATTERN_WILDCARDS = 8;

/** Parameters of the `patterns` query. */
export const patternsParams = z.object({
  queryType: z.literal('patterns'),
  ...baseShape,
  ...filterShape,
  condition: z.enum(CONDITIONS),
  threshold: z.number().int().min(1).max(1_000_000).default(1),
  endpoint_pattern: z
    .string()
    .min(1)
    .max(256)
    // Each `*` multiplies the automaton OpenSearch builds for a wildcard query; beyond a few it refuses the query.
    .refine(
      (v) => (v.match(/\*/g)?.length ?? 0) <= MAX_PATTERN_WILDCARDS,
      `must contain at most ${MAX_PATTERN_WILDCARDS} * wildcards`,
    )
    .optional(),
  group_by: z.enum(['user', 'client_ip', 'endpoint', 'host']).optional(),
});
/** Parsed `patterns` parameters. */
export type PatternsParams = z.infer<typeof patternsParams>;

type Cond = Pick<PatternsParams, 'condition' | 'endpoint_pattern'>;

/** Clauses that pre-select the requests a condition counts (smaller composites). */
export function conditionClauses(p: Cond): Clause[] {
  const endpointLike = (fallback: string) => ({
    wildcard: { endpoint: { value: wildcardPattern(p.endpoint_pattern ?? fallback) } },
  });
  switch (p.condition) {
    case 'attacks':
      return [{ term: { attacked: true } }];
    case 'auth_failures':
      return [{ terms: { status: [401, 403] } }, endpointLike('*login*')];
    case 'blocked':
      return [{ term: { blocked: true } }];
    case 'endpoint':
      return [endpointLike('*')];
    case 'shadow_or_zombie':
      return [{ terms: { api_status: ['shadow', 'zombie'] } }];
    default:
      return [];
  }
}

/**
 * Composite over (interval, [label], session.key[, minute]) with the condition's metric, paged.
 * @example buildPatternsBody({condition:'attacks', threshold:3}, {from:0,to:9}, 60000, undefined)
 * → { query: range + term attacked, aggs:{cells:{composite:{sources:[t: 60000ms, k: session.key]}, aggs:{metric:{sum:{field:'attack_count'}}}}} }
 */
export function buildPatternsBody(
  p: Partial<PatternsParams> & Cond,
  range: { from: number; to: number },
  intervalMs: number,
  after: Record<string, unknown> | undefined,
) {
  const sources: Record<string, unknown>[] = [
    { t: { date_histogram: { field: 'ts', fixed_interval: `${intervalMs}ms` } } },
  ];
  if (p.group_by) sources.push({ g: { terms: { field: GROUP_FIELDS[p.group_by], missing_bucket: true } } });
  sources.push({ k: { terms: { field: 'session.key' } } });
  if (p.condition === 'rate') sources.push({ m: { date_histogram: { field: 'ts', fixed_interval: '1m' } } });
  let aggs: Record<string, unknown> | undefined;
  if (p.condition === 'attacks') aggs = { metric: { sum: { field: 'attack_count' } } };
  if (p.condition === 'distinct_endpoints')
    aggs = { metric: { cardinality: { field: 'endpoint', precision_threshold: 3000 } } };
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(p), ...conditionClauses(p)] } },
    aggs: { cells: { composite: { size: 10_000, sources, ...(after ? { after } : {}) }, ...(aggs ? { aggs } : {}) } },
  };
}

/** A composite bucket of the patterns query. */
export interface PatternCell {
  key: { t: number; g?: string | number | null; k: string; m?: number };
  doc_count: number;
  metric?: { value: number };
}

/**
 * The value a cell is compared with the threshold (`blocked`/`endpoint` need one matching request; the others,
 * including `shadow_or_zombie`, count the session's matching requests in the interval).
 */
function cellMeets(c: PatternCell, p: Pick<PatternsParams, 'condition' | 'threshold'>): boolean {
  switch (p.condition) {
    case 'attacks':
    case 'distinct_endpoints':
      return (c.metric?.value ?? 0) >= p.threshold;
    case 'blocked':
    case 'endpoint':
      return c.doc_count >= 1;
    default:
      return c.doc_count >= p.threshold;
  }
}

/**
 * Counts distinct session keys per (interval, label) meeting the condition and lays them on the interval
 * grid, zero-filled (pure). One frame per label value; one unlabeled frame when not grouped or nothing matched.
 * @example toPatternFrames([{key:{t:0,k:'a'},doc_count:1,metric:{value:3}}], {condition:'attacks',threshold:3}, [0, 60000])
 * → one frame: time [0, 60000], value [1, 0]
 */
export function toPatternFrames(
  cells: PatternCell[],
  p: Pick<PatternsParams, 'condition' | 'threshold' | 'group_by' | 'refId'>,
  grid: number[],
): DataFrame[] {
  const seen = new Map<string, Set<string>>(); // `${label}\u0000${t}` → keys
  for (const c of cells) {
    if (!cellMeets(c, p)) continue;
    const label = p.group_by ? String(c.key.g ?? '') : '';
    const id = `${label}\u0000${c.key.t}`;
    if (!seen.has(id)) seen.set(id, new Set());
    seen.get(id)!.add(c.key.k);
  }
  const labels = new Set<string>();
  for (const id of seen.keys()) labels.add(id.split('\u0000')[0]);
  const frameFor = (label: string | null) =>
    timeSeriesFrame(
      p.condition,
      p.refId,
      grid,
      grid.map((t) => seen.get(`${label ?? ''}\u0000${t}`)?.size ?? 0),
      {
        int: true,
        fieldName: 'value',
        labels: label !== null && p.group_by ? { [p.group_by]: label } : undefined,
      },
    );
  if (!p.group_by || labels.size === 0) return [frameFor(p.group_by ? null : '')];
  return [...labels].sort().map((l) => frameFor(l));
}

/** Interval grid: epoch-aligned interval starts covering [from, to]. */
export function intervalGrid(from: number, to: number, intervalMs: number): number[] {
  const grid: number[] = [];
  for (let t = alignDown(from, intervalMs); t <= to; t += intervalMs) grid.push(t);
  return grid;
}

/** Runs the patterns query. */
export async function runPatterns(p: PatternsParams, ctx: QueryContext): Promise<DataFrame[]> {
  let intervalMs = resolveInterval(p, ctx.range, 60_000, 5_000);
  // `rate` counts requests per minute: whole minutes must nest inside each interval.
  if (p.condition === 'rate') intervalMs = Math.ceil(intervalMs / 60_000) * 60_000;
  const grid = ctx.range.empty ? [] : intervalGrid(ctx.range.from, ctx.range.to, intervalMs);
  if (ctx.range.empty) return toPatternFrames([], p, grid);
  const run = (body: Record<string, unknown>) => searchAggs(ctx, body);
  try {
    const cells = await collectComposite<PatternCell>(
      run,
      (after) => buildPatternsBody(p, ctx.range, intervalMs, after),
      'cells',
    );
    return toPatternFrames(cells.buckets, p, grid);
  } catch (err) {
    throw tooComplexAsInputError(err);
  }
}

/** OpenSearch refuses wildcard automata that are too costly to determinize: that is the pattern's fault (400). */
function tooComplexAsInputError(err: unknown): unknown {
  const e = err as { statusCode?: number; message?: string; meta?: { body?: unknown } };
  const text = `${e?.message ?? ''} ${JSON.stringify(e?.meta?.body ?? '')}`;
  if (e?.statusCode === 400 && /automaton|too complex|TooComplexToDeterminize/i.test(text)) {
    const message = 'pattern is too complex; use fewer * wildcards';
    return new InputError(`endpoint_pattern: ${message}`, [{ field: 'endpoint_pattern', message }]);
  }
  return err;
}
