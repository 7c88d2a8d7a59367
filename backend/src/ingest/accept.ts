/**
 * What every ingest route does once a body is decoded into items, shared by `POST /v1/requests` and the OTLP
 * routes (`backend/src/otlp/`): admission by in-flight bytes before the body is read, the pipeline in chunks, the
 * in-flight record budget, storing honestly (`store.ts`: write, or spool what OpenSearch cannot take now), the
 * counters and metrics. The routes keep only their wire formats and answer shapes, so limits, backpressure and
 * durability are the same for all of them.
 */
import type { IncomingMessage } from 'node:http';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { OverloadedError, StorageUnavailableError } from '../http/errors';
import { countStored, type Metrics } from '../metrics/metrics';
import { isGzip } from './body';
import type { Pipeline } from './pipeline';
import type { PreparedRecord, RawItem } from './records';
import type { Sink } from './sink';
import { notStoredErrors, storeRecords, type StoreOutcome } from './store';
import type { IngestCounters } from './counters';
import type { Spool } from './spool';
import { ErrorCollector } from './errors-collector';

/** Records validated between two yields to the event loop (keeps /healthz and other requests responsive). */
const CHUNK = 2000;

/** Dependencies of the ingest path. */
export interface IngestDeps {
  pipeline: Pipeline;
  sink: Sink;
  /** Installs the index template before the first write (StorageUnavailableError or StorageRefusedError). */
  ensureStorage: () => Promise<void>;
  maxBodyBytes: number;
  maxInflightRecords: number;
  /** Bytes of bodies being processed at once; beyond it new bodies get 429 before they are read. */
  maxInflightBytes?: number;
  counters: IngestCounters;
  /** When set, records OpenSearch cannot take now are spooled durably and acknowledged (SPOOL_DIR). */
  spool?: Spool;
  metrics?: Metrics;
}

/** What became of a body's records: `accepted` includes records already stored (`duplicates`) and spooled ones. */
export interface AcceptResult {
  /** Records that passed the pipeline (0: nothing in the body was usable, nothing was written). */
  prepared: number;
  accepted: number;
  duplicates: number;
  /** Per-record errors (pipeline and storage rejections), by item index. */
  errors: ErrorCollector;
}

/** A body's place in the in-flight byte budget. */
export interface Admission {
  /** The body is read: from now on it holds its real size, not the bound reserved before reading. */
  settle(bytes: number): void;
  /** Gives the bytes back (idempotent). */
  release(): void;
}

/** The shared ingest path; one instance per app, so every route draws on the same budgets. */
export interface IngestCore {
  readonly maxBodyBytes: number;
  /** Metrics of the app, when it has them (the routes count requests and invalid bodies). */
  readonly metrics?: Metrics;
  /**
   * Reserves the body's bound in the in-flight budget before it is read (`admissionBound`).
   * Throws OverloadedError (429) when other bodies already hold the budget.
   */
  admit(req: IncomingMessage): Admission;
  /**
   * Runs the pipeline over the items and stores what passed; resolves once every accepted record is durable.
   * A body without one usable record writes nothing (`prepared` 0). Throws 429 (in-flight records), or 503
   * (StorageUnavailableError whose `extra` answers per record) when some records could not be stored or spooled.
   */
  accept(items: RawItem[]): Promise<AcceptResult>;
}

/** gzip's largest possible inflation ratio (deflate's limit is about 1032:1). */
const MAX_GZIP_RATIO = 1032;

/**
 * Bytes a body reserves in the in-flight budget before it is read: its declared length (a whole body's worth when
 * unknown), or for gzip what that can inflate to; never more than `maxBodyBytes`, the limit after inflating.
 * Example: gzip, Content-Length 2,048, limit 1 MiB → 1 MiB (2,048 × 1,032 is more).
 */
export function admissionBound(contentLength: string | undefined, gzip: boolean, maxBodyBytes: number): number {
  const declared = Number(contentLength);
  const wire = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxBodyBytes) : maxBodyBytes;
  return gzip ? Math.min(maxBodyBytes, wire * MAX_GZIP_RATIO) : wire;
}

/** Creates the shared ingest path over one pipeline, sink and set of budgets. */
export function createIngestCore(deps: IngestDeps): IngestCore {
  const maxInflightBytes = deps.maxInflightBytes ?? 4 * deps.maxBodyBytes;
  const m = deps.metrics;
  let inflightRecords = 0;
  let inflightBytes = 0;
  m?.watchIngest(() => ({ bytes: inflightBytes, records: inflightRecords }));
  return {
    maxBodyBytes: deps.maxBodyBytes,
    metrics: m,
    admit(req) {
      // An unknown length reserves a whole body's worth, and a gzip body what it may inflate to, until it is read.
      let reserved = admissionBound(
        req.headers['content-length'],
        isGzip(req.headers['content-encoding']),
        deps.maxBodyBytes,
      );
      if (inflightBytes > 0 && inflightBytes + reserved > maxInflightBytes) {
        req.resume();
        m?.ingestRefusals.inc({ budget: 'bytes' });
        throw new OverloadedError(1);
      }
      inflightBytes += reserved;
      let released = false;
      return {
        settle(bytes) {
          if (released) return;
          inflightBytes -= reserved - bytes;
          reserved = bytes;
        },
        release() {
          if (!released) inflightBytes -= reserved;
          released = true;
        },
      };
    },
    async accept(items) {
      const errors = new ErrorCollector();
      const docs = await runChunked(deps.pipeline, items, errors);
      if (docs.length === 0) {
        m?.recordsRejected.inc({ reason: 'invalid' }, errors.rejected);
        deps.counters.add({ accepted: 0, duplicates: 0, rejected: errors.rejected });
        return { prepared: 0, accepted: 0, duplicates: 0, errors };
      }
      if (inflightRecords + docs.length > deps.maxInflightRecords) {
        m?.ingestRefusals.inc({ budget: 'records' });
        throw new OverloadedError(1);
      }
      inflightRecords += docs.length;
      try {
        const invalid = errors.rejected;
        const out = await storeRecords(deps, docs);
        if (m) countStored(m, out, invalid);
        errors.add(out.rejected);
        errors.add(out.refused);
        const accepted = out.stored + out.duplicates + out.spooled;
        deps.counters.add({ accepted, duplicates: out.duplicates, rejected: errors.rejected });
        if (out.unstored.length > 0) throw notStored(out, accepted, errors);
        return { prepared: docs.length, accepted, duplicates: out.duplicates, errors };
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
 * 503 for a body some of whose records are not stored (storage unavailable, no spool or a full one), answered per
 * record: `accepted` were stored, `rejected` refused for good, `not_stored` must be resent (listed with
 * `retry: true`). Resending the whole body is safe too: stored records are not stored twice.
 */
function notStored(out: StoreOutcome, accepted: number, collector: ErrorCollector): StorageUnavailableError {
  const rejected = collector.rejected;
  collector.add(notStoredErrors(out.unstored));
  const e = new StorageUnavailableError(
    `${out.unavailable ?? 'storage is unavailable'}; ${out.unstored.length} records were not stored, retry them`,
    out.retryAfter,
  );
  e.extra = { accepted, rejected, not_stored: out.unstored.length, errors: collector.errors() };
  return e;
}
