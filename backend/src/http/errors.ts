import type { ErrorRequestHandler } from 'express';
import type { ZodError } from 'zod';

/** One field-level problem, as shown to API users. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Base of every error the service answers on purpose. `status` is the HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
    /** Seconds for `Retry-After` (429/503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Extra top-level members of the JSON answer (the ingest route adds `accepted`/`rejected`/`errors`). */
  extra?: Record<string, unknown>;
}

/** 400: the body or a parameter is invalid. */
export class InputError extends AppError {
  constructor(message: string, details?: FieldProblem[], code = 'invalid_query') {
    super(400, code, message, details);
  }
}

/** 401: missing, unknown or wrong-scope token (never says which). */
export class UnauthorizedError extends AppError {
  constructor() {
    super(401, 'unauthorized', 'missing or invalid bearer token');
  }
}

/** 429: this client failed authentication too often; valid tokens are never refused with it. */
export class TooManyAuthFailuresError extends AppError {
  constructor(retryAfter: number) {
    super(429, 'too_many_auth_failures', 'too many failed authentications; retry later', undefined, retryAfter);
  }
}

/** 404 */
export class NotFoundError extends AppError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
  }
}

/** 413 */
export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `body is larger than ${limit} bytes (after decompression)`);
  }
}

/** 415 */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** 429: too much in-flight work. Nothing was stored; retrying is safe. */
export class OverloadedError extends AppError {
  constructor(retryAfter = 1, message = 'the service is busy; retry later') {
    super(429, 'overloaded', message, undefined, retryAfter);
  }
}

/** 503: OpenSearch cannot be reached or refused the write. Nothing was stored; retrying is safe. */
export class StorageUnavailableError extends AppError {
  constructor(message = 'storage is unavailable; retry later', retryAfter = 5) {
    super(503, 'storage_unavailable', message, undefined, retryAfter);
  }
}

/** 400 `query_too_broad`: the rows cannot be computed within the query budget; `details` name what to narrow. */
export class QueryTooBroadError extends AppError {
  constructor(message: string, details: FieldProblem[]) {
    super(400, 'query_too_broad', message, details);
  }
}

/** 504 `query_timeout`: the query did not finish within its time limit (its OpenSearch searches were cancelled). */
export class QueryTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super(
      504,
      'query_timeout',
      `the query did not finish within ${timeoutMs} ms; narrow the time range or add filters`,
    );
  }
}

/** 499: the client went away before the answer (nobody reads it; it ends the query's work and is not logged). */
export class ClientClosedError extends AppError {
  constructor() {
    super(499, 'client_closed_request', 'the client closed the connection');
  }
}

/** Turns a zod error into `{field, message}` pairs (`field` is the dotted path, `(body)` for the root). */
export function zodProblems(error: ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || '(body)';
    return { field, message: issue.message };
  });
}

/** Builds an InputError from a zod error: the message lists every field once. */
export function inputErrorFromZod(error: ZodError, code = 'invalid_query'): InputError {
  const details = zodProblems(error);
  return new InputError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details, code);
}

/** Minimal logger surface the error middleware needs. */
export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

/**
 * The one error middleware: AppErrors become their JSON body; body-parser errors become 400/413/415;
 * anything else is logged and answered 500 without details.
 */
export function errorMiddleware(logger: ErrorLogger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const known = toAppError(err);
    res.locals.errorCode = known.code; // for the metrics of the route (query refusals by code)
    if (known.retryAfter !== undefined) res.setHeader('Retry-After', String(known.retryAfter));
    if (known.status >= 500 && known.status !== 503 && known.status !== 504) {
      logger.error({ err: { name: err?.name, message: err?.message, stack: err?.stack } }, 'request failed');
    }
    if (res.headersSent) return;
    res.status(known.status).json({
      ...(known.extra ?? {}),
      error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) },
    });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError(Number((err as { limit?: number }).limit ?? 0));
  if (e?.type === 'entity.parse.failed')
    return new InputError(
      `body is not valid JSON: ${e.message}`,
      [{ field: '(body)', message: 'invalid JSON' }],
      'invalid_body',
    );
  if (e?.type === 'encoding.unsupported' || e?.status === 415)
    return new UnsupportedMediaTypeError(e.message ?? 'unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return new AppError(e.status, 'bad_request', e.message ?? 'bad request');
  return new AppError(500, 'internal', 'internal error');
}
