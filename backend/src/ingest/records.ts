/**
 * The record types every ingest module shares (body reader → pipeline → sink, spool, error list), in one module that
 * imports none of them, so none of them imports another only for its types.
 */
import type { StoredRequest } from '../storage/mappings';

/** One rejected record. `index` is its position in the body (0-based; the line for NDJSON). */
export interface RecordError {
  index: number;
  field: string;
  message: string;
  /** Set on records that were not stored because storage is unavailable now (a 503): resend them. */
  retry?: true;
}

/** An item of the body: the parsed JSON value, or why it could not be parsed. */
export type RawItem = { index: number; value: unknown } | { index: number; error: RecordError };

/** A record ready to store, with its position in the body. */
export interface PreparedRecord {
  index: number;
  doc: StoredRequest;
}

/** Result of the pure part of ingest: documents to write and per-record errors. */
export interface PipelineResult {
  docs: PreparedRecord[];
  errors: RecordError[];
}
