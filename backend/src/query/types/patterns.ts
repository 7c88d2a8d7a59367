/** `patterns`: alertable time series — per interval, how many sessions meet a condition. */
import { z } from 'zod';
import { InputError, QueryTooBroadError, type FieldProblem } from '../../http/errors';
import { baseShape, resolveInterval, type QueryContext } from '../context';
import { buildFilterClauses, endpointPatternClause, filterShape, rangeClause, type Clause } from '../filters';
import { timeSeriesFrame, type DataFrame } from '../frames';
import { scanComposite } from '../composite';
import { alignDown } from '../time';
import { partShape } from './sessions/sessions';
import { scanSkippedSteps } from './patterns-skipped-step';

/** Conditions a session can meet within one interval (keys of CONDITION_SPECS, in the editor's order). */
export const CONDITIONS = [
  'attacks',
  'auth_failures',
  'distinct_endpoints',
  'rate',
  'blocked',
  'endpoint',
  'shadow_or_zombie',
  'skipped_step',
] as const;
/** A condition name. */
export type Condition = (typeof CONDITIONS)[number];
/**
 * The conditions met by a session's requests within one interval (CONDITION_SPECS). `skipped_step` is a property
 * of a whole session part instead (patterns-skipped-step.ts).
 */
export type IntervalCondition = Exclude<Condition, 'skipped_step'>;
/** Label dimensions. */
export const GROUP_FIELDS = { user: 'user', client_ip: 'client_ip', endpoint: 'endpoint', host: 'host' } as const;

/** Cells per composite page (streamed: a page at a time in memory). */
const PATTERNS_PAGE = 10_000;

/** Most `*` wildcards an `endpoint_pattern` may hold. */
export const MAX_PATTERN_WILDCARDS = 8;

/** An endpoint pattern: `*` matches anything. */
const patternParam = z
  .string()
  .min(1)
  .max(256)
  // Each `*` multiplies the automaton OpenSearch builds for a wildcard query; beyond a few it refuses the query.
  .refine(
    (v) => (v.match(/\*/g)?.length ?? 0) <= MAX_PATTERN_WILDCARDS,
    `must contain at most ${MAX_PATTERN_WILDCARDS} * wildcards`,
  );

/** Parameters only `skipped_step` takes: the predecessor and how requests are split into parts (as `sessions`). */
export const SKIPPED_STEP_ONLY = ['predecessor_pattern', 'idle_timeout_minutes', 'split_by_day'] as const;

/** Parameters of the `patterns` query. */
export const patternsParams = z
  .object({
    queryType: z.literal('patterns'),
    ...baseShape,
    ...filterShape,
    condition: z.enum(CONDITIONS),
    threshold: z.number().int().min(1).max(1_000_000).default(1),
    endpoint_pattern: patternParam.optional(),
    predecessor_pattern: patternParam
      .optional()
      .describe('skipped_step: the step that must come first in the session part, e.g. /api/cart/items*'),
    // No defaults here, so a value given with another condition is seen (and refused): skipped_step uses 30 / true.
    idle_timeout_minutes: partShape.idle_timeout_minutes
      .unwrap()
      .optional()
      .describe('skipped_step: idle timeout that splits session parts (default 30; 0: no split)'),
    split_by_day: partShape.split_by_day
      .unwrap()
      .optional()
      .describe('skipped_step: split session parts at UTC midnight (default true)'),
    group_by: z.enum(['user', 'client_ip', 'endpoint', 'host']).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.condition === 'skipped_step') {
      for (const field of ['endpoint_pattern', 'predecessor_pattern'] as const)
        if (p[field] === undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'required by skipped_step' });
      return;
    }
    for (const field of SKIPPED_STEP_ONLY)
      if (p[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'only the condition skipped_step takes it' });
  });
/** Parsed `patterns` parameters. */
export type PatternsParams = z.infer<typeof patternsParams>;

type Cond = Pick<PatternsParams, 'endpoint_pattern'> & { condition: IntervalCondition };

/** What a condition selects, measures per (interval, session) cell, and compares with the threshold. */
interface ConditionSpec {
  /** Clauses that pre-select the requests the condition counts (smaller composites). */
  clauses(p: Cond): Clause[];
  /** Sub-aggregation `metric` of each cell, when the count of requests is not the measure. */
  metric?: Record<string, unknown>;
  /** The measure is requests per minute: a 1-minute source is added and a session meets it in any minute. */
  perMinute?: boolean;
  /** True when a cell's measure meets the threshold. */
  meets(c: PatternCell, threshold: number): boolean;
}

const endpointLike = (p: Cond, fallback: string): Clause => endpointPatternClause(p.endpoint_pattern ?? fallback);
const metricAtLeast = (c: PatternCell, t: number) => (c.metric?.value ?? 0) >= t;
const requestsAtLeast = (c: PatternCell, t: number) => c.doc_count >= t;
const anyRequest = (c: PatternCell) => c.doc_count >= 1;

