/**
 * Keeps one instance's in-memory blocks in line with OpenSearch, so several instances agree within
 * BLOCKS_REFRESH_MS (+ one index refresh, ~1 s):
 * - a full load at start and every FULL_RELOAD_MS (pages of 1,000, yielding between pages so decisions keep flowing);
 * - between full loads, every BLOCKS_REFRESH_MS, only the blocks created or ended since the previous sync
 *   (with SLACK_MS of overlap for clock skew between instances and the index refresh delay);
 * - every BLOCKS_HITS_FLUSH_MS (10 s), and when the service stops, the hit counts of the decisions since the last
 *   flush are added to their blocks in one bulk request of scripted updates. That write costs OpenSearch far more
 *   than the sync's read (an update re-indexes the whole block), so it runs less often: at 2,000 decisions/s with
 *   10% blocked, once per 2 s sync it took 10–20% of a core on the bench node, once per 10 s 1–3%.
 * Decisions never wait for storage: they read the last loaded set (expiry is checked at decision time).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { Logger } from '../logger';
import { ActiveBlocks } from './active';
import type { Block } from './model';
import { addHits, ensureBlocksIndex, fetchActivePage, fetchChangedPage, type HitDelta, type Page } from './store';

/** A full reload this often heals anything an incremental sync could have missed. */
export const FULL_RELOAD_MS = 5 * 60_000;
/** Overlap of incremental reads. */
export const SLACK_MS = 30_000;
const PAGE = 1000;

/** Settings of the sync (from the config). */
export interface SyncOptions {
  prefix: string;
  replicas: number;
  refreshMs: number;
  staleAfterMs: number;
  maxActive: number;
  /** How often the counted hits are written to their blocks. */
  hitsFlushMs: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

/** The synchronised block set of one instance. */
export class BlockSync {
  /** The blocks in force, as last loaded (plus this instance's own changes, applied at once). */
  active = new ActiveBlocks();
  private lastSuccess: number | undefined;
  private lastSyncStart = 0;
  private lastFull = 0;
  private pendingHits = new Map<string, HitDelta>();
  private running: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private capped = false;
  private indexReady = false;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly opts: SyncOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Starts the periodic sync (first run at once) and hit flushes; returns a stop function that writes the hits
   * counted since the last flush. The timers do not hold the process.
   */
  start(): () => Promise<void> {
    void this.syncNow();
    const timers = [
      setInterval(() => void this.syncNow(), this.opts.refreshMs),
      setInterval(() => void this.flushHits(), this.opts.hitsFlushMs),
    ];
    for (const t of timers) t.unref();
    return async () => {
      timers.forEach(clearInterval);
      await this.flushHits();
      if (this.pendingHits.size > 0) await this.flushHits(); // counted while a flush was in flight
    };
  }

  /**
   * Whether the loaded set may be used at `now`: loaded at least once, and the last successful sync is no older
   * than BLOCKS_STALE_AFTER_SECONDS plus two refresh intervals (a sync in flight). Otherwise decisions fail open.
   */
  fresh(now: number): boolean {
    return this.lastSuccess !== undefined && now - this.lastSuccess <= this.opts.staleAfterMs + 2 * this.opts.refreshMs;
  }

  /** Time of the last successful sync (epoch ms), if any. */
  get lastSyncedAt(): number | undefined {
    return this.lastSuccess;
  }

  /** Applies this instance's own change at once (its next sync reads it back from storage too). */
  applyLocal(b: Block): void {
    this.active.upsert(b, this.now());
  }

  /** Counts one decision answered by a block. */
  recordHit(id: string, kind: 'blocked' | 'monitored', at: number): void {
    let d = this.pendingHits.get(id);
    if (!d) {
      d = { blocked: 0, monitored: 0, last: at };
      this.pendingHits.set(id, d);
    }
    d[kind]++;
    if (at > d.last) d.last = at;
  }

  /** Runs one sync (or joins the one in flight). Never throws: failures are logged and retried at the next tick. */
  syncNow(): Promise<void> {
    if (!this.running) this.running = this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const start = this.now();
    try {
      if (!this.indexReady) {
        await ensureBlocksIndex(this.client, this.opts.prefix, this.opts.replicas);
        this.indexReady = true;
      }
      if (this.lastSuccess === undefined || start - this.lastFull >= FULL_RELOAD_MS) await this.fullLoad(start);
      else await this.incremental(this.lastSyncStart - SLACK_MS);
      this.active.prune(this.now());
      this.lastSyncStart = start;
      this.lastSuccess = this.now();
      if (this.failing) this.opts.logger.info({ blocks: this.active.size }, 'blocks: storage reachable again');
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.opts.logger.warn(
          { err: (err as Error).message, failOpenAfterMs: this.opts.staleAfterMs },
          'blocks: cannot read blocks from OpenSearch; keeping the last loaded set, decisions fail open once it is stale',
        );
      this.failing = true;
    }
  }

  /** Loads every block in force into a new set and swaps it in. */
  private async fullLoad(now: number): Promise<void> {
    const fresh = new ActiveBlocks();
    let after: unknown[] | undefined;
    let capped = false;
    do {
      const page: Page = await fetchActivePage(this.client, this.opts.prefix, now, PAGE, after);
      for (const b of page.blocks) {
        if (fresh.size >= this.opts.maxActive) {
          capped = true;
          break;
        }
        fresh.upsert(b, now);
      }
      after = capped ? undefined : page.after;
      if (after) await new Promise((r) => setImmediate(r));
    } while (after);
    if (capped && !this.capped)
      this.opts.logger.error(
        { maxActive: this.opts.maxActive },
        'blocks: more active blocks than BLOCKS_MAX_ACTIVE; the rest are not enforced',
      );
    this.capped = capped;
    this.active = fresh;
    this.lastFull = now;
  }

  /** Applies the blocks created or ended since `since` (ended ones leave the set). */
  private async incremental(since: number): Promise<void> {
    let after: unknown[] | undefined;
    do {
      const page = await fetchChangedPage(this.client, this.opts.prefix, since, PAGE, after);
      const now = this.now();
      for (const b of page.blocks) {
        if (this.active.get(b.id) === undefined && this.active.size >= this.opts.maxActive) continue;
        this.active.upsert(b, now);
      }
      after = page.after;
      if (after) await new Promise((r) => setImmediate(r));
    } while (after);
  }

  /** Adds the counted hits to their blocks (or joins the flush in flight). Never throws. */
  flushHits(): Promise<void> {
    if (!this.flushing) this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** One flush; what cannot be written now is kept for the next one. */
  private async flushOnce(): Promise<void> {
    if (this.pendingHits.size === 0) return;
    const batch = this.pendingHits;
    this.pendingHits = new Map();
    let retry: string[];
    try {
      retry = await addHits(this.client, this.opts.prefix, batch);
    } catch {
      retry = [...batch.keys()];
    }
    for (const id of retry) {
      const d = batch.get(id)!;
      const cur = this.pendingHits.get(id);
      if (cur) {
        cur.blocked += d.blocked;
        cur.monitored += d.monitored;
        cur.last = Math.max(cur.last, d.last);
      } else this.pendingHits.set(id, d);
    }
  }
}
