/** Pure bodies and reducers of the performance tables (slowest endpoints, per-session peak rates). */
import { buildFilterClauses, rangeClause, type Filters } from '../filters';

/**
 * Composite over (endpoint, method) with latency percentiles and the 5xx sum, paged; sorted by p95 in Node
 * so low-traffic slow endpoints are not missed.
 * @example buildSlowestBody({}, {from:0,to:9}, undefined) → { aggs:{pairs:{composite:{sources:[endpoint, method]}, aggs:{lat, errors}}} }
 */
export function buildSlowestBody(
  f: Partial<Filters>,
  range: { from: number; to: number },
  after: Record<string, unknown> | undefined,
) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(f)] } },
    aggs: {
      pairs: {
        composite: {
          size: 1000,
          sources: [{ endpoint: { terms: { field: 'endpoint' } } }, { method: { terms: { field: 'method' } } }],
          ...(after ? { after } : {}),
        },
        aggs: {
          lat: { percentiles: { field: 'duration_ms', percents: [50, 95, 99] } },
          errors: { sum: { field: 'is_error' } },
        },
      },
    },
  };
}

/** A composite bucket of the slowest-endpoints query. */
export interface SlowCell {
  key: { endpoint: string; method: string };
  doc_count: number;
  lat: { values: Record<string, number | null> };
  errors: { value: number };
}

/** One row of the slowest-endpoints table. */
export interface SlowRow {
  endpoint: string;
  method: string;
  requests: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorRate: number;
}

/** Sorts (endpoint, method) pairs by p95 descending (then requests) and keeps `limit`. */
export function toSlowestRows(cells: SlowCell[], limit: number): SlowRow[] {
  return cells
    .map((c) => ({
      endpoint: c.key.endpoint,
      method: c.key.method,
      requests: c.doc_count,
      p50: c.lat.values['50.0'] ?? null,
      p95: c.lat.values['95.0'] ?? null,
      p99: c.lat.values['99.0'] ?? null,
      errorRate: c.doc_count > 0 ? c.errors.value / c.doc_count : 0,
    }))
    .sort((a, b) => (b.p95 ?? -1) - (a.p95 ?? -1) || b.requests - a.requests)
    .slice(0, limit);
}

/**
 * Composite over (session.key, 1-minute buckets): doc counts only; each key's peak minute is its max.
 * @example buildSessionRatesBody({}, {from:0,to:9}, undefined) → { aggs:{minutes:{composite:{sources:[k: session.key, m: date_histogram 1m]}}} }
 */
export function buildSessionRatesBody(
  f: Partial<Filters>,
  range: { from: number; to: number },
  after: Record<string, unknown> | undefined,
) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to), ...buildFilterClauses(f)] } },
    aggs: {
      minutes: {
        composite: {
          size: 10_000,
          sources: [
            { k: { terms: { field: 'session.key' } } },
            { m: { date_histogram: { field: 'ts', fixed_interval: '1m' } } },
          ],
          ...(after ? { after } : {}),
        },
      },
    },
  };
}

/** A composite bucket of the session-rates query. */
export interface MinuteCell {
  key: { k: string; m: number };
  doc_count: number;
}

/** Peak requests-per-minute of each session key. */
export function peakPerKey(cells: MinuteCell[]): number[] {
  const peak = new Map<string, number>();
  for (const c of cells) peak.set(c.key.k, Math.max(peak.get(c.key.k) ?? 0, c.doc_count));
  return [...peak.values()];
}

/**
 * Nearest-rank percentile of ascending `sorted` values; null when empty.
 * @example percentileOf([1, 2, 3, 4], 50) → 2
 */
export function percentileOf(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[rank - 1];
}