/**
 * The one table of conditions: selection, measure, comparison. `blocked`/`endpoint` need one matching request;
 * the others compare their measure (requests, attacks, distinct endpoints, requests per minute) with the threshold.
 */
export const CONDITION_SPECS: Record<IntervalCondition, ConditionSpec> = {
  attacks: {
    clauses: () => [{ term: { attacked: true } }],
    metric: { sum: { field: 'attack_count' } },
    meets: metricAtLeast,
  },
  auth_failures: {
    clauses: (p) => [{ terms: { status: [401, 403] } }, endpointLike(p, '*login*')],
    meets: requestsAtLeast,
  },
  distinct_endpoints: {
    clauses: () => [],
    metric: { cardinality: { field: 'endpoint', precision_threshold: 3000 } },
    meets: metricAtLeast,
  },
  rate: { clauses: () => [], perMinute: true, meets: requestsAtLeast },
  blocked: { clauses: () => [{ term: { blocked: true } }], meets: anyRequest },
  endpoint: { clauses: (p) => [endpointLike(p, '*')], meets: anyRequest },
  shadow_or_zombie: { clauses: () => [{ terms: { api_status: ['shadow', 'zombie'] } }], meets: requestsAtLeast },
};

/** Clauses that pre-select the requests a condition counts. */
export function conditionClauses(p: Cond): Clause[] {
  return CONDITION_SPECS[p.condition].clauses(p);
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
  const spec = CONDITION_SPECS[p.condition];
  if (spec.perMinute) sources.push({ m: { date_histogram: { field: 'ts', fixed_interval: '1m' } } });
  const aggs = spec.metric ? { metric: spec.metric } : undefined;
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(p), ...conditionClauses(p)] } },
    aggs: {
      cells: { composite: { size: PATTERNS_PAGE, sources, ...(after ? { after } : {}) }, ...(aggs ? { aggs } : {}) },
    },
  };
}

/** A composite bucket of the patterns query. */
export interface PatternCell {
  key: { t: number; g?: string | number | null; k: string; m?: number };
  doc_count: number;
  metric?: { value: number };
}

/** Most label series one patterns query answers (one frame each); more is `query_too_broad` naming `group_by`. */
export const MAX_PATTERN_SERIES = 200;

/**
 * Counts, per (label, interval), the distinct sessions meeting the condition while composite pages stream by
 * (pure). The composite is ordered (interval, label, key[, minute]), so a session's cells within one interval are
 * contiguous: only the current one is remembered. Memory: one counter array per label series.
 */
export class PatternCounter {
  private readonly series = new Map<string, Uint32Array>();
  private current: string | null = null;

  constructor(
    private readonly p: Pick<PatternsParams, 'condition' | 'threshold' | 'group_by'>,
    private readonly grid: number[],
  ) {}

  /** Adds the cells of one page. Throws QueryTooBroadError past MAX_PATTERN_SERIES labels. */
  add(cells: PatternCell[]): void {
    const spec = CONDITION_SPECS[this.p.condition as IntervalCondition];
    for (const c of cells) {
      if (!spec.meets(c, this.p.threshold)) continue;
      const label = this.p.group_by ? String(c.key.g ?? '') : '';
      if (spec.perMinute) {
        // Several minutes of one (interval, label, session): count the session once.
        const id = `${c.key.t}\u0000${label}\u0000${c.key.k}`;
        if (id === this.current) continue;
        this.current = id;
      }
      this.countAt(label, c.key.t);
    }
  }

  /** Counts one session for `label` in the interval holding time `t` (outside the grid: ignored). */
  countAt(label: string, t: number): void {
    const step = this.grid.length > 1 ? this.grid[1] - this.grid[0] : 1;
    const i = Math.floor((t - this.grid[0]) / step);
    if (i >= 0 && i < this.grid.length) this.counts(label)[i]++;
  }

  /** One frame per label (sorted); one unlabeled frame when not grouped or nothing matched. */
  frames(refId: string | undefined): DataFrame[] {
    const frameFor = (label: string | null) =>
      timeSeriesFrame(this.p.condition, refId, this.grid, [...(this.series.get(label ?? '') ?? this.zeros())], {
        int: true,
        fieldName: 'value',
        labels: label !== null && this.p.group_by ? { [this.p.group_by]: label } : undefined,
      });
    if (!this.p.group_by || this.series.size === 0) return [frameFor(this.p.group_by ? null : '')];
    return [...this.series.keys()].sort().map((l) => frameFor(l));
  }

  private zeros(): Uint32Array {
    return new Uint32Array(this.grid.length);
  }

