import { Router } from 'express';
import { AppError, InputError } from '../http/errors';
import { bodyFormatOf, isGzip, parseItems, readBody } from './body';
import type { ErrorCollector } from './errors-collector';
import type { IngestCore } from './accept';
import type { Metrics } from '../metrics/metrics';

export type { IngestDeps } from './accept';

/** Most records one body may hold (more → 413). */
export const MAX_RECORDS_PER_BODY = 100_000;

/**
 * `POST /v1/requests`: admit → read → parse → the shared ingest path (`accept.ts`: pipeline, bulk write or spool)
 * → `{accepted, rejected, errors}`.
 */
export function createIngestRouter(ingest: IngestCore): Router {
  const router = Router();
  const m = ingest.metrics;
  router.post('/v1/requests', async (req, res) => {
    res.once('finish', () => m?.ingestRequests.inc({ status: String(res.statusCode) }));
    const admission = ingest.admit(req);
    try {
      const format = bodyFormatOf(req.headers['content-type']);
      const body = await withIngestShape(
        () => readBody(req, ingest.maxBodyBytes, isGzip(req.headers['content-encoding'])),
        m,
      );
      admission.settle(body.length);
      const items = await withIngestShape(async () => parseItems(body, format), m);
      if (items.length > MAX_RECORDS_PER_BODY) {
        throw new AppError(
          413,
          'payload_too_large',
          `body holds ${items.length} records; at most ${MAX_RECORDS_PER_BODY} per request`,
        );
      }
      const { prepared, accepted, errors: collector } = await ingest.accept(items);
      if (prepared === 0) throw rejectAll(collector);
      if (accepted === 0) throw rejectAll(collector, 'records_rejected', 'storage rejected every usable record');
      res.json({ accepted, rejected: collector.rejected, errors: collector.errors() });
    } finally {
      admission.release();
    }
  });
  return router;
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
