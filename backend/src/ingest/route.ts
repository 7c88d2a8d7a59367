import { Router } from 'express';
import { AppError, InputError } from '../http/errors';
import { bodyFormatOf, isGzip, parseItems, readBody } from './body';
import type { ErrorCollector } from './errors-collector';
import type { IngestCore } from './accept';

export type { IngestDeps } from './accept';

/** Most records one body may hold (more → 413). */
export const MAX_RECORDS_PER_BODY = 100_000;

/**
 * `POST /v1/requests`: admit → read → parse → the shared ingest path (`accept.ts`: pipeline, bulk write or spool)
 * → `{accepted, rejected, errors}`.
 */
export function createIngestRouter(ingest: IngestCore): Router {
  const router = Router();
  router.post('/v1/requests', async (req, res) => {
    const release = ingest.admit(req);
    try {
      const format = bodyFormatOf(req.headers['content-type']);
      const body = await withIngestShape(() =>
        readBody(req, ingest.maxBodyBytes, isGzip(req.headers['content-encoding'])),
      );
      const items = await withIngestShape(async () => parseItems(body, format));
      if (items.length > MAX_RECORDS_PER_BODY) {
        throw new AppError(
          413,
          'payload_too_large',
          `body holds ${items.length} records; at most ${MAX_RECORDS_PER_BODY} per request`,
        );
      }
      const { prepared, accepted, errors: collector } = await ingest.accept(items);
      if (prepared === 0) throw rejectAll(collector);
      res
        .status(accepted === 0 ? 400 : 200)
        .json({ accepted, rejected: collector.rejected, errors: collector.errors() });
    } finally {
      release();
    }
  });
  return router;
}

/** 400 for a body without one usable record; the answer keeps the ingest shape. */
function rejectAll(collector: ErrorCollector): InputError {
  const errors = collector.errors();
  const e = new InputError(
    'no usable record in the body',
    errors.slice(0, 20).map(({ field, message }) => ({ field, message })),
    'invalid_body',
  );
  e.extra = { accepted: 0, rejected: collector.rejected, errors };
  return e;
}

/** Body-level 400s (not JSON, broken gzip or UTF-8, empty) also answer in the ingest shape. */
async function withIngestShape<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError) {
      const field = err.details?.[0]?.field ?? '(body)';
      err.extra = { accepted: 0, rejected: 1, errors: [{ index: 0, field, message: err.message }] };
    }
    throw err;
  }
}
