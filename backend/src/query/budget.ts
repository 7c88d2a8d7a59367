/**
 * The cost budget of one query: the aggregation buckets (cells) it may read (`QUERY_MAX_CELLS`), its deadline
 * (`QUERY_TIMEOUT_MS`) and the abort signal that cancels its OpenSearch searches (timeout or client gone).
 */
import { randomBytes } from 'node:crypto';
import { ClientClosedError, QueryTimeoutError } from '../http/errors';

/** Limits of one query. */
export interface BudgetLimits {
  maxCells: number;
  timeoutMs: number;
}

/**
 * Cells read and time left for one query. Scans call `spend(n)` per page and stop (estimating, or refusing with
 * `query_too_broad`) once it answers false; searches take `signal` and `remainingMs()`.
 */
export class QueryBudget {
  /** Cells read so far against this budget (every composite bucket, every hit skipped while paging). */
  cells = 0;
  /** Cells read by the whole query: this budget's and its forks' (for logs and metrics). */
  totalCells = 0;
  /** Epoch ms by which the query must be answered. */
  readonly deadline: number;
  /**
   * OpenSearch `preference` of every search of the query (its forks too): they all read the same shard copies, so
   * what one search counted (a cache key's document counts) and what the next one read agree even while a replica
   * is still refreshing; different queries spread over the copies.
   */
  readonly preference: string;
  private readonly controller: AbortController;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limits: BudgetLimits,
    startedAt = Date.now(),
    private readonly parent?: QueryBudget,
  ) {
    this.deadline = parent ? parent.deadline : startedAt + limits.timeoutMs;
    this.preference = parent ? parent.preference : `q${randomBytes(6).toString('hex')}`;
    this.controller = parent ? parent.controller : new AbortController();
    if (!parent && Number.isFinite(limits.timeoutMs)) {
      this.timer = setTimeout(() => this.abort(new QueryTimeoutError(limits.timeoutMs)), limits.timeoutMs);
      this.timer.unref();
    }
  }

  /** Aborted when the deadline passes or the client goes away; `signal.reason` is the error to answer. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Counts `n` cells read; false once more than `maxCells` were read. */
  spend(n: number): boolean {
    this.cells += n;
    this.totalCells += n;
    if (this.parent) this.parent.totalCells += n;
    return this.cells <= this.limits.maxCells;
  }

  /**
   * A budget of its own `maxCells` for one part of the query that runs beside the others (the session count beside
   * the rows), so it cannot starve them; same deadline and abort signal. Its cells count in this one's `totalCells`.
   */
  fork(): QueryBudget {
    return new QueryBudget(this.limits, Date.now(), this);
  }

  /** Cells still allowed (0 when spent). */
  get cellsLeft(): number {
    return Math.max(0, this.limits.maxCells - this.cells);
  }

  /** Milliseconds until the deadline (at least 1). */
  remainingMs(now = Date.now()): number {
    return Math.max(1, this.deadline - now);
  }

  /** Ends the query's work (a fork ends the whole query's): pending and future searches fail with `reason`. */
  abort(reason: Error = new ClientClosedError()): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.dispose();
  }

  /** Throws the abort reason when the query was aborted (call between searches). */
  throwIfAborted(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }

  /** Stops the deadline timer (the query answered). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

/** A budget without limits, for in-process callers that bound work themselves (tests, the benchmark's baseline). */
export function unlimitedBudget(): QueryBudget {
  return new QueryBudget({ maxCells: Number.MAX_SAFE_INTEGER, timeoutMs: Number.POSITIVE_INFINITY });
}
