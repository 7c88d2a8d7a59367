/**
 * `performance`: latency percentiles, rates and errors over time; slowest endpoints; per-session peak rates. Each view
 * has a pure frame builder (toPerformanceFrames here; toSlowestFrame, toSessionRatesFrame in performance-tables.ts).
 */
import { z } from 'zod';
import { baseShape, resolveInterval, type QueryContext } from '../context';
import { boolParam, buildFilterClauses, filterShape, rangeClause, toBool } from '../filters';
import { QueryTooBroadError } from '../../http/errors';
import { SCAN_PARTITIONS, scanAll, scanComposite, type ScanSpec } from '../composite';
import { timeSeriesFrame, type DataFrame } from '../frames';
import { keyPartitions } from '../key-space';
import { searchAggs } from '../search';
import { alignDown } from '../time';
import {
  PeakHistogram,
  PeakTracker,
  RATES_PAGE,
  SLOWEST_PAGE,
  buildSessionRatesBody,
  buildSlowestBody,
  createSlowestTop,
  toSessionRatesFrame,
  toSlowestFrame,
  type MinuteCell,
  type SlowCell,
} from './performance-tables';

/** Parameters of the `performance` query. */
export const performanceParams = z.object({
  queryType: z.literal('performance'),
  ...baseShape,
  ...filterShape,
  view: z.enum(['timeseries', 'slowest_endpoints', 'session_rates']).default('timeseries'),
  by_endpoint: boolParam.default(false),
  limit: z.number().int().min(1).max(100).default(10),
});
/** Parsed `performance` parameters. */
export type PerformanceParams = z.infer<typeof performanceParams>;

const SERIES = ['latency_p50', 'latency_p95', 'latency_p99', 'rate', 'error_rate'] as const;

function histogram(from: number, to: number, intervalMs: number) {
  return {
    date_histogram: {
      field: 'ts',
      fixed_interval: `${intervalMs}ms`,
      min_doc_count: 0,
      extended_bounds: { min: alignDown(from, intervalMs), max: to },
    },
    aggs: {
      lat: { percentiles: { field: 'duration_ms', percents: [50, 95, 99] } },
      errors: { sum: { field: 'is_error' } },
    },
  };
}

/**
 * Date histogram with percentiles [50, 95, 99] of `duration_ms` and the 5xx sum; per endpoint when asked.
 * @example buildPerformanceBody({by_endpoint:false}, {from:0,to:60000}, 1000)
 * → { size:0, aggs:{over_time:{date_histogram:{fixed_interval:'1000ms', min_doc_count:0, extended_bounds}, aggs:{lat:percentiles, errors:sum is_error}}} }
 */
export function buildPerformanceBody(
  p: Partial<PerformanceParams>,
  range: { from: number; to: number },
  intervalMs: number,
) {
  const over_time = histogram(range.from, range.to, intervalMs);
  const aggs = toBool(p.by_endpoint)
    ? { endpoints: { terms: { field: 'endpoint', size: p.limit ?? 10 }, aggs: { over_time } } }
    : { over_time };
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(p)] } },
    aggs,
  };
}

interface HistBucket {
  key: number;
  doc_count: number;
  lat: { values: Record<string, number | null> };
  errors: { value: number };
}

/**
 * Turns one histogram into the five series frames (pure).
 * @example toPerformanceFrames([{key:0, doc_count:2, lat:{values:{'50.0':10,…}}, errors:{value:1}}], 1000, {refId:'A'})
 * → latency_p50 [10], …, rate [2], error_rate [0.5]
 */
export function toPerformanceFrames(
  buckets: HistBucket[],
  intervalMs: number,
  opts: { refId?: string; labels?: Record<string, string> },
): DataFrame[] {
  const times = buckets.map((b) => b.key);
  const pct = (k: string) => buckets.map((b) => (b.doc_count > 0 ? (b.lat.values[k] ?? null) : null));
  const values: Record<(typeof SERIES)[number], (number | null)[]> = {
    latency_p50: pct('50.0'),
    latency_p95: pct('95.0'),
    latency_p99: pct('99.0'),
    rate: buckets.map((b) => b.doc_count / (intervalMs / 1000)),
    error_rate: buckets.map((b) => (b.doc_count > 0 ? b.errors.value / b.doc_count : null)),
  };
  const unit = {
    latency_p50: 'ms',
    latency_p95: 'ms',
    latency_p99: 'ms',
    rate: 'reqps',
    error_rate: 'percentunit',
  } as const;
  return SERIES.map((name) =>
    timeSeriesFrame(name, opts.refId, times, values[name], { labels: opts.labels, unit: unit[name] }),
  );
}