  private counts(label: string): Uint32Array {
    let a = this.series.get(label);
    if (!a) {
      if (this.series.size >= MAX_PATTERN_SERIES) {
        const message = `more than ${MAX_PATTERN_SERIES} distinct ${this.p.group_by} values match; add a filter or group by less`;
        throw new QueryTooBroadError(`group_by: ${message}`, [{ field: 'group_by', message }]);
      }
      a = this.zeros();
      this.series.set(label, a);
    }
    return a;
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
  const counter = new PatternCounter(p, grid);
  counter.add(cells);
  return counter.frames(p.refId);
}

/** Interval grid: epoch-aligned interval starts covering [from, to]. */
export function intervalGrid(from: number, to: number, intervalMs: number): number[] {
  const grid: number[] = [];
  for (let t = alignDown(from, intervalMs); t <= to; t += intervalMs) grid.push(t);
  return grid;
}

/** Runs the patterns query: the composite streamed into a PatternCounter, within the cell budget. */
export async function runPatterns(p: PatternsParams, ctx: QueryContext): Promise<DataFrame[]> {
  let intervalMs = resolveInterval(p, ctx.range, 60_000, 5_000);
  // `rate` counts requests per minute: whole minutes must nest inside each interval.
  if (p.condition === 'rate') intervalMs = Math.ceil(intervalMs / 60_000) * 60_000;
  const grid = ctx.range.empty ? [] : intervalGrid(ctx.range.from, ctx.range.to, intervalMs);
  const counter = new PatternCounter(p, grid);
  if (ctx.range.empty) return counter.frames(p.refId);
  try {
    const { condition } = p;
    const complete =
      condition === 'skipped_step'
        ? // A part that skipped the step counts in the interval where it first reached the guarded endpoint.
          await scanSkippedSteps(p, ctx, (part) => counter.countAt(part.label ?? '', part.guardedAt))
        : await scanIntervalCells({ ...p, condition }, ctx, intervalMs, counter);
    if (!complete) throw patternsTooBroad(ctx, p);
    return counter.frames(p.refId);
  } catch (err) {
    throw tooComplexAsInputError(err, p.condition === 'skipped_step');
  }
}

/** Streams the (interval, [label], session[, minute]) cells into the counter; false when over the budget. */
async function scanIntervalCells(
  p: PatternsParams & Cond,
  ctx: QueryContext,
  intervalMs: number,
  counter: PatternCounter,
): Promise<boolean> {
  const scan = await scanComposite<PatternCell>(ctx, {
    aggName: 'cells',
    pageSize: PATTERNS_PAGE,
    filterPath: 'aggregations.*.after_key,aggregations.*.buckets,-**.value_as_string,-**.key_as_string',
    body: (after) => buildPatternsBody(p, ctx.range, intervalMs, after),
    onPage: (cells) => counter.add(cells),
  });
  return scan.complete;
}

function patternsTooBroad(ctx: QueryContext, p: PatternsParams): QueryTooBroadError {
  const details: FieldProblem[] = [{ field: 'from', message: 'narrow the time range' }];
  if (p.condition === 'skipped_step') {
    // Its cells are (session, part-bucket), not intervals: fewer sessions or wider buckets make it cheaper.
    details.push(
      { field: 'idle_timeout_minutes', message: 'a longer idle timeout groups with fewer, wider buckets' },
      {
        field: 'host',
        message: 'or add a filter (host, app, …): only sessions that reached the guarded step are read',
      },
    );
  } else details.push({ field: 'interval_ms', message: 'a longer interval counts with fewer buckets' });
  if (p.group_by) details.push({ field: 'group_by', message: 'grouping multiplies the buckets' });
  return new QueryTooBroadError(
    `this pattern needs more aggregation buckets than this service's budget of ` +
      `${ctx.budget.limits.maxCells.toLocaleString('en-US')} (QUERY_MAX_CELLS); ${details.map((d) => d.message).join('; ')}`,
    details,
  );
}

/** OpenSearch refuses wildcard automata that are too costly to determinize: that is the pattern's fault (400). */
function tooComplexAsInputError(err: unknown, twoPatterns: boolean): unknown {
  const e = err as { statusCode?: number; message?: string; meta?: { body?: unknown } };
  const text = `${e?.message ?? ''} ${JSON.stringify(e?.meta?.body ?? '')}`;
  if (e?.statusCode === 400 && /automaton|too complex|TooComplexToDeterminize/i.test(text)) {
    const message = 'pattern is too complex; use fewer * wildcards';
    const fields = twoPatterns ? ['endpoint_pattern', 'predecessor_pattern'] : ['endpoint_pattern'];
    return new InputError(
      fields.map((f) => `${f}: ${message}`).join('; '),
      fields.map((field) => ({ field, message })),
    );
  }
  return err;
}
