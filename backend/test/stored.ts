/** Exact checks of what a test prefix stores: no id twice, every acknowledged id stored (faults and cluster tests). */
import type { Client } from '@opensearch-project/opensearch';

/** Ids stored more than once in a prefix (exact: a paged composite aggregation over `id`). */
export async function duplicateIds(client: Client, prefix: string): Promise<string[]> {
  const dups: string[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const res = await client.search({
      index: `${prefix}-requests-*`,
      body: {
        size: 0,
        aggs: {
          ids: {
            composite: { size: 10000, sources: [{ id: { terms: { field: 'id' } } }], ...(after ? { after } : {}) },
          },
        },
      },
    } as never);
    const agg = (res.body as any).aggregations.ids;
    for (const b of agg.buckets) if (b.doc_count > 1) dups.push(b.key.id);
    if (!agg.after_key || agg.buckets.length === 0) return dups;
    after = agg.after_key;
  }
}

/** Waits until every id in `ids` is stored (or the timeout); returns how many of them are stored. */
export async function storedAcknowledged(
  client: Client,
  prefix: string,
  ids: Set<string>,
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await client.indices.refresh({
      index: `${prefix}-requests-*`,
      ignore_unavailable: true,
      allow_no_indices: true,
    } as never);
    const all = [...ids];
    let stored = 0;
    for (let i = 0; i < all.length; i += 20_000) {
      const acked = await client.count({
        index: `${prefix}-requests-*`,
        body: { query: { terms: { id: all.slice(i, i + 20_000) } } },
      } as never);
      stored += (acked.body as { count: number }).count;
    }
    if (stored >= ids.size || Date.now() > deadline) return stored;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
