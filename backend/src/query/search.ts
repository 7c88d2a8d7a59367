import { errors, type Client } from '@opensearch-project/opensearch';
import { OverloadedError, StorageUnavailableError } from '../http/errors';
import type { QueryContext } from './context';

/** Minimal typed view of a search response. */
export interface SearchResponse {
  hits: { total?: { value: number; relation: string } | number; hits: SearchHit[] };
  aggregations?: Record<string, any>;
}

/** One hit. */
export interface SearchHit {
  _id: string;
  _source?: Record<string, any>;
  sort?: unknown[];
}

/**
 * Runs one search over daily indices. Missing indices are fine (`ignore_unavailable`, `allow_no_indices`).
 * Connection failures become 503, OpenSearch back-pressure 429; other errors propagate (500).
 */
export async function runSearch(
  client: Client,
  index: string,
  body: Record<string, unknown>,
  opts: { requestCache?: boolean; filterPath?: string } = {},
): Promise<SearchResponse> {
  try {
    const res = await client.search({
      index,
      body: body as never,
      ignore_unavailable: true,
      allow_no_indices: true,
      request_cache: opts.requestCache === true,
      ...(opts.filterPath ? { filter_path: opts.filterPath } : {}),
    } as never);
    return res.body as unknown as SearchResponse;
  } catch (err) {
    throw translateError(err);
  }
}

function translateError(err: unknown): unknown {
  if (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError
  ) {
    return new StorageUnavailableError();
  }
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    if (status === 429) return new OverloadedError(1);
    if (status === 502 || status === 503 || status === 504) return new StorageUnavailableError();
  }
  return err;
}

/** Total hit count of a response (0 when no index matched). */
export function totalHits(res: SearchResponse): number {
  const t = res.hits?.total;
  if (t === undefined) return 0;
  return typeof t === 'number' ? t : t.value;
}

/**
 * Pages a composite aggregation to the end, calling `build(after)` for each page body and collecting
 * buckets. `maxPages` bounds the work; `stop` ends early (e.g. once enough candidates are known).
 */
export async function collectComposite<B extends { key: Record<string, unknown> }>(
  run: (body: Record<string, unknown>) => Promise<SearchResponse>,
  build: (after: Record<string, unknown> | undefined) => Record<string, unknown>,
  aggName: string,
  opts: { maxPages?: number; stop?: (collected: B[]) => boolean } = {},
): Promise<{ buckets: B[]; complete: boolean }> {
  const buckets: B[] = [];
  let after: Record<string, unknown> | undefined;
  for (let page = 0; page < (opts.maxPages ?? 10_000); page++) {
    const res = await run(build(after));
    const agg = res.aggregations?.[aggName];
    const got: B[] = agg?.buckets ?? [];
    for (const b of got) buckets.push(b);
    if (opts.stop?.(buckets)) return { buckets, complete: false };
    if (!agg?.after_key || got.length === 0) return { buckets, complete: true };
    after = agg.after_key;
  }
  return { buckets, complete: false };
}

/**
 * Runs an aggregation search in the query's indices, with OpenSearch's shard request cache unless the context
 * turns it off (the benchmark does, so repeats are measured, not cached). `filterPath` trims big responses.
 */
export function searchAggs(
  ctx: Pick<QueryContext, 'client' | 'index' | 'requestCache'>,
  body: Record<string, unknown>,
  filterPath?: string,
) {
  return runSearch(ctx.client, ctx.index, body, { requestCache: ctx.requestCache !== false, filterPath });
}
