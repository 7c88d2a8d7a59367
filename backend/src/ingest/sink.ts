import type { Client } from '@opensearch-project/opensearch';
import { StorageUnavailableError } from '../http/errors';
import { indexForTime } from '../storage/indices';
import type { PreparedRecord, RecordError } from './pipeline';

/** Settings of the bulk writer. */
export interface SinkOptions {
  indexPrefix: string;
  /** Documents per `_bulk` request. */
  batchDocs: number;
  /** Retries of items OpenSearch answered 429/5xx, with exponential backoff starting at `backoffMs`. */
  maxRetries?: number;
  backoffMs?: number;
}

/** What a write achieved: every record is either stored (or was already stored) or rejected. */
export interface WriteResult {
  stored: number;
  duplicates: number;
  rejected: RecordError[];
}

type ItemOutcome = 'stored' | 'duplicate' | 'retry' | RecordError;

/**
 * Sorts one `_bulk` item result: 201 stored; 409 already stored (same id, `op_type=create`); 429 and 5xx retryable;
 * any other 4xx is a permanent rejection of that record.
 */
export function classifyBulkItem(
  item: { status?: number; error?: { type?: string; reason?: string } } | undefined,
  index: number,
): ItemOutcome {
  const status = item?.status ?? 500;
  if (status >= 200 && status < 300) return 'stored';
  if (status === 409) return 'duplicate';
  if (status === 429 || status >= 500) return 'retry';
  return {
    index,
    field: '(record)',
    message: `storage rejected the record: ${item?.error?.type ?? status}${item?.error?.reason ? `: ${item.error.reason.slice(0, 200)}` : ''}`,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A writer that resolves only once OpenSearch acknowledged every record (or rejected it for good). */
export interface Sink {
  write(records: PreparedRecord[]): Promise<WriteResult>;
}

/** The fields of a `_bulk` answer the writer reads. */
export const BULK_FILTER_PATH = 'items.*.status,items.*.error.type,items.*.error.reason';

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

/** Creates the bulk writer. Transport failures and exhausted retries throw StorageUnavailableError (503). */
export function createSink(client: Client, opts: SinkOptions): Sink {
  const maxRetries = opts.maxRetries ?? 5;
  const backoffMs = opts.backoffMs ?? 100;

  async function writeBatch(batch: PreparedRecord[], result: WriteResult): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > maxRetries)
        throw new StorageUnavailableError('storage kept refusing writes (overloaded); retry later');
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
      const body = encodeBulkBody(opts.indexPrefix, pending);
      let items: { create?: { status?: number; error?: { type?: string; reason?: string } } }[];
      try {
        // Only what classifyBulkItem reads: the full answer (index, id, version, shards, seq_no per item) is ~5×
        // larger to serialise on the node and to parse here.
        // The client sends a Buffer body as it is (its types only list the array form).
        const res = await client.bulk({ body: body as never, filter_path: BULK_FILTER_PATH });
        items = (res.body as { items: typeof items }).items;
      } catch (err) {
        const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
        if (status === 429 || (status !== undefined && status >= 500)) continue;
        throw new StorageUnavailableError(
          `storage is unavailable: ${(err as Error).message.slice(0, 200)}; retry later`,
        );
      }
      const retry: PreparedRecord[] = [];
      items.forEach((item, i) => {
        const outcome = classifyBulkItem(item.create, pending[i].index);
        if (outcome === 'stored') result.stored++;
        else if (outcome === 'duplicate') result.duplicates++;
        else if (outcome === 'retry') retry.push(pending[i]);
        else result.rejected.push(outcome);
      });
      pending = retry;
    }
  }

  return {
    async write(records) {
      const result: WriteResult = { stored: 0, duplicates: 0, rejected: [] };
      for (let i = 0; i < records.length; i += opts.batchDocs) {
        await writeBatch(records.slice(i, i + opts.batchDocs), result);
      }
      return result;
    },
  };
}
