import type { Client } from '@opensearch-project/opensearch';
import { StorageUnavailableError } from '../http/errors';
import { indexForTime } from '../storage/indices';
import type { PreparedRecord, RecordError } from './records';

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
function classifyBulkItem(
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
const BULK_FILTER_PATH = 'items.*.status,items.*.error.type,items.*.error.reason';

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
      const body: object[] = [];
      for (const r of pending)
        body.push({ create: { _index: indexForTime(opts.indexPrefix, r.doc.ts), _id: r.doc.id } }, r.doc);
      let items: { create?: { status?: number; error?: { type?: string; reason?: string } } }[];
      try {
        // Only what classifyBulkItem reads: the full answer (index, id, version, shards, seq_no per item) is ~5×
        // larger to serialise on the node and to parse here.
        const res = await client.bulk({ body, filter_path: BULK_FILTER_PATH });
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
