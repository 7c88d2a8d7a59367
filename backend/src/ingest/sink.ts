import type { Client } from '@opensearch-project/opensearch';
import { indexForTime } from '../storage/indices';
import type { PreparedRecord, RecordError } from './records';

/** Settings of the bulk writer. */
export interface SinkOptions {
  indexPrefix: string;
  /** Documents per `_bulk` request. */
  batchDocs: number;
  /** Retries of items (or requests) OpenSearch answered 429/5xx, with exponential backoff starting at `backoffMs`. */
  maxRetries?: number;
  backoffMs?: number;
  /** Told the duration and outcome of every `_bulk` request (metrics). */
  onBulk?: (seconds: number, outcome: BulkOutcome) => void;
  /** Told when OpenSearch denies the service a write (401/403): its role or credentials are wrong (log it). */
  onDenied?: (message: string) => void;
}

/** How one `_bulk` request ended: answered (items sorted), retryable status, refused (other 4xx), or no answer. */
export type BulkOutcome = 'ok' | 'retryable' | 'refused' | 'transport_error';

/**
 * What a write achieved. Every record ends in exactly one place: stored, already stored (duplicate), rejected for
 * good (`rejected`: an item OpenSearch refused, mapping errors and other 4xx; `refused`: a whole `_bulk` request
 * answered with a 4xx other than 429), or not stored now (`unstored`: transport errors, 429 and 5xx after the
 * retries) — only these may be spooled or retried.
 */
export interface WriteResult {
  stored: number;
  duplicates: number;
  rejected: RecordError[];
  refused: RecordError[];
  unstored: PreparedRecord[];
  /** Why `unstored` is not empty, for the 503 message and the logs. */
  unavailable?: string;
}

/** An empty result to add to. */
export const emptyWriteResult = (): WriteResult => ({
  stored: 0,
  duplicates: 0,
  rejected: [],
  refused: [],
  unstored: [],
});

type ItemOutcome = 'stored' | 'duplicate' | 'retry' | 'denied' | RecordError;

/**
 * 401/403: OpenSearch denies the service itself (credentials, or a role without a permission), not the record. The
 * record is kept (spooled, or answered `retry: true`) until the operator fixes the role, never dropped as invalid.
 */
const isDenied = (status: number) => status === 401 || status === 403;

/** What the sender and the log are told when OpenSearch denies a write. */
const deniedMessage = (status: number, error: { type?: string; reason?: string } | undefined) =>
  `storage denied the write (${describe(status, error)}): check the service's OpenSearch credentials and role ` +
  '(docs/operations.md, OpenSearch permissions)';

/**
 * Sorts one `_bulk` item result: 201 stored; 409 already stored (same id, `op_type=create`); 429 and 5xx (or no
 * item at all) retryable; 401/403 denied (the service's role, not the record); any other 4xx is a permanent
 * rejection of that record.
 */
export function classifyBulkItem(
  item: { status?: number; error?: { type?: string; reason?: string } } | undefined,
  index: number,
): ItemOutcome {
  const status = item?.status ?? 500;
  if (status >= 200 && status < 300) return 'stored';
  if (status === 409) return 'duplicate';
  if (status === 429 || status >= 500) return 'retry';
  if (isDenied(status)) return 'denied';
  return { index, field: '(record)', message: `storage rejected the record: ${describe(status, item?.error)}` };
}

/** `mapper_parsing_exception: failed to parse field [host]` (the reason cut to 200 characters), or the status. */
function describe(status: number | undefined, error: { type?: string; reason?: string } | undefined): string {
  const type = error?.type ?? String(status ?? 'error');
  return error?.reason ? `${type}: ${error.reason.slice(0, 200)}` : type;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A writer that resolves once every record is stored, rejected for good, or known not stored (never throws). */
export interface Sink {
  write(records: PreparedRecord[]): Promise<WriteResult>;
}

/** The fields of a `_bulk` answer the writer reads. */
const BULK_FILTER_PATH = 'items.*.status,items.*.error.type,items.*.error.reason';

/**
 * The NDJSON body of a `_bulk` create request, encoded line by line into one Buffer. The client would join every
 * line into one string first; one non-ASCII character (a hostile path) makes that whole string two-byte, and
 * measuring and encoding it then costs several times more (issue 13).
 */
export function encodeBulkBody(indexPrefix: string, records: readonly PreparedRecord[]): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (const r of records) {
    const action = JSON.stringify({ create: { _index: indexForTime(indexPrefix, r.doc.ts), _id: r.doc.id } });
    const doc = JSON.stringify(r.doc);
    lines.push(action, doc);
    size += Buffer.byteLength(action) + Buffer.byteLength(doc) + 2;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const line of lines) {
    at += out.write(line, at);
    out[at++] = 0x0a;
  }
  return out;
}

