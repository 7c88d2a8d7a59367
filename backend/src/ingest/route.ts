import { Router } from 'express';
import { InputError, OverloadedError } from '../http/errors';
import { bodyFormatOf, isGzip, parseItems, readBody } from './body';
import type { Pipeline, RecordError } from './pipeline';
import type { Sink } from './sink';
import type { IngestCounters } from './counters';

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
      await deps.ensureStorage();
      const written = await deps.sink.write(docs);
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
