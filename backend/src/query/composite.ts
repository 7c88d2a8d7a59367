/**
 * Streaming composite scans: pages are handed to a consumer as they arrive and dropped, so a query's memory is a
 * page per running scan plus what the consumer keeps — never the range's cells. Every page is counted against the
 * query's cell budget (`QUERY_MAX_CELLS`); scans stop once it is spent and say so.
 *
 * Several scans (key-range partitions, days) run page by page in turn, `concurrency` pages at a time, so a scan
 * stopped early has read a similar share of each. A key range is walked with the composite's `after` key (start)
 * and by dropping buckets past its end: the daily indices are sorted by (session.key, ts), so OpenSearch stops
 * collecting a page once it is full (a `range` filter on the key would instead cost a pass over every document
 * of the range per page; measured in bench/query).
 */
import type { QueryContext } from './context';
import type { KeyRange } from './key-space';
import { runSearch } from './search';

/** Key-range partitions of a key-first scan over a single population (no day split). */
export const SCAN_PARTITIONS = 2;
/** Pages one query has in flight at once (OpenSearch runs each search on its own thread). */
export const SCAN_CONCURRENCY = 2;

/** A composite bucket as OpenSearch returns it. */
export interface CompositeBucket {
  key: Record<string, unknown>;
  doc_count: number;
}

/** What one scan reads and where it hands the buckets. */
export interface ScanSpec<B extends CompositeBucket> {
  /** Name of the composite aggregation in the body. */
  aggName: string;
  /** Body of one page (`after`: the composite's after key). */
  body(after: Record<string, unknown> | undefined): Record<string, unknown>;
  /**
   * The largest page. The scan sets the composite's `size` itself: this, or less when the budget has fewer cells
   * left (so a query reads at most about QUERY_MAX_CELLS). A shorter page than asked for is the last one.
   */
  pageSize: number;
  filterPath?: string;
  /** Search this index expression instead of the query's (one day's index). */
  index?: string;
  /**
   * Key-first composites: the part of the key space to read, with the name of the key source and the after key
   * that starts just before `range.gte` (e.g. `{k: gte, t: 0}`).
   */
  keys?: { source: string; range: KeyRange; startAfter(gte: string): Record<string, unknown> };
  /** Consumes one page (synchronously; the page is dropped afterwards). */
  onPage(buckets: B[]): void;
  /** Checked after each page: true ends every scan of the run early. */
  stop?(): boolean;
  /** Called once this scan has ended, with how it ended. */
  onDone?(result: ScanResult): void;
}

/** How a scan ended. */
export interface ScanResult {
  /** Every bucket of the composite (of the key range) was read. */
  complete: boolean;
  /** It stopped because the query's cell budget was spent. */
  overBudget: boolean;
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

/** One scan's position: reads its next page on `step()`. */
class Cursor<B extends CompositeBucket> {
  private after: Record<string, unknown> | undefined;
  result: ScanResult | null = null;

  constructor(
    private readonly ctx: QueryContext,
    private readonly spec: ScanSpec<B>,
    private readonly sharing: number,
  ) {
    const gte = spec.keys?.range.gte;
    if (gte !== undefined) this.after = spec.keys!.startAfter(gte);
  }

  /** Reads one page; returns false when this scan has ended (see `result`). */
  async step(): Promise<boolean> {
    const { ctx, spec } = this;
    const size = pageSizeFor(spec.pageSize, ctx.budget.cellsLeft, this.sharing);
    const body = spec.body(this.after);
    (body.aggs as Record<string, { composite: { size: number } }>)[spec.aggName].composite.size = size;
    const res = await runSearch(ctx.client, spec.index ?? ctx.index, body, {
      requestCache: ctx.requestCache !== false,
      filterPath: spec.filterPath,
      budget: ctx.budget,
    });
    const agg = res.aggregations?.[spec.aggName];
    let buckets: B[] = agg?.buckets ?? [];
    const within = ctx.budget.spend(buckets.length);
    let last = !agg?.after_key || buckets.length < size;
    const lt = spec.keys?.range.lt;
    if (lt !== undefined) {
      const source = spec.keys!.source;
      const end = buckets.findIndex((b) => String(b.key[source]) >= lt);
      if (end >= 0) {
        buckets = buckets.slice(0, end);
        last = true;
      }
    }
    spec.onPage(buckets);
    if (last) return this.end({ complete: true, overBudget: false });
    if (!within) return this.end({ complete: false, overBudget: true });
    this.after = agg.after_key;
    return true;
  }

  /** True when the consumer asks every scan of the run to stop. */
  stopRequested(): boolean {
    return this.spec.stop?.() ?? false;
  }

  /** Ends the scan (early when another scan spent the budget or the consumer asked to stop). */
  end(result: ScanResult): false {
    if (!this.result) {
      this.result = result;
      this.spec.onDone?.(result);
    }
    return false;
  }
}

/** The outcome of a run of scans. */
export interface ScanRunResult extends ScanResult {
  /** Each scan's result, in the order given. */
  scans: ScanResult[];
}

/**
 * Runs scans page by page in turn, `concurrency` pages in flight. Once one stops early (budget spent, `stop()`),
 * the others end where they are (incomplete). `complete` only if every scan read to its end.
 */
export async function scanAll<B extends CompositeBucket>(
  ctx: QueryContext,
  specs: ScanSpec<B>[],
  concurrency = SCAN_CONCURRENCY,
): Promise<ScanRunResult> {
  const workers = Math.max(1, Math.min(concurrency, specs.length));
  // Pages share the budget's remaining cells among all scans, so each one reads some before it is spent.
  const cursors = specs.map((s) => new Cursor(ctx, s, Math.max(workers, specs.length)));
  const queue = [...cursors];
  const run = { stopped: null as ScanResult | null };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!run.stopped && queue.length > 0) {
        const cursor = queue.shift()!;
        const more = await cursor.step();
        if (more) {
          if (cursor.stopRequested()) run.stopped = { complete: false, overBudget: false };
          else queue.push(cursor);
        } else if (!cursor.result!.complete) run.stopped = cursor.result;
      }
    }),
  );
  for (const c of cursors) if (!c.result) c.end({ complete: false, overBudget: false });
  const scans = cursors.map((c) => c.result!);
  return {
    complete: scans.every((r) => r.complete),
    overBudget: scans.some((r) => r.overBudget),
    scans,
  };
}

/** Pages one composite aggregation to its end, the budget's end, or `stop()`. */
export async function scanComposite<B extends CompositeBucket>(
  ctx: QueryContext,
  spec: ScanSpec<B>,
): Promise<ScanResult> {
  return (await scanAll(ctx, [spec], 1)).scans[0];
}