type BulkItems = { create?: { status?: number; error?: { type?: string; reason?: string } } }[];

/**
 * The HTTP status of a client error (ResponseError), or undefined for a transport error (no answer: the client's
 * ConnectionError and TimeoutError carry `statusCode: null`).
 */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { meta?: { statusCode?: unknown } } | undefined)?.meta?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The `error` of an OpenSearch error answer, when the client parsed one. */
function errorBodyOf(err: unknown): { type?: string; reason?: string } | undefined {
  return (err as { meta?: { body?: { error?: { type?: string; reason?: string } } } }).meta?.body?.error;
}

/** Creates the bulk writer (see WriteResult for where each record ends). */
export function createSink(client: Client, opts: SinkOptions): Sink {
  const maxRetries = opts.maxRetries ?? 5;
  const backoffMs = opts.backoffMs ?? 100;

  async function bulk(records: PreparedRecord[]): Promise<{ items?: BulkItems; error?: unknown }> {
    const started = performance.now();
    try {
      // Only what classifyBulkItem reads: the full answer (index, id, version, shards, seq_no per item) is ~5×
      // larger to serialise on the node and to parse here. The client sends a Buffer body as it is.
      const res = await client.bulk({
        body: encodeBulkBody(opts.indexPrefix, records) as never,
        filter_path: BULK_FILTER_PATH,
      });
      opts.onBulk?.((performance.now() - started) / 1000, 'ok');
      return { items: (res.body as { items?: BulkItems }).items ?? [] };
    } catch (error) {
      const status = statusOf(error);
      const outcome: BulkOutcome =
        status === undefined ? 'transport_error' : status === 429 || status >= 500 ? 'retryable' : 'refused';
      opts.onBulk?.((performance.now() - started) / 1000, outcome);
      return { error };
    }
  }

  /** Records OpenSearch denied (401/403): not stored, told to the log, and the caller stops writing. */
  function denied(records: PreparedRecord[], message: string, result: WriteResult): false {
    result.unstored.push(...records);
    result.unavailable = message;
    opts.onDenied?.(message);
    return false;
  }

  /** Writes one batch into `result`; false when storage is unavailable (the caller stops writing). */
  async function writeBatch(batch: PreparedRecord[], result: WriteResult): Promise<boolean> {
    let pending = batch;
    let lastProblem = 'storage kept answering 429/5xx';
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > maxRetries) {
        result.unstored.push(...pending);
        result.unavailable = `${lastProblem} (${maxRetries} retries)`;
        return false;
      }
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
      const { items, error } = await bulk(pending);
      if (error !== undefined) {
        const status = statusOf(error);
        if (status === undefined) {
          result.unstored.push(...pending);
          result.unavailable = `storage is unavailable: ${(error as Error).message.slice(0, 200)}`;
          return false;
        }
        if (status === 429 || status >= 500) {
          lastProblem = `storage answered ${describe(status, errorBodyOf(error))}`;
          continue;
        }
        if (isDenied(status)) return denied(pending, deniedMessage(status, errorBodyOf(error)), result);
        // Any other 4xx refuses the whole request for good: retrying or spooling it would fail the same way.
        const message = `storage refused the batch: ${status} ${describe(status, errorBodyOf(error))}`;
        for (const r of pending) result.refused.push({ index: r.index, field: '(record)', message });
        return true;
      }
      const retry: PreparedRecord[] = [];
      const deniedRecords: PreparedRecord[] = [];
      let deniedBy: string | undefined;
      // Every record is sorted, also when the answer lists fewer items than were sent (they are retried).
      pending.forEach((r, i) => {
        const item = items![i]?.create;
        const outcome = classifyBulkItem(item, r.index);
        if (outcome === 'stored') result.stored++;
        else if (outcome === 'duplicate') result.duplicates++;
        else if (outcome === 'retry') retry.push(r);
        else if (outcome === 'denied') {
          deniedRecords.push(r);
          deniedBy ??= deniedMessage(item!.status!, item!.error);
        } else result.rejected.push(outcome);
      });
      // Retrying a denied write fails the same way: keep the denied records (and the retryable ones) unstored.
      if (deniedBy !== undefined) return denied([...deniedRecords, ...retry], deniedBy, result);
      if (retry.length > 0) lastProblem = 'storage kept answering 429/5xx for some records';
      pending = retry;
    }
    return true;
  }

  return {
    async write(records) {
      const result = emptyWriteResult();
      for (let i = 0; i < records.length; i += opts.batchDocs) {
        if (!(await writeBatch(records.slice(i, i + opts.batchDocs), result))) {
          // Storage is unavailable: the later batches are not tried now.
          result.unstored.push(...records.slice(i + opts.batchDocs));
          break;
        }
      }
      return result;
    },
  };
}
