/**
 * The query concurrency gate (`QUERY_CONCURRENCY`): at most `concurrency` queries run at once; a few more wait
 * briefly in line (a dashboard fires all its panels together), anything beyond is refused with 429 + Retry-After.
 * `stats()` and `onEvent` are the hooks for metrics (in-flight queries, waiting, refusals).
 */
import { OverloadedError } from '../http/errors';

/** Counts of the gate, read by metrics. */
export interface QueryGateStats {
  /** Queries running now. */
  running: number;
  /** Queries waiting for a slot now. */
  waiting: number;
  /** Queries admitted since start. */
  admitted: number;
  /** Queries refused with 429 since start. */
  refused: number;
}

/** What happened at the gate (for a metrics counter or a log line). */
export type QueryGateEvent = 'admitted' | 'refused' | 'released';

/** Options of the gate. */
export interface QueryGateOptions {
  concurrency: number;
  /** Queries that may wait for a slot (default 4 × concurrency). */
  maxWaiting?: number;
  /** Longest wait for a slot before a 429 (default 5 s). */
  maxWaitMs?: number;
  /** Called on every admission, refusal and release. */
  onEvent?: (event: QueryGateEvent, stats: QueryGateStats) => void;
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

/** Seconds a refused client is told to wait before retrying. */
export const GATE_RETRY_AFTER_S = 2;

/** Creates a gate. `acquire()` resolves to a release function, or throws OverloadedError (429). */
export function createQueryGate(opts: QueryGateOptions) {
  const maxWaiting = opts.maxWaiting ?? 4 * opts.concurrency;
  const maxWaitMs = opts.maxWaitMs ?? 5000;
  const counts = { running: 0, admitted: 0, refused: 0 };
  const queue: Waiter[] = [];
  const stats = (): QueryGateStats => ({ ...counts, waiting: queue.length });
  const emit = (e: QueryGateEvent) => opts.onEvent?.(e, stats());
  const refuse = () => {
    counts.refused++;
    emit('refused');
    return new OverloadedError(
      GATE_RETRY_AFTER_S,
      `too many queries at once (QUERY_CONCURRENCY=${opts.concurrency}); retry in ${GATE_RETRY_AFTER_S} s`,
    );
  };
  const release = () => {
    counts.running--;
    emit('released');
    const next = queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit();
    }
  };
  const admitNow = () => {
    counts.running++;
    counts.admitted++;
    emit('admitted');
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    /**
     * Takes a slot, waiting up to `maxWaitMs` (and never past `signal`) when all are busy.
     * Throws OverloadedError when the line is full or the wait runs out, or the signal's reason when aborted.
     */
    acquire(signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (counts.running < opts.concurrency && queue.length === 0) return Promise.resolve(admitNow());
      if (queue.length >= maxWaiting) return Promise.reject(refuse());
      return new Promise((resolve, reject) => {
        const leave = (err: unknown) => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        };
        const onAbort = () => {
          clearTimeout(waiter.timer);
          leave(signal!.reason);
        };
        const waiter: Waiter = {
          admit: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(admitNow());
          },
          timer: setTimeout(() => leave(refuse()), maxWaitMs),
        };
        waiter.timer.unref();
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
    stats,
  };
}

/** A query gate. */
export type QueryGate = ReturnType<typeof createQueryGate>;
