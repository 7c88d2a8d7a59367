/**
 * The streaming scan of session parts (I/O): the (key, W-bucket) composite read in key-range partitions at once,
 * each partition's cells grouped as they arrive (PartGrouper) into a PartTally, the best rows into one shared
 * top-N. Memory is a page per partition plus the top-N, whatever the range.
 *
 * When the cells would exceed the budget (QUERY_MAX_CELLS) the scan stops early: a total becomes an estimate from
 * the keys read so far (they are a uniform sample of the key space: session keys are HMAC digests), and rows that
 * need every cell are refused (`query_too_broad`).
 */
import { PartGrouper, type PartCriteria, type SessionPart, type SessionizeOptions } from '../../../session/grouping';
import type { Clause } from '../../filters';
import type { QueryContext } from '../../context';
import { SCAN_PARTITIONS, scanPartitions } from '../../composite';
import { estimateTotal, isHexKey, keyPartitions } from '../../key-space';
import type { TopN } from '../../top-n';
import {
  COMPOSITE_FILTER_PATH,
  COMPOSITE_PAGE,
  buildSessionBucketsBody,
  toSessionBucket,
  type CellMetrics,
  type RawCell,
} from './body';
import { mergeSamples, PartTally } from './tally';

/** A total that must be estimated is sampled until its ~95% interval is within this share of it. */
export const ESTIMATE_RELATIVE_ERROR = 0.01;
/** The scan predicts its size only once it has seen this share of the key space. */
const MIN_PREDICTION_FRACTION = 0.02;

/** Grouping parameters: idle timeout, bucket width, day split. */
export interface Grouping extends SessionizeOptions {
  widthMs: number;
}

/** What to scan. */
export interface PartScanQuery {
  grouping: Grouping;
  criteria: PartCriteria;
  metrics: CellMetrics;
  filterClauses: Clause[];
  /** Only these keys (candidates of a filtered list, or the pruned search's keys). */
  keys?: string[];
  /** Where the best rows go (null: count only). */
  top: TopN<SessionPart> | null;
  /** Past the budget: estimate the total, or stop so the caller can refuse. */
  overBudget: 'estimate' | 'refuse';
}

/** The outcome of a scan. */
export interface PartScanResult {
  /** Matching parts: exact when `exact`, else the estimate. */
  total: number;
  exact: boolean;
  /** Half-width of the estimate's ~95% interval (0 when exact). */
  error: number;
  /** The cells the whole range would need, as predicted when the scan stopped early (else the cells read). */
  predictedCells: number;
}

/** Scans the parts of the query's range. See the module comment. */
export async function scanParts(ctx: QueryContext, q: PartScanQuery): Promise<PartScanResult> {
  const ranges = keyPartitions(q.keys ? 1 : SCAN_PARTITIONS);
  const tallies = ranges.map(() => new PartTally(q.criteria, q.top));
  const groupers = tallies.map((t) => new PartGrouper(q.grouping, (p) => t.add(p)));
  const startCells = ctx.budget.cells;
  const progress = () => {
    const sample = mergeSamples(tallies.map((t, i) => t.sample(ranges[i], false)));
    const cells = ctx.budget.cells - startCells;
    const hex = tallies.every((t) => t.lastKey === undefined || isHexKey(t.lastKey));
    return { sample, predicted: hex && sample.fraction >= MIN_PREDICTION_FRACTION ? cells / sample.fraction : 0 };
  };
  const stop = () => {
    const { sample, predicted } = progress();
    if (predicted <= ctx.budget.limits.maxCells * 1.1) return false;
    if (q.overBudget === 'refuse') return true;
    const e = estimateTotal(sample);
    return e.total > 0 && e.error / e.total <= ESTIMATE_RELATIVE_ERROR;
  };
  const { from, to } = ctx.range;
  const result = await scanPartitions<RawCell>(ctx, ranges, (_range, i) => ({
    aggName: 'cells',
    pageSize: COMPOSITE_PAGE,
    filterPath: COMPOSITE_FILTER_PATH,
    keySource: 'k',
    body: (after, keyClause) =>
      buildSessionBucketsBody(
        {
          from,
          to,
          widthMs: q.grouping.widthMs,
          keys: q.keys,
          filterClauses: q.filterClauses,
          metrics: q.metrics,
          keyClause,
        },
        after,
      ),
    onPage: (cells) => {
      for (const c of cells) groupers[i].push(toSessionBucket(c));
    },
    stop,
  }));
  result.partitions.forEach((r, i) => {
    if (!r.complete) return;
    groupers[i].end();
    tallies[i].finish();
  });
  if (result.complete) {
    const total = tallies.reduce((n, t) => n + t.committed, 0);
    return { total, exact: true, error: 0, predictedCells: ctx.budget.cells - startCells };
  }
  const sample = mergeSamples(tallies.map((t, i) => t.sample(ranges[i], result.partitions[i].complete)));
  const estimate = estimateTotal(sample);
  const cells = ctx.budget.cells - startCells;
  return {
    total: estimate.total,
    exact: false,
    error: estimate.error,
    predictedCells: sample.fraction > 0 ? Math.round(cells / sample.fraction) : cells,
  };
}
