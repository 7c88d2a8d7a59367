/**
 * Exact part counts kept between queries (the dashboards' lists refresh every minute, and most of their range never
 * changes). With `split_by_day` no part crosses midnight, so a range's total is the sum of its days' totals:
 * - a whole past day's count depends only on its index's documents, the idle timeout and the part criteria; an
 *   entry is keyed by the index's uuid and document count, so a late request written to that day (or a re-created
 *   index) changes the key, and the day is counted again;
 * - a settled 15-minute block's part starts (start-blocks.ts) depend only on the documents of the blocks it looks
 *   back to; an entry is keyed by the index's uuid and those blocks' document counts.
 * Bounded (least recently used entries go first).
 */
import type { PartCriteria } from '../../../session/grouping';
import type { QueryContext } from '../../context';
import { runSearch } from '../../search';
import { BLOCK_MS } from './start-blocks';
import type { Grouping } from './scan';

/** What identifies one state of a daily index. */
export interface IndexVersion {
  uuid: string;
  docs: number;
}

/** Most counts kept (about 100 bytes each). */
const MAX_ENTRIES = 16_384;

/** A bounded map of day counts, least recently used first out. */
export class DayCountCache {
  private readonly map = new Map<string, number>();

  constructor(private readonly max = MAX_ENTRIES) {}

  /** The count under `key`, refreshed as recently used; undefined when absent. */
  get(key: string): number | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Stores a count, dropping the least recently used entry when full. */
  set(key: string, count: number): void {
    this.map.delete(key);
    this.map.set(key, count);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  /** Entries held. */
  get size(): number {
    return this.map.size;
  }

  /** Forgets every count (tests that must count from the data). */
  clear(): void {
    this.map.clear();
  }
}

/** The process-wide cache of the service. */
export const dayCounts = new DayCountCache();

/**
 * Cache key of one day's count.
 * @example dayCountKey('api-sessions-requests-2026.01.19', {uuid:'u1', docs:143000}, {idleMs:1_800_000, …}, {requireMatch:false})
 * → 'api-sessions-requests-2026.01.19|u1|143000|1800000|-|-'
 */
export function dayCountKey(index: string, v: IndexVersion, g: Grouping, c: PartCriteria): string {
  return [index, v.uuid, v.docs, g.idleMs, c.minRequests ?? '-', c.minAttacks ?? '-'].join('|');
}

/** uuid and document count of each existing index (an empty map when the cluster will not say: no caching). */
export async function fetchIndexVersions(ctx: QueryContext, indices: string[]): Promise<Map<string, IndexVersion>> {
  const out = new Map<string, IndexVersion>();
  if (indices.length === 0) return out;
  try {
    const res = await ctx.client.indices.stats({
      index: indices.join(','),
      metric: 'docs',
      ignore_unavailable: true,
      allow_no_indices: true,
    } as never);
    const body = res.body as { indices?: Record<string, { uuid?: string; primaries?: { docs?: { count?: number } } }> };
    for (const [name, s] of Object.entries(body.indices ?? {}))
      if (s.uuid && typeof s.primaries?.docs?.count === 'number')
        out.set(name, { uuid: s.uuid, docs: s.primaries.docs.count });
  } catch {
    // No monitor permission or a transient error: count every day.
  }
  return out;
}

/**
 * Documents per 15-minute block (start ms → count) of whole indices, in one search; null when the search fails (then
 * no block is taken from the cache). No query and no sub-aggregation: a few milliseconds for a day of the bench dataset.
 */
export async function fetchBlockDocs(ctx: QueryContext, indices: string[]): Promise<Map<number, number> | null> {
  const out = new Map<number, number>();
  if (indices.length === 0) return out;
  try {
    const res = await runSearch(
      ctx.client,
      indices.join(','),
      {
        size: 0,
        track_total_hits: false,
        aggs: { blocks: { date_histogram: { field: 'ts', fixed_interval: `${BLOCK_MS / 60_000}m` } } },
      },
      { requestCache: ctx.requestCache !== false, budget: ctx.budget },
    );
    for (const b of res.aggregations?.blocks?.buckets ?? []) out.set(b.key as number, b.doc_count as number);
    return out;
  } catch (err) {
    if (ctx.budget.signal.aborted) throw err;
    return null;
  }
}
