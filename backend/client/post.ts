/**
 * Posts request records to the ingest API (`POST /v1/requests`) in batches: the ingest client of the demo CLI, the
 * import CLI, tests and benchmarks.
 *
 * - NDJSON batches (`application/x-ndjson`), gzip-compressed by default; the first `jsonArrayBatches` batches are
 *   sent as a plain (uncompressed) JSON array instead, so both body formats are exercised.
 * - 429/503 are retried with the server's `Retry-After` (seconds or HTTP date), bounded by `maxRetries` and
 *   `maxRetryWaitMs`; network errors are retried the same way with exponential back-off. Per the contract nothing
 *   from a 429/503 request was stored, so resending the same body is safe (and ids make it idempotent anyway).
 * - 401 aborts at once (wrong token: every other batch would fail too). Any other non-200 answer counts the
 *   batch's records as rejected and continues.
 */
import { gzipSync } from 'node:zlib';
import { trimTrailing } from '../src/text';

interface IngestError {
  index: number;
  field?: string;
  message: string;
}

export interface PostOptions {
  /** Records per request (default 500). */
  batchSize?: number;
  /** Gzip NDJSON bodies (default true). */
  gzip?: boolean;
  /** How many of the first batches go as a plain JSON array instead of NDJSON (default 0). */
  jsonArrayBatches?: number;
  /** Retries per batch on 429/503/network errors (default 6). */
  maxRetries?: number;
  /** Retries per batch when the service cannot be reached at all (default 3: about 3.5 s in all). */
  maxNetworkRetries?: number;
  /** Upper bound for one wait between retries, ms (default 30 000). */
  maxRetryWaitMs?: number;
  /** Per-request timeout, ms (default 60 000). */
  timeoutMs?: number;
  /** Called after each batch. */
  onProgress?: (p: { posted: number; total: number; accepted: number; rejected: number }) => void;
  /** Called before each retry wait. */
  onRetry?: (info: { status: number | 'network'; waitMs: number; attempt: number; batch: number }) => void;
  /** Injected for tests; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PostResult {
  accepted: number;
  rejected: number;
  /** Errors with `index` relative to the whole `records` array (at most 100 kept). */
  errors: IngestError[];
  batches: number;
  retries: number;
  durationMs: number;
  /** HTTP statuses of batches that were not 200 (e.g. 400, 413). */
  failedStatuses: number[];
}

/** Thrown when the service cannot be reached (after retries) or rejects the token. */
export class PostError extends Error {
  constructor(
    readonly code: 'unreachable' | 'unauthorized' | 'overloaded',
    message: string,
    readonly partial?: PostResult,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

const MAX_ERRORS_KEPT = 100;

/** Accepts a service base URL (`http://host:8080`) or the full ingest URL. */
export function ingestUrl(url: string): string {
  const u = new URL(url);
  if (!/\/v1\/requests\/?$/.test(u.pathname)) u.pathname = `${trimTrailing(u.pathname, '/')}/v1/requests`;
  return u.toString();
}

/** Parses Retry-After (delta seconds or HTTP date) into ms; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export async function postRecords(
  url: string,
  token: string,
  records: readonly unknown[],
  opts: PostOptions = {},
): Promise<PostResult> {
  const target = ingestUrl(url);
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  const gzip = opts.gzip ?? true;
  const jsonArrayBatches = opts.jsonArrayBatches ?? 0;
  const maxRetries = opts.maxRetries ?? 6;
  const maxNetworkRetries = opts.maxNetworkRetries ?? 3;
  const maxWait = opts.maxRetryWaitMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  const result: PostResult = {
    accepted: 0,
    rejected: 0,
    errors: [],
    batches: 0,
    retries: 0,
    durationMs: 0,
    failedStatuses: [],
  };

  for (let offset = 0, batch = 0; offset < records.length; offset += batchSize, batch++) {
    const slice = records.slice(offset, offset + batchSize);
    const asArray = batch < jsonArrayBatches;
    let body: Buffer;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (asArray) {
      body = Buffer.from(JSON.stringify(slice));
      headers['content-type'] = 'application/json';
    } else {
      const ndjson = Buffer.from(slice.map((r) => JSON.stringify(r)).join('\n') + '\n');
      body = gzip ? gzipSync(ndjson) : ndjson;
      headers['content-type'] = 'application/x-ndjson';
      if (gzip) headers['content-encoding'] = 'gzip';
    }

    let attempt = 0;
    for (;;) {
      let res: Response | undefined;
      let networkError: unknown;
      try {
        // A Buffer from Buffer.from/gzipSync never sits on shared memory; the DOM typing of fetch wants that said.
        const init = { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> };
        res = await doFetch(target, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        networkError = err;
      }
      const retryable = networkError !== undefined || res!.status === 429 || res!.status === 503;
      if (retryable) {
        if (attempt >= (networkError !== undefined ? maxNetworkRetries : maxRetries)) {
          result.durationMs = Date.now() - started;
          if (networkError !== undefined) {
            throw new PostError('unreachable', `cannot reach ${target}: ${describe(networkError)}`, result);
          }
          throw new PostError('overloaded', `${target} kept answering ${res!.status} after ${attempt} retries`, result);
        }
        const hinted = res ? parseRetryAfter(res.headers.get('retry-after'), Date.now()) : undefined;
        const waitMs = Math.min(maxWait, hinted ?? 500 * 2 ** attempt);
        if (res) await res.body?.cancel().catch(() => undefined);
        attempt++;
        result.retries++;
        opts.onRetry?.({ status: res ? res.status : 'network', waitMs, attempt, batch });
        await sleep(waitMs);
        continue;
      }
      const r = res!;
      if (r.status === 401) {
        await r.body?.cancel().catch(() => undefined);
        result.durationMs = Date.now() - started;
        throw new PostError('unauthorized', `${target} answered 401: the ingest token was not accepted`, result);
      }
      const text = await r.text();
      let parsed: { accepted?: number; rejected?: number; errors?: IngestError[] } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (r.status === 200 || r.status === 400) {
        const accepted = typeof parsed?.accepted === 'number' ? parsed.accepted : r.status === 200 ? slice.length : 0;
        const rejected = typeof parsed?.rejected === 'number' ? parsed.rejected : slice.length - accepted;
        result.accepted += accepted;
        result.rejected += rejected;
        for (const e of parsed?.errors ?? []) {
          if (result.errors.length >= MAX_ERRORS_KEPT) break;
          result.errors.push({ ...e, index: offset + (typeof e.index === 'number' ? e.index : 0) });
        }
        if (r.status !== 200) result.failedStatuses.push(r.status);
      } else {
        // 413, 415, 5xx other than 503, …: the whole batch is lost.
        result.rejected += slice.length;
        result.failedStatuses.push(r.status);
        if (result.errors.length < MAX_ERRORS_KEPT) {
          const msg = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 200);
          result.errors.push({ index: offset, message: `HTTP ${r.status}: ${msg}` });
        }
      }
      break;
    }
    result.batches++;
    opts.onProgress?.({
      posted: Math.min(offset + batchSize, records.length),
      total: records.length,
      accepted: result.accepted,
      rejected: result.rejected,
    });
  }
  result.durationMs = Date.now() - started;
  return result;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const causeMsg = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
    return causeMsg ? `${err.message} (${causeMsg})` : err.message;
  }
  return String(err);
}
