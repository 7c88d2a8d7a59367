/**
 * The performance tables (pure): bodies, streaming reducers and frame builders of the slowest endpoints and of the
 * per-session peak rates. The reducers keep O(limit) rows and a histogram of peak values, never the range's cells.
 */
import { buildFilterClauses, rangeClause, type Filters } from '../filters';
import { buildFrame, floatColumn, intColumn, stringColumn, type DataFrame } from '../frames';
import { TopN } from '../top-n';

/** Composite page of the slowest-endpoints scan (each bucket carries a percentiles sketch). */
export const SLOWEST_PAGE = 1000;
/** Composite page of the session-rates scan (doc counts only). */
export const RATES_PAGE = 10_000;

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
          size: SLOWEST_PAGE,
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

const toSlowRow = (c: SlowCell): SlowRow => ({
  endpoint: c.key.endpoint,
  method: c.key.method,
  requests: c.doc_count,
  p50: c.lat.values['50.0'] ?? null,
  p95: c.lat.values['95.0'] ?? null,
  p99: c.lat.values['99.0'] ?? null,
  errorRate: c.doc_count > 0 ? c.errors.value / c.doc_count : 0,
});

/** Slowest first: p95 descending, then requests descending, then endpoint and method (a total order). */
const compareSlow = (a: SlowRow, b: SlowRow) =>
  (b.p95 ?? -1) - (a.p95 ?? -1) ||
  b.requests - a.requests ||
  (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0) ||
  (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);

/** A streaming top-`limit` of (endpoint, method) pairs by p95: `add` each page, `rows()` at the end. */
export function createSlowestTop(limit: number) {
  const top = new TopN<SlowRow>(limit, compareSlow);
  return {
    add: (cells: SlowCell[]) => cells.forEach((c) => top.offer(toSlowRow(c))),
    rows: () => top.sorted(),
  };
}

/** Sorts (endpoint, method) pairs by p95 descending (then requests) and keeps `limit`. */
export function toSlowestRows(cells: SlowCell[], limit: number): SlowRow[] {
  const top = createSlowestTop(limit);
  top.add(cells);
  return top.rows();
}

/** The slowest-endpoints table frame. */
export function toSlowestFrame(rows: SlowRow[], refId: string | undefined): DataFrame {
  const col = <T>(f: (r: SlowRow) => T) => rows.map(f);
  const ms = { config: { unit: 'ms' } };
  return buildFrame(
    'slowest_endpoints',
    refId,
    [
      stringColumn(
        'endpoint',
        col((r) => r.endpoint),
      ),
      stringColumn(
        'method',
        col((r) => r.method),
      ),
      intColumn(
        'requests',
        col((r) => r.requests),
      ),
      floatColumn(
        'p50_ms',
        col((r) => r.p50),
        ms,
      ),
      floatColumn(
        'p95_ms',
        col((r) => r.p95),
        ms,
      ),
      floatColumn(
        'p99_ms',
        col((r) => r.p99),
        ms,
      ),
      floatColumn(
        'error_rate',
        col((r) => r.errorRate),
        { config: { unit: 'percentunit' } },
      ),
    ],
    { preferredVisualisationType: 'table' },
  );
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
          size: RATES_PAGE,
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

/**
 * Exact distribution of per-session peaks: value → number of sessions. Peaks are whole requests per minute, so the
 * distinct values are few (at most √(2 · requests)) however many sessions there are.
 */
export class PeakHistogram {
  private readonly counts = new Map<number, number>();
  /** Sessions counted. */
  sessions = 0;

  /** Counts one session's peak. */
  add(peak: number): void {
    this.counts.set(peak, (this.counts.get(peak) ?? 0) + 1);
    this.sessions++;
  }

  /**
   * Nearest-rank percentile; null when empty.
   * @example (peaks 1, 2, 3, 4).percentile(50) → 2
   */
  percentile(q: number): number | null {
    if (this.sessions === 0) return null;
    const rank = Math.max(1, Math.ceil((q / 100) * this.sessions));
    let seen = 0;
    for (const v of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(v)!;
      if (seen >= rank) return v;
    }
    return null;
  }
}

/**
 * Peaks of one key-ordered stream of (key, minute) cells: a key's minutes are contiguous, so only the current key's
 * peak is held; each finished key goes into the histogram.
 */
export class PeakTracker {
  private key: string | undefined;
  private peak = 0;

  constructor(private readonly into: PeakHistogram) {}

  /** Adds one page of cells. */
  add(cells: MinuteCell[]): void {
    for (const c of cells) {
      if (c.key.k !== this.key) {
        this.end();
        this.key = c.key.k;
      }
      this.peak = Math.max(this.peak, c.doc_count);
    }
  }

  /** Ends the stream (the last key is complete). */
  end(): void {
    if (this.key !== undefined) this.into.add(this.peak);
    this.key = undefined;
    this.peak = 0;
  }
}

/** The session-rates table frame: p50/p90/p99 of the sessions' peak requests per minute. */
export function toSessionRatesFrame(h: PeakHistogram, refId: string | undefined): DataFrame {
  const qs = [50, 90, 99];
  return buildFrame(
    'session_rates',
    refId,
    [
      stringColumn(
        'percentile',
        qs.map((q) => `p${q}`),
      ),
      floatColumn(
        'requests_per_minute',
        qs.map((q) => h.percentile(q)),
      ),
    ],
    { preferredVisualisationType: 'table', custom: { sessions: h.sessions } },
  );
}