/** Runs the performance query for the chosen view. */
export async function runPerformance(p: PerformanceParams, ctx: QueryContext): Promise<DataFrame[]> {
  if (p.view === 'slowest_endpoints') return runSlowest(p, ctx);
  if (p.view === 'session_rates') return runSessionRates(p, ctx);
  const byEndpoint = toBool(p.by_endpoint) === true;
  const intervalMs = resolveInterval(p, ctx.range, 1000, byEndpoint ? Math.floor(50_000 / p.limit) : 10_000);
  if (ctx.range.empty) return toPerformanceFrames([], intervalMs, { refId: p.refId });
  const res = await searchAggs(ctx, buildPerformanceBody(p, ctx.range, intervalMs));
  if (!byEndpoint)
    return toPerformanceFrames(res.aggregations?.over_time?.buckets ?? [], intervalMs, { refId: p.refId });
  const endpoints: { key: string; over_time: { buckets: HistBucket[] } }[] = res.aggregations?.endpoints?.buckets ?? [];
  return endpoints.flatMap((e) =>
    toPerformanceFrames(e.over_time.buckets, intervalMs, { refId: p.refId, labels: { endpoint: e.key } }),
  );
}

async function runSlowest(p: PerformanceParams, ctx: QueryContext): Promise<DataFrame[]> {
  const top = createSlowestTop(p.limit);
  if (!ctx.range.empty) {
    const scan = await scanComposite<SlowCell>(ctx, {
      aggName: 'pairs',
      pageSize: SLOWEST_PAGE,
      filterPath: 'aggregations.*.after_key,aggregations.*.buckets',
      body: (after) => buildSlowestBody(p, ctx.range, after),
      onPage: (cells) => top.add(cells),
    });
    if (!scan.complete) throw tablesTooBroad(ctx, 'endpoints');
  }
  return [toSlowestFrame(top.rows(), p.refId)];
}

/**
 * Per-session peak rates: (key, minute) cells streamed in key-range partitions (each a key-ordered stream with its
 * own tracker) into one exact histogram.
 */
async function runSessionRates(p: PerformanceParams, ctx: QueryContext): Promise<DataFrame[]> {
  const histogram = new PeakHistogram();
  if (!ctx.range.empty) {
    const ranges = keyPartitions(ctx.scan?.partitions ?? SCAN_PARTITIONS);
    const specs = ranges.map((range): ScanSpec<MinuteCell> => {
      const tracker = new PeakTracker(histogram);
      return {
        aggName: 'minutes',
        pageSize: RATES_PAGE,
        filterPath: 'aggregations.*.after_key,aggregations.*.buckets.key.k,aggregations.*.buckets.doc_count',
        keys: { source: 'k', range, startAfter: (gte) => ({ k: gte, m: 0 }) },
        body: (after) => buildSessionRatesBody(p, ctx.range, after),
        onPage: (cells) => tracker.add(cells),
        onDone: () => tracker.end(),
      };
    });
    const scan = await scanAll(ctx, specs, ctx.scan?.concurrency);
    if (!scan.complete) throw tablesTooBroad(ctx, 'session minutes');
  }
  return [toSessionRatesFrame(histogram, p.refId)];
}

function tablesTooBroad(ctx: QueryContext, what: string): QueryTooBroadError {
  const message = 'narrow the time range or add a filter';
  return new QueryTooBroadError(
    `this table needs more ${what} than this service's budget of ` +
      `${ctx.budget.limits.maxCells.toLocaleString('en-US')} aggregation buckets (QUERY_MAX_CELLS); ${message}`,
    [{ field: 'from', message }],
  );
}
