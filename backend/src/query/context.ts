import { z } from 'zod';
import type { Client } from '@opensearch-project/opensearch';
import { timeParam, type TimeRange } from './time';
import type { Config } from '../config';
import { DAY_MS } from '../durations';
import type { QueryBudget } from './budget';

/**
 * Parameters accepted on every query type: the Grafana plugin sends `refId`, `interval_ms` and
 * `max_data_points`; `datasource_uid` (optional) lets the session list emit an Explore link.
 */
export const baseShape = {
  refId: z.string().max(64).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  interval_ms: z
    .number()
    .int()
    .positive()
    .max(7 * DAY_MS)
    .optional(),
  max_data_points: z.number().int().positive().max(100_000).optional(),
  datasource_uid: z.string().max(128).optional(),
};

/** What a query handler gets besides its parameters. */
export interface QueryContext {
  client: Client;
  config: Pick<Config, 'indexPrefix' | 'retentionDays'>;
  /** The clamped time range. */
  range: TimeRange;
  /** The indices covering the range: daily names, or month wildcards for long ranges (query/indices.ts). */
  index: string;
  now: number;
  /** Cells read, deadline and abort signal of this query (budget.ts). */
  budget: QueryBudget;
  /** Use OpenSearch's shard request cache for aggregations (default true). */
  requestCache?: boolean;
  /** Scan tuning for the benchmark's side-by-side steps (bench/query); the service uses the defaults. */
  scan?: ScanTuning;
}

/** How session-key scans are run (defaults: SCAN_PARTITIONS, SCAN_CONCURRENCY at a time, COMPOSITE_PAGE cells). */
export interface ScanTuning {
  partitions?: number;
  concurrency?: number;
  pageSize?: number;
  /** false: count every day, never from the day cache (types/sessions/day-cache.ts). */
  dayCache?: boolean;
  /** false: read partial days whole, never from cached blocks of part starts (types/sessions/start-blocks.ts). */
  blockCache?: boolean;
  /** false: read a split-by-day range as one population, not day by day. */
  dayStreams?: boolean;
}

/** Picks the refId of a query (frames carry it back). */
export function refIdOf(params: { refId?: string }): string | undefined {
  return params.refId;
}

/**
 * Resolves the interval of a time series: `interval_ms` when given, else range / `max_data_points`
 * (default 1000), never below `minMs`, and coarse enough to keep at most `maxBuckets` intervals.
 */
export function resolveInterval(
  params: { interval_ms?: number; max_data_points?: number },
  range: TimeRange,
  minMs = 1000,
  maxBuckets = 10_000,
): number {
  const span = Math.max(1, range.to - range.from);
  const wanted = params.interval_ms ?? Math.ceil(span / (params.max_data_points ?? 1000));
  const floor = Math.max(minMs, Math.ceil(span / maxBuckets));
  return Math.max(wanted, floor);
}
