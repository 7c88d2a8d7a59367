/**
 * Streaming batch poster: collects records into batches of `batchSize` and posts up to `concurrency` batches at
 * once. Each batch goes through the ingest client's `postRecords` (backend/client/post.ts), which sends gzip NDJSON and retries
 * 429/503 (honouring Retry-After) and network errors. `add` waits while all slots are busy, so reading the input
 * slows down to the service's pace and memory stays at `concurrency + 1` batches.
 */
import { PostError, postRecords, type PostOptions } from '../client/post';

/** A record rejected by the service, located by its input line. The message comes from the service. */
export interface Rejection {
  line: number;
  field?: string;
  message: string;
}

/** Options of the poster. */
export interface BatchPosterOptions {
  url: string;
  token: string;
  batchSize: number;
  concurrency: number;
  /** How many rejections to keep for the summary (default 5). */
  keepRejections?: number;
  /** Passed through to postRecords (fetch, sleep, retry limits) — for tests and tuning. */
  post?: Pick<PostOptions, 'fetch' | 'sleep' | 'maxRetries' | 'maxNetworkRetries' | 'maxRetryWaitMs' | 'timeoutMs'>;
  onRetry?: (info: { status: number | 'network'; waitMs: number; attempt: number }) => void;
}

/** Running totals. */
export interface PosterTotals {
  posted: number;
  accepted: number;
  rejected: number;
  batches: number;
  retries: number;
  /** HTTP statuses of batches that failed whole (400, 413, …), deduplicated. */
  failedStatuses: number[];
}

/** See the module comment. After a fatal error (401, unreachable, still overloaded) `fatal` is set and `add` rejects. */
export class BatchPoster {
  readonly totals: PosterTotals = { posted: 0, accepted: 0, rejected: 0, batches: 0, retries: 0, failedStatuses: [] };
  readonly rejections: Rejection[] = [];
  fatal: PostError | undefined;
  private records: unknown[] = [];
  private lines: number[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private lastAdd = 0;

  constructor(private readonly opts: BatchPosterOptions) {}

  /** Queues a record read from input line `line`; resolves when it is buffered. Throws the fatal error, if any. */
  async add(record: unknown, line: number): Promise<void> {
    if (this.fatal) throw this.fatal;
    this.records.push(record);
    this.lines.push(line);
    this.lastAdd = Date.now();
    if (this.records.length >= this.opts.batchSize) await this.dispatch();
  }

  /** Posts what is buffered and waits for every batch in flight. Throws the fatal error, if any. */
  async flush(): Promise<void> {
    if (this.records.length > 0 && !this.fatal) await this.dispatch();
    await Promise.all(this.inflight);
    if (this.fatal) throw this.fatal;
  }

  /**
   * Posts a partial batch when nothing was added for `idleMs` (a slow stream such as `tail -F … | import -` must
   * not wait for a full batch). Call it from a timer.
   */
  async flushIdle(idleMs: number): Promise<void> {
    if (this.records.length > 0 && !this.fatal && Date.now() - this.lastAdd >= idleMs) await this.dispatch();
  }

  /** Waits for in-flight batches without posting the buffer (after a fatal error or an input error). */
  async settle(): Promise<void> {
    await Promise.all(this.inflight);
  }

  private async dispatch(): Promise<void> {
    while (this.inflight.size >= Math.max(1, this.opts.concurrency)) await Promise.race(this.inflight);
    if (this.fatal) throw this.fatal;
    // Another dispatch (flushIdle) may have taken the buffer while this one waited for a slot.
    if (this.records.length === 0) return;
    const records = this.records.splice(0, this.opts.batchSize);
    const lines = this.lines.splice(0, this.opts.batchSize);
    const p = this.post(records, lines).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async post(records: unknown[], lines: number[]): Promise<void> {
    try {
      const res = await postRecords(this.opts.url, this.opts.token, records, {
        ...this.opts.post,
        batchSize: records.length,
        gzip: true,
        onRetry: (r) => this.opts.onRetry?.({ status: r.status, waitMs: r.waitMs, attempt: r.attempt }),
      });
      const t = this.totals;
      t.posted += records.length;
      t.accepted += res.accepted;
      t.rejected += res.rejected;
      t.batches++;
      t.retries += res.retries;
      for (const s of res.failedStatuses) if (!t.failedStatuses.includes(s)) t.failedStatuses.push(s);
      for (const e of res.errors) {
        if (this.rejections.length >= (this.opts.keepRejections ?? 5)) break;
        this.rejections.push({ line: lines[e.index] ?? lines[0], field: e.field, message: e.message });
      }
    } catch (err) {
      if (err instanceof PostError) {
        this.totals.retries += err.partial?.retries ?? 0;
        this.fatal ??= err;
      } else {
        this.fatal ??= new PostError('unreachable', (err as Error).message);
      }
    }
  }
}
