import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { Client, ConnectionPool, Transport } from '@opensearch-project/opensearch';
import type {
  ApiError,
  ApiResponse,
  TransportRequestCallback,
  TransportRequestOptions,
  TransportRequestParams,
  TransportRequestPromise,
} from '@opensearch-project/opensearch/lib/Transport.js';
import type { Config } from '../config';

/** First wait before a node marked dead is pinged again (then doubling per failed ping, up to 32×). */
export const RESURRECT_AFTER_MS = 5_000;

/** What the transport hands over for one request (the part we look at). */
export interface TransportParams {
  method: string;
  path: string;
  querystring?: Record<string, unknown> | string | null;
  [key: string]: unknown;
}

/**
 * Adds `allow_partial_search_results=false` to a `_search` request that does not say otherwise. When a shard cannot
 * answer (e.g. a node died and no other copy is started yet), OpenSearch then fails the search instead of answering
 * 200 with the other shards' results, so a session list is never silently computed from part of the data.
 */
export function exactSearchParams<P extends TransportParams>(params: P): P {
  if (!/(^|\/)_search$/.test(params.path)) return params;
  const qs = params.querystring;
  if (typeof qs === 'string') {
    return /(^|&)allow_partial_search_results=/.test(qs)
      ? params
      : { ...params, querystring: `${qs ? `${qs}&` : ''}allow_partial_search_results=false` };
  }
  if (qs && qs.allow_partial_search_results !== undefined) return params;
  return { ...params, querystring: { ...(qs ?? {}), allow_partial_search_results: false } };
}

/** The client's transport with exactSearchParams applied to every request. */
class ExactSearchTransport extends Transport {
  request(params: TransportRequestParams, options?: TransportRequestOptions): TransportRequestPromise<ApiResponse>;
  request(
    params: TransportRequestParams,
    options: TransportRequestOptions | undefined,
    callback: (err: ApiError, result: ApiResponse) => void,
  ): TransportRequestCallback;
  request(
    params: TransportRequestParams,
    options?: TransportRequestOptions,
    callback?: (err: ApiError, result: ApiResponse) => void,
  ): TransportRequestPromise<ApiResponse> | TransportRequestCallback {
    const exact = exactSearchParams(params as unknown as TransportParams) as unknown as TransportRequestParams;
    return callback ? super.request(exact, options, callback) : super.request(exact, options);
  }
}

/** The client's connection pool, pinging a dead node after 5 s instead of the client's default 60 s. */
class QuickResurrectPool extends ConnectionPool {
  constructor(opts: ConstructorParameters<typeof ConnectionPool>[0]) {
    super(opts);
    this.resurrectTimeout = RESURRECT_AFTER_MS;
  }
}

/**
 * Creates the OpenSearch client from the config (basic auth or an API key, a CA file, a client certificate when set).
 *
 * With several node URLs, requests go round-robin over them; a node that refuses a connection, resets it, times out
 * or answers 502/503/504 is marked dead and the request is retried on the next one (up to every node once). A dead
 * node is pinged again after 5 s (then 10, 20, … up to 160 s) and used again once it answers. With one URL there are
 * no retries here: the ingest sink and the spool retry with their own backoff, and a query answers 503 at once.
 * Throws when the CA, client certificate or key cannot be read or used (main.ts refuses to start, exit code 2).
 */
export function createOpenSearchClient(config: Pick<Config, 'opensearch'>): Client {
  const { urls, username, password, apiKey, caFile, certFile, keyFile } = config.opensearch;
  const ssl = {
    ...(caFile ? { ca: readFileSync(caFile) } : {}),
    // Mutual TLS: the client certificate and key (OPENSEARCH_CERT_FILE, OPENSEARCH_KEY_FILE).
    ...(certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : {}),
  };
  // Parses the CA, certificate and key now: a key that does not match its certificate throws here, at start-up.
  if (Object.keys(ssl).length > 0) createSecureContext(ssl);
  return new Client({
    nodes: [...urls],
    ...(username ? { auth: { username, password: password ?? '' } } : {}),
    // OpenSearch API keys (security plugin 3.7+) travel as `Authorization: ApiKey <key>`; the client has no option.
    ...(apiKey ? { headers: { authorization: `ApiKey ${apiKey}` } } : {}),
    ...(Object.keys(ssl).length > 0 ? { ssl } : {}),
    requestTimeout: 30_000,
    maxRetries: urls.length - 1,
    Transport: ExactSearchTransport as unknown as typeof Transport,
    ConnectionPool: QuickResurrectPool as unknown as typeof ConnectionPool,
  });
}

export type { Client };
