/**
 * The patterns condition `skipped_step` (issue 16, pure part): session parts that requested the guarded endpoint
 * (`endpoint_pattern`) without an earlier request matching `predecessor_pattern` in the same part — e.g. checkout
 * without a cart, a transfer without the one-time code.
 *
 * Computed from aggregations, never by reading requests: per (session key, time bucket of width W ≤ the idle
 * timeout, dividing a day) the search returns the bucket's first and last request time and the first time of a
 * guarded and of a predecessor request (`min` aggregations under `filter`). Buckets group into parts exactly as the
 * session list groups them (session/grouping.ts: a gap ≥ the idle timeout or UTC midnight splits, never inside a
 * bucket). A part skipped the step iff its first guarded request has no predecessor request before it:
 * `firstGuarded !== null && (firstPredecessor === null || firstPredecessor > firstGuarded)`. If the first guarded
 * request had one, every later one has it too, so one `min` of each is enough.
 *
 * Edges, stated exactly:
 * - **Idle timeout:** a predecessor in an earlier part (a gap ≥ the idle timeout before the guarded request's part)
 *   does not count.
 * - **Midnight:** parts split at UTC midnight (as the session list does by default), so a cart at 23:59 and a
 *   checkout at 00:01 UTC are two parts, and the checkout skipped the step.
 * - **Equal timestamps:** a predecessor at the same millisecond as the guarded request counts as earlier (the order
 *   of two requests in one millisecond is not known; the session gets the benefit of the doubt).
 */
import { splitsBetween, type SessionizeOptions } from '../session/grouping';

/** One (key, time bucket) cell of the skipped-step aggregation. */
export interface StepBucket {
  key: string;
  start: number;
  end: number;
  /** First request time matching `endpoint_pattern` in the bucket, or null. */
  firstGuarded: number | null;
  /** First request time matching `predecessor_pattern` in the bucket, or null. */
  firstPredecessor: number | null;
  /** The `group_by` value of the bucket's guarded requests, when grouped (the part takes its first guarded bucket's). */
  label?: string;
}

/** A part that skipped the step: its key, extent, and when it first reached the guarded endpoint. */
export interface SkippedPart {
  key: string;
  start: number;
  end: number;
  guardedAt: number;
  /** The `group_by` value of the bucket holding the part's first guarded request, when grouped. */
  label?: string;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** Whether a part with these first times skipped the step (see the module comment). */
export function skipped(firstGuarded: number | null, firstPredecessor: number | null): boolean {
  return firstGuarded !== null && (firstPredecessor === null || firstPredecessor > firstGuarded);
}

/**
 * Streaming: buckets arrive ordered by key, then time (composite order); `onSkipped` gets each part that skipped
 * the step as soon as it is complete. Holds one part at a time.
 */
export class SkippedStepGrouper {
  private cur: StepBucket | null = null;

  constructor(
    private readonly o: SessionizeOptions,
    private readonly onSkipped: (p: SkippedPart) => void,
  ) {}

  /** Adds the next bucket of the stream. */
  push(b: StepBucket): void {
    const cur = this.cur;
    if (cur && cur.key === b.key && !splitsBetween(cur.end, b.start, this.o)) {
      cur.end = b.end;
      // Buckets come in time order: the first one with a guarded request gives the part its label.
      if (cur.firstGuarded === null && b.firstGuarded !== null) cur.label = b.label;
      cur.firstGuarded = minOf(cur.firstGuarded, b.firstGuarded);
      cur.firstPredecessor = minOf(cur.firstPredecessor, b.firstPredecessor);
      return;
    }
    this.flush();
    this.cur = { ...b };
  }

  /** Ends the stream. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    const p = this.cur;
    this.cur = null;
    if (!p || !skipped(p.firstGuarded, p.firstPredecessor)) return;
    const part: SkippedPart = { key: p.key, start: p.start, end: p.end, guardedAt: p.firstGuarded! };
    if (p.label !== undefined) part.label = p.label;
    this.onSkipped(part);
  }
}
