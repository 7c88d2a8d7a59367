/**
 * What every ingest route does once a body is decoded into items, shared by `POST /v1/requests` and the OTLP
 * routes (`backend/src/otlp/`): admission by in-flight bytes before the body is read, the pipeline in chunks, the
 * in-flight record budget, the bulk write (or the spool when OpenSearch is down) and the counters. The routes keep
 * only their wire formats and answer shapes, so limits, backpressure and durability are the same for all of them.
 */
import type { IncomingMessage } from 'node:http';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { OverloadedError, StorageUnavailableError } from '../http/errors';
import type { Pipeline } from './pipeline';
import type { PreparedRecord, RawItem } from './records';
import type { Sink, WriteResult } from './sink';
import type { IngestCounters } from './counters';
import type { Spool } from './spool';
import { ErrorCollector } from './errors-collector';

/** Records validated between two yields to the event loop (keeps /healthz and other requests responsive). */
const CHUNK = 2000;

/** Dependencies of the ingest path. */
export interface IngestDeps {
  pipeline: Pipeline;
  sink: Sink;
  /** Ensures the index template is installed before the first write (throws 503 when storage is down). */
  ensureStorage: () => Promise<void>;
  maxBodyBytes: number;
  maxInflightRecords: number;
  /** Bytes of bodies being processed at once; beyond it new bodies get 429 before they are read. */
  maxInflightBytes?: number;
  counters: IngestCounters;
  /** When set, records OpenSearch cannot take now are spooled durably and acknowledged (SPOOL_DIR). */
  spool?: Spool;
}

/** What became of a body's records: `accepted` includes records that were already stored (`duplicates`). */
export interface AcceptResult {
  /** Records that passed the pipeline (0: nothing in the body was usable, nothing was written). */
  prepared: number;
  accepted: number;
  duplicates: number;
  /** Per-record errors (pipeline and storage rejections), by item index. */
  errors: ErrorCollector;
}

/** The shared ingest path; one instance per app, so every route draws on the same budgets. */
export interface IngestCore {
  readonly maxBodyBytes: number;
  /**
   * Reserves the body's bytes in the in-flight budget before it is read; returns the release function.
   * Throws OverloadedError (429) when other bodies already hold the budget.
   */
  admit(req: IncomingMessage): () => void;
  /**
   * Runs the pipeline over the items and writes what passed; resolves once every accepted record is durable.
   * A body without one usable record writes nothing (`accepted` 0). Throws 429 (in-flight records) or 503.
   */
  accept(items: RawItem[]): Promise<AcceptResult>;
}

/** Creates the shared ingest path over one pipeline, sink and set of budgets. */
export function createIngestCore(deps: IngestDeps): IngestCore {
  const maxInflightBytes = deps.maxInflightBytes ?? 4 * deps.maxBodyBytes;
  let inflightRecords = 0;
  let inflightBytes = 0;
  return {
    maxBodyBytes: deps.maxBodyBytes,
    admit(req) {
      // Admission by bytes before reading: an unknown length reserves a whole body's worth.
      const declared = Number(req.headers['content-length']);
      const reserved = Math.min(
        Number.isFinite(declared) && declared >= 0 ? declared : deps.maxBodyBytes,
        deps.maxBodyBytes,
      );
      if (inflightBytes > 0 && inflightBytes + reserved > maxInflightBytes) {
        req.resume();
        throw new OverloadedError(1);
      }
      inflightBytes += reserved;
      let released = false;
      return () => {
        if (!released) inflightBytes -= reserved;
        released = true;
      };
    },
    async accept(items) {
      const errors = new ErrorCollector();
      const docs = await runChunked(deps.pipeline, items, errors);
      if (docs.length === 0) {
        deps.counters.add({ accepted: 0, duplicates: 0, rejected: errors.rejected });
        return { prepared: 0, accepted: 0, duplicates: 0, errors };
      }
      if (inflightRecords + docs.length > deps.maxInflightRecords) throw new OverloadedError(1);
      inflightRecords += docs.length;
      try {
        const written = await writeOrSpool(deps, docs);
        errors.add(written.rejected);
        const accepted = written.stored + written.duplicates;
        deps.counters.add({ accepted, duplicates: written.duplicates, rejected: errors.rejected });
        return { prepared: docs.length, accepted, duplicates: written.duplicates, errors };
      } finally {
        inflightRecords -= docs.length;
      }
    },
  };
}

/** Runs the pipeline over the items in chunks, yielding between chunks; errors go to the collector. */
async function runChunked(pipeline: Pipeline, items: RawItem[], collector: ErrorCollector): Promise<PreparedRecord[]> {
  const now = Date.now();
  const docs: PreparedRecord[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    if (i > 0) await yieldToEventLoop();
    const out = pipeline.run(items.slice(i, i + CHUNK), now);
    for (const d of out.docs) docs.push(d);
    collector.add(out.errors);
  }
  return docs;
}

/**
 * Writes to OpenSearch; when storage is unavailable and a spool is configured, appends to the spool instead
 * (fsynced before this resolves), so the 200 still means "durable". Without a spool the 503 propagates.
 */
async function writeOrSpool(deps: IngestDeps, docs: PreparedRecord[]): Promise<WriteResult> {
  try {
    await deps.ensureStorage();
    return await deps.sink.write(docs);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError) || !deps.spool) throw err;
    await deps.spool.append(docs);
    return { stored: docs.length, duplicates: 0, rejected: [] };
  }
}
