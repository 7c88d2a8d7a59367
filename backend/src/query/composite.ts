/**
 * Streaming composite scans: pages are handed to a consumer as they arrive and dropped, so a query's memory is one
 * page (per partition) plus what the consumer keeps — never the range's cells. Every page is counted against the
 * query's cell budget (`QUERY_MAX_CELLS`); the scan stops once it is spent and says so.
 */
import type { QueryContext } from './context';
import { keyRangeClause, type KeyRange } from './key-space';
import { searchAggs } from './search';

/**
 * Key-range partitions one query scans at once (key-first composites). OpenSearch runs each on its own search
 * thread, so a single query uses more than one core; measured in bench/query (docs/performance.md).
 */
export const SCAN_PARTITIONS = 2;

/** A composite bucket as OpenSearch returns it. */
export interface CompositeBucket {
  key: Record<string, unknown>;
  doc_count: number;
}

/** What one scan reads and where it hands the buckets. */
export interface ScanSpec<B extends CompositeBucket> {
  /** Name of the composite aggregation in the body. */
  aggName: string;
  /**
   * Body of one page. `after` is the composite's after key; `keyClause` (key-first composites only) restricts
   * `session.key` to the partition's unread rest and must go into the query's filters.
   */
  body(after: Record<string, unknown> | undefined, keyClause: Record<string, unknown> | null): Record<string, unknown>;
  /**
   * The largest page. The scan sets the composite's `size` itself: this, or less when the budget has fewer cells
   * left (so a query reads at most about QUERY_MAX_CELLS). A shorter page than asked for is the last one.
   */
  pageSize: number;
  filterPath?: string;
  /**
   * For composites whose first source is `session.key`: that source's name. Each page then narrows the key range
   * to keys ≥ the after key's, so a deep page does not re-visit the documents of the pages before it.
   */
  keySource?: string;
  /** The partition of the key space this scan covers (key-first composites only). */
  range?: KeyRange;
  /** Consumes one page (synchronously; the page is dropped afterwards). */
  onPage(buckets: B[]): void;
  /** Checked after each page: true ends the scan early. */
  stop?(): boolean;
}

/** Smallest page a scan asks for, even with the budget nearly spent. */
const MIN_PAGE = 100;

/**
 * Page size: the spec's, or the budget's remaining cells shared by the concurrent scans, whichever is smaller.
 * @example pageSizeFor(10_000, 1_500, 2) → 750
 */
export function pageSizeFor(pageSize: number, cellsLeft: number, concurrentScans: number): number {
  return Math.max(Math.min(MIN_PAGE, pageSize), Math.min(pageSize, Math.ceil(cellsLeft / concurrentScans)));
}

/** How a scan ended. */
export interface ScanResult {
  /** Every bucket of the composite was read. */
  complete: boolean;
  /** It stopped because the query's cell budget was spent. */
  overBudget: boolean;
}

/** Pages a composite aggregation to its end, the budget's end, or `stop()`. */
export async function scanComposite<B extends CompositeBucket>(
  ctx: QueryContext,
  spec: ScanSpec<B>,
  concurrentScans = 1,
): Promise<ScanResult> {
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const fromKey = spec.keySource && after ? String(after[spec.keySource]) : undefined;
    const clause = spec.keySource ? keyRangeClause(spec.range ?? {}, fromKey) : null;
    const size = pageSizeFor(spec.pageSize, ctx.budget.cellsLeft, concurrentScans);
    const body = spec.body(after, clause);
    (body.aggs as Record<string, { composite: { size: number } }>)[spec.aggName].composite.size = size;
    const res = await searchAggs(ctx, body, spec.filterPath);
    const agg = res.aggregations?.[spec.aggName];
    const buckets: B[] = agg?.buckets ?? [];
    spec.onPage(buckets);
    const within = ctx.budget.spend(buckets.length);
    if (!agg?.after_key || buckets.length < size) return { complete: true, overBudget: false };
    if (!within) return { complete: false, overBudget: true };
    if (spec.stop?.()) return { complete: false, overBudget: false };
    after = agg.after_key;
  }
}

/**
 * Runs one scan per key range concurrently (key-first composites: each range's keys are contiguous in its own
 * stream). Resolves when all are done with each partition's result and the overall one (`complete` only if every
 * partition read to its end).
 */
export async function scanPartitions<B extends CompositeBucket>(
  ctx: QueryContext,
  ranges: KeyRange[],
  specFor: (range: KeyRange, index: number) => ScanSpec<B>,
): Promise<ScanResult & { partitions: ScanResult[] }> {
  const partitions = await Promise.all(
    ranges.map((r, i) => scanComposite(ctx, { ...specFor(r, i), range: r }, ranges.length)),
  );
  return {
    complete: partitions.every((r) => r.complete),
    overBudget: partitions.some((r) => r.overBudget),
    partitions,
  };
}
