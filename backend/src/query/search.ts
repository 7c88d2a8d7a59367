import { errors, type Client } from '@opensearch-project/opensearch';
import { OverloadedError, StorageUnavailableError } from '../http/errors';
import type { QueryBudget } from './budget';
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

/** Options of one search. */
export interface SearchOptions {
  requestCache?: boolean;
  filterPath?: string;
  /**
   * The query's budget: its abort signal cancels the search, its deadline bounds it (in OpenSearch too), and its
   * `preference` sends every search of the query to the same shard copies.
   */
  budget?: QueryBudget;
}

/**
 * Runs one search over daily indices. Missing indices are fine (`ignore_unavailable`, `allow_no_indices`).
 * With a budget, the search is aborted (its connection closed, which makes OpenSearch cancel the search task)
 * when the query is aborted, and OpenSearch cancels it by itself at the deadline (`cancel_after_time_interval`).
 * Connection failures become 503, OpenSearch back-pressure 429, an abort its reason (504 timeout, client gone);
 * other errors propagate (500).
 */
export async function runSearch(
  client: Client,
  index: string,
  body: Record<string, unknown>,
  opts: SearchOptions = {},
): Promise<SearchResponse> {
  const budget = opts.budget;
  budget?.throwIfAborted();
  const remaining = budget?.remainingMs();
  const bounded = remaining !== undefined && Number.isFinite(remaining);
  const request = client.search(
    {
      index,
      body: body as never,
      ignore_unavailable: true,
      allow_no_indices: true,
      request_cache: opts.requestCache === true,
      ...(opts.filterPath ? { filter_path: opts.filterPath } : {}),
      ...(budget ? { preference: budget.preference } : {}),
      ...(bounded ? { cancel_after_time_interval: `${remaining + DEADLINE_SLACK_MS}ms` } : {}),
    } as never,
    bounded ? { requestTimeout: remaining + DEADLINE_SLACK_MS } : {},
  );
  // `void`: abort() returns the request (a thenable); an EventTarget listener that returns a thenable has its
  // rejection rethrown as an uncaught exception by Node.
  const abort = () => void request.abort();
  budget?.signal.addEventListener('abort', abort, { once: true });
  try {
    const res = await request;
    return res.body as unknown as SearchResponse;
  } catch (err) {
    if (budget?.signal.aborted) throw budget.signal.reason;
    throw translateError(err);
  } finally {
    budget?.signal.removeEventListener('abort', abort);
  }
}

/** OpenSearch's own cancellation comes this long after the service's deadline (the service aborts first). */
const DEADLINE_SLACK_MS = 2000;

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
 * Runs an aggregation search in the query's indices, with OpenSearch's shard request cache unless the context
 * turns it off (the benchmark does, so repeats are measured, not cached). `filterPath` trims big responses.
 */
export function searchAggs(
  ctx: Pick<QueryContext, 'client' | 'index' | 'requestCache' | 'budget'>,
  body: Record<string, unknown>,
  filterPath?: string,
) {
  return runSearch(ctx.client, ctx.index, body, {
    requestCache: ctx.requestCache !== false,
    filterPath,
    budget: ctx.budget,
  });
}
