import { Router } from 'express';
import { InputError, OverloadedError, StorageUnavailableError } from '../http/errors';
import { bodyFormatOf, isGzip, parseItems, readBody } from './body';
import type { Pipeline, PreparedRecord, RecordError } from './pipeline';
import type { Sink, WriteResult } from './sink';
import type { IngestCounters } from './counters';
import type { Spool } from './spool';

/** How many errors an answer lists at most (`rejected` still counts all). */
export const MAX_LISTED_ERRORS = 1000;

/** Dependencies of the ingest route. */
export interface IngestDeps {
  pipeline: Pipeline;
  sink: Sink;
  /** Ensures the index template is installed before the first write (throws 503 when storage is down). */
  ensureStorage: () => Promise<void>;
  maxBodyBytes: number;
  maxInflightRecords: number;
  counters: IngestCounters;
  /** When set, records OpenSearch cannot take now are spooled durably and acknowledged (SPOOL_DIR). */
  spool?: Spool;
}

/** `POST /v1/requests`: read → parse → pipeline → bulk write → `{accepted, rejected, errors}`. */
export function createIngestRouter(deps: IngestDeps): Router {
  const router = Router();
  let inflight = 0;
  router.post('/v1/requests', async (req, res) => {
    const format = bodyFormatOf(req.headers['content-type']);
    const body = await readBody(req, deps.maxBodyBytes, isGzip(req.headers['content-encoding']));
    const { docs, errors } = deps.pipeline.run(withIngestShape(() => parseItems(body, format)), Date.now());
    if (docs.length === 0) throw rejectAll(errors);
    if (inflight + docs.length > deps.maxInflightRecords) throw new OverloadedError(1);
    inflight += docs.length;
    try {
      const written = await writeOrSpool(deps, docs);
      errors.push(...written.rejected);
      errors.sort((a, b) => a.index - b.index);
      const accepted = written.stored + written.duplicates;
      deps.counters.add({ accepted, duplicates: written.duplicates, rejected: errors.length });
      res.status(accepted === 0 ? 400 : 200).json({ accepted, rejected: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) });
    } finally {
      inflight -= docs.length;
    }
  });
  return router;
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

/** 400 for a body without one usable record; the answer keeps the ingest shape with every error listed. */
function rejectAll(errors: RecordError[]): InputError {
  errors.sort((a, b) => a.index - b.index);
  const e = new InputError('no usable record in the body', errors.slice(0, 20).map(({ field, message }) => ({ field, message })), 'invalid_body');
  e.extra = { accepted: 0, rejected: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) };
  return e;
}

/** Body-level 400s (not JSON, broken UTF-8, empty) also answer in the ingest shape. */
function withIngestShape<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) {
      const field = err.details?.[0]?.field ?? '(body)';
      err.extra = { accepted: 0, rejected: 1, errors: [{ index: 0, field, message: err.message }] };
    }
    throw err;
  }
}
