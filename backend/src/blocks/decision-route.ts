/**
 * HTTP side of `GET /v1/decision` (any method, any sub-path, for Envoy): `X-Decision-Token` from DECISION_TOKENS;
 * 204 allow, 403 with `X-Block-Id` / `X-Block-Reason`, 204 with `X-Block-Monitor` (ids, comma-separated) when only
 * monitor-mode blocks match. Bodies are never read. Off (404) without DECISION_TOKENS.
 *
 * Two entry points share one answer: the Express handler (mounted at `/v1/decision`; it also answers the errors) and
 * a fast path that serves authenticated decisions before Express sees the request. Express costs 2–3× the CPU of
 * the decision itself per request (measured on the raw Node server vs the same handler in Express), and a proxy
 * asks once per request it serves; anything the fast path does not serve (no or wrong token, endpoint off, other
 * paths) goes on to Express.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { refuseAuth, type FailedAuthGuard, type TokenSet } from '../http/auth';
import { AppError, NotFoundError } from '../http/errors';
import type { Decision } from './decision';
import { headerSafe } from './decision';
import { DECISION_TOKEN_HEADER, readDecisionRequest, type DecisionRequest } from './decision-input';

/** Dependencies of the decision endpoint. */
export interface DecisionRouteDeps {
  /** DECISION_TOKENS; undefined = the endpoint is off. */
  tokens?: TokenSet;
  decide: (req: DecisionRequest) => Decision;
  /** Counts failed authentications (the app's shared limiter: 429 after too many). */
  authGuard?: FailedAuthGuard;
}

/** Writes a decision on a plain Node response. */
export function writeDecision(res: ServerResponse, d: Decision): void {
  res.setHeader('Cache-Control', 'no-store');
  if (d.block) {
    res.setHeader('X-Block-Id', d.block.id);
    res.setHeader('X-Block-Reason', headerSafe(d.block.reason));
    res.statusCode = 403;
  } else {
    if (d.monitors.length > 0) res.setHeader('X-Block-Monitor', d.monitors.map((b) => b.id).join(','));
    res.statusCode = 204;
  }
  res.end();
}

/** True for `/v1/decision`, `/v1/decision?…` and `/v1/decision/…` (Envoy appends the original path). */
export function isDecisionPath(url: string | undefined): boolean {
  if (!url?.startsWith('/v1/decision')) return false;
  const next = url.charCodeAt('/v1/decision'.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63; /* ? */
}

const validToken = (deps: DecisionRouteDeps, req: IncomingMessage) => {
  const token = req.headers[DECISION_TOKEN_HEADER];
  return typeof token === 'string' && deps.tokens !== undefined && deps.tokens.has(token);
};

/** The Express handler, mounted at `/v1/decision`: decisions, 401 for a missing or wrong token, 404 when off. */
export function createDecisionHandler(deps: DecisionRouteDeps): RequestHandler {
  return (req, res, next) => {
    if (!deps.tokens) return next(new NotFoundError('the decision endpoint is off: set DECISION_TOKENS'));
    if (!validToken(deps, req))
      return next(
        refuseAuth(req, deps.authGuard, new AppError(401, 'unauthorized', 'missing or invalid X-Decision-Token')),
      );
    writeDecision(res, deps.decide(readDecisionRequest(req.headers, req.originalUrl, req.socket.remoteAddress)));
  };
}

/** The fast path: answers an authenticated decision on the raw request and returns true; false = not served. */
export function createDecisionFastPath(
  deps: DecisionRouteDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (!deps.tokens || !isDecisionPath(req.url) || !validToken(deps, req)) return false;
    writeDecision(res, deps.decide(readDecisionRequest(req.headers, req.url!, req.socket.remoteAddress)));
    return true;
  };
}

/** A server's request listener: the decision fast path, then the app for everything else. */
export function withFastPath(
  fast: (req: IncomingMessage, res: ServerResponse) => boolean,
  app: RequestListener,
): RequestListener {
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}
