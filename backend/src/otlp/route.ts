/**
 * `POST /otlp/v1/traces` and `POST /otlp/v1/logs` (OTLP/HTTP, mounted under `/otlp`, so an exporter configured with
 * `OTEL_EXPORTER_OTLP_ENDPOINT=http://<service>/otlp` finds them). Wiring only: token → admit → read (the ingest
 * body limits and gzip) → decode → map → the shared ingest path → OTLP answer. Failures answer a `google.rpc.Status`
 * in the request's encoding, with `Retry-After` on 429/503 (OTLP exporters honour it).
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { requireToken, type FailedAuthGuard, type TokenSet } from '../http/auth';
import { AppError, InputError, UnsupportedMediaTypeError } from '../http/errors';
import type { Logger } from '../logger';
import { isGzip, readBody } from '../ingest/body';
import type { IngestCore } from '../ingest/accept';
import { wantedAttribute, wantedResourceAttribute } from './attributes';
import { decodeLogsJson, decodeTracesJson } from './decode-json';
import { decodeLogsProto, decodeTracesProto } from './decode-proto';
import { mapLogs } from './map-logs';
import { mapSpans } from './map-spans';
import {
  DEFAULT_DECODE_LIMITS,
  OtlpDecodeError,
  OtlpTooManyItemsError,
  type DecodeLimits,
  type DecodeOptions,
  type MappedExport,
} from './model';
import {
  CONTENT_TYPES,
  encodeExportResponse,
  encodeStatus,
  partialMessage,
  type OtlpEncoding,
  type OtlpSignal,
} from './response';

/** Dependencies of the OTLP routes. */
export interface OtlpDeps {
  /** The same ingest path (limits, budgets, pipeline, sink, spool) as `POST /v1/requests`. */
  ingest: IngestCore;
  /** Tokens of the ingest scope. */
  ingestTokens: TokenSet;
  /** Counts failed authentications (the app's limiter); a valid token always passes. */
  authGuard?: FailedAuthGuard;
  logger: Logger;
  limits?: DecodeLimits;
}

/** Picks the encoding from Content-Type; 415 for anything but protobuf or JSON. */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  throw new UnsupportedMediaTypeError(
    `Content-Type ${mime || '(none)'} is not OTLP/HTTP; use application/x-protobuf or application/json`,
  );
}

/** Creates the router to mount at `/otlp`. */
export function createOtlpRouter(deps: OtlpDeps): Router {
  const router = Router();
  const opts: DecodeOptions = {
    attrs: wantedAttribute,
    resourceAttrs: wantedResourceAttribute,
    limits: deps.limits ?? DEFAULT_DECODE_LIMITS,
  };
  router.use(requireToken({ ingest: deps.ingestTokens }, deps.authGuard));
  router.post('/v1/traces', exportHandler('traces', deps.ingest, opts));
  router.post('/v1/logs', exportHandler('logs', deps.ingest, opts));
  router.use(otlpErrors(deps.logger));
  return router;
}

function exportHandler(signal: OtlpSignal, ingest: IngestCore, opts: DecodeOptions): RequestHandler {
  return async (req, res) => {
    const encoding = encodingOf(req.headers['content-type']);
    res.once('finish', () => ingest.metrics?.ingestRequests.inc({ status: String(res.statusCode) }));
    const admission = ingest.admit(req);
    try {
      const body = await readBody(req, ingest.maxBodyBytes, isGzip(req.headers['content-encoding']));
      admission.settle(body.length);
      const mapped = decodeAndMap(signal, encoding, body, opts);
      let rejected = 0;
      let message = '';
      if (mapped.items.length > 0) {
        const result = await ingest.accept(mapped.items);
        rejected = result.errors.rejected;
        message = partialMessage(signal, rejected, mapped.items.length, result.errors.errors(), mapped.origins);
      }
      res
        .status(200)
        .type(CONTENT_TYPES[encoding])
        .send(encodeExportResponse(encoding, signal, rejected, message));
    } finally {
      admission.release();
    }
  };
}

/** Decodes and maps a body; a malformed export is a 400 naming where, too many items a 413. */
function decodeAndMap(signal: OtlpSignal, encoding: OtlpEncoding, body: Buffer, opts: DecodeOptions): MappedExport {
  if (body.length === 0) return { items: [], origins: [], ignored: 0, total: 0 }; // an empty export succeeds
  try {
    if (signal === 'traces')
      return mapSpans(encoding === 'json' ? decodeTracesJson(body, opts) : decodeTracesProto(body, opts));
    return mapLogs(encoding === 'json' ? decodeLogsJson(body, opts) : decodeLogsProto(body, opts));
  } catch (err) {
    if (err instanceof OtlpDecodeError)
      throw new InputError(
        `invalid OTLP ${encoding} export: ${err.message}`,
        [{ field: err.where, message: err.message }],
        'invalid_body',
      );
    if (err instanceof OtlpTooManyItemsError) throw new AppError(413, 'payload_too_large', err.message);
    throw err;
  }
}

/** The encoding an error answer uses: the request's, or JSON when the request's is not OTLP. */
function answerEncoding(req: Request): OtlpEncoding {
  try {
    return encodingOf(req.headers['content-type']);
  } catch {
    return 'json';
  }
}

/**
 * Error middleware of the OTLP routes: every failure becomes a `google.rpc.Status` with the HTTP status of the
 * typed error (400, 401, 413, 415, 429, 503), `Retry-After` when retrying later helps; anything unexpected is
 * logged and answered 500 without details.
 */
function otlpErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let message = 'internal error';
    if (err instanceof AppError) {
      status = err.status;
      message = err.message;
      if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
    } else {
      logger.error({ err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'OTLP request failed');
    }
    if (res.headersSent) return;
    const encoding = answerEncoding(req);
    res
      .status(status)
      .type(CONTENT_TYPES[encoding])
      .send(encodeStatus(encoding, status, message));
  };
}
