import { StorageUnavailableError } from '../http/errors';
import { StorageRefusedError } from '../storage/readiness';
import type { PreparedRecord, RecordError } from './records';
import { emptyWriteResult, type Sink, type WriteResult } from './sink';
import type { Spool } from './spool';

/** What storing needs: the bulk writer, the template guard, and the optional spool. */
export interface StoreDeps {
  sink: Sink;
  /** Installs the index template before the first write: StorageUnavailableError or StorageRefusedError. */
  ensureStorage: () => Promise<void>;
  spool?: Spool;
}

/** Where each record of a body ended up: WriteResult, plus the records made durable in the spool. */
export interface StoreOutcome extends WriteResult {
  spooled: number;
  /** Seconds for Retry-After when `unstored` is not empty. */
  retryAfter?: number;
}

/**
 * Stores prepared records, honestly (issue 13): only records OpenSearch cannot take *now* (transport errors, 429,
 * 5xx) go to the spool, and only those; records it refused for good (mapping errors, other 4xx, a refused index
 * template) come back as rejected and are never spooled or acknowledged. Without a spool, or with a full one, the
 * records not stored come back in `unstored`. Never throws for storage problems.
 */
export async function storeRecords(deps: StoreDeps, docs: PreparedRecord[]): Promise<StoreOutcome> {
  let result: WriteResult;
  try {
    await deps.ensureStorage();
    result = await deps.sink.write(docs);
  } catch (err) {
    if (err instanceof StorageRefusedError) result = { ...emptyWriteResult(), refused: refusedAll(docs, err.message) };
    else if (err instanceof StorageUnavailableError)
      result = { ...emptyWriteResult(), unstored: docs, unavailable: err.message };
    else throw err;
  }
  if (result.unstored.length === 0 || !deps.spool) return { ...result, spooled: 0 };
  try {
    await deps.spool.append(result.unstored); // fsynced before it resolves: the 200 means durable
    return { ...result, unstored: [], unavailable: undefined, spooled: result.unstored.length };
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    return { ...result, unavailable: err.message, retryAfter: err.retryAfter, spooled: 0 };
  }
}

function refusedAll(docs: PreparedRecord[], message: string): RecordError[] {
  return docs.map((r) => ({ index: r.index, field: '(record)', message }));
}

/** The `errors` entries of records not stored now: `retry: true`, so a client can resend exactly those. */
export function notStoredErrors(unstored: PreparedRecord[]): RecordError[] {
  return unstored.map((r) => ({
    index: r.index,
    field: '(record)',
    message: 'not stored: storage is unavailable; retry this record',
    retry: true,
  }));
}
