import { Router } from 'express';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError, InputError, OverloadedError, StorageUnavailableError } from '../http/errors';
import { bodyFormatOf, isGzip, parseItems, readBody, type RawItem } from './body';
import type { Pipeline, PreparedRecord } from './pipeline';
import type { Sink } from './sink';
import { notStoredErrors, storeRecords, type StoreOutcome } from './store';
import type { IngestCounters } from './counters';
import type { Spool } from './spool';
import { ErrorCollector } from './errors-collector';
import { countStored, type Metrics } from '../metrics/metrics';

/** Most records one body may hold (more → 413). */
export const MAX_RECORDS_PER_BODY = 100_000;
/** Records validated between two yields to the event loop (keeps /healthz and other requests responsive). */
const CHUNK = 2000;

/** Dependencies of the ingest route. */
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
  metrics?: Metrics;
}

/** `POST /v1/requests`: admit → read → parse → pipeline (chunked) → bulk write → `{accepted, rejected, errors}`. */
export function createIngestRouter(deps: IngestDeps): Router {
  const router = Router();
  const maxInflightBytes = deps.maxInflightBytes ?? 4 * deps.maxBodyBytes;
  let inflightRecords = 0;
  let inflightBytes = 0;
  const m = deps.metrics;
  m?.watchIngest(() => ({ bytes: inflightBytes, records: inflightRecords }));
  router.post('/v1/requests', async (req, res) => {
    res.once('finish', () => m?.ingestRequests.inc({ status: String(res.statusCode) }));
    // Admission by bytes before reading: an unknown length reserves a whole body's worth, and a gzip body what it
    // may inflate to (its decompressed bound), until it is inflated and its real size is known.
    const gzip = isGzip(req.headers['content-encoding']);
    let reserved = admissionBound(req.headers['content-length'], gzip, deps.maxBodyBytes);
    if (inflightBytes > 0 && inflightBytes + reserved > maxInflightBytes) {
      req.resume();
      m?.ingestRefusals.inc({ budget: 'bytes' });
      throw new OverloadedError(1);
    }
    inflightBytes += reserved;
    try {
      const format = bodyFormatOf(req.headers['content-type']);
      const body = await withIngestShape(() => readBody(req, deps.maxBodyBytes, gzip), m);
      inflightBytes -= reserved - body.length;
      reserved = body.length;
      const items = await withIngestShape(async () => parseItems(body, format), m);
      if (items.length > MAX_RECORDS_PER_BODY) {
        throw new AppError(
          413,
          'payload_too_large',
          `body holds ${items.length} records; at most ${MAX_RECORDS_PER_BODY} per request`,
        );
      }
      const collector = new ErrorCollector();
      const docs = await runChunked(deps.pipeline, items, collector);
      if (docs.length === 0) {
        m?.recordsRejected.inc({ reason: 'invalid' }, collector.rejected);
        throw rejectAll(collector);
      }
      if (inflightRecords + docs.length > deps.maxInflightRecords) {
        m?.ingestRefusals.inc({ budget: 'records' });
        throw new OverloadedError(1);
      }
      inflightRecords += docs.length;
      try {
        const invalid = collector.rejected;
        const out = await storeRecords(deps, docs);
        if (m) countStored(m, out, invalid);
        collector.add(out.rejected);
        collector.add(out.refused);
        const accepted = out.stored + out.duplicates + out.spooled;
        const rejected = collector.rejected;
        deps.counters.add({ accepted, duplicates: out.duplicates, rejected });
        if (out.unstored.length > 0) throw notStored(out, accepted, rejected, collector);
        if (accepted === 0) throw rejectAll(collector, 'records_rejected', 'storage rejected every usable record');
        res.json({ accepted, rejected, errors: collector.errors() });
      } finally {
        inflightRecords -= docs.length;
      }
    } finally {
      inflightBytes -= reserved;
    }
  });
  return router;
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
function notStored(out: StoreOutcome, accepted: number, rejected: number, collector: ErrorCollector): AppError {
  collector.add(notStoredErrors(out.unstored));
  const e = new StorageUnavailableError(
    `${out.unavailable ?? 'storage is unavailable'}; ${out.unstored.length} records were not stored, retry them`,
    out.retryAfter,
  );
  e.extra = { accepted, rejected, not_stored: out.unstored.length, errors: collector.errors() };
  return e;
}

/** 400 for a body without one usable (or storable) record; the answer keeps the ingest shape. */
function rejectAll(
  collector: ErrorCollector,
  code = 'invalid_body',
  message = 'no usable record in the body',
): InputError {
  const errors = collector.errors();
  const e = new InputError(
    message,
    errors.slice(0, 20).map(({ field, message: m }) => ({ field, message: m })),
    code,
  );
  e.extra = { accepted: 0, rejected: collector.rejected, errors };
  return e;
}

/** Body-level 400s (not JSON, broken gzip or UTF-8, empty) also answer in the ingest shape (one rejected record). */
async function withIngestShape<T>(fn: () => Promise<T>, metrics?: Metrics): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError) {
      metrics?.recordsRejected.inc({ reason: 'invalid' });
      const field = err.details?.[0]?.field ?? '(body)';
      err.extra = { accepted: 0, rejected: 1, errors: [{ index: 0, field, message: err.message }] };
    }
    throw err;
  }
}
