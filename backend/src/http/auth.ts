import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { TooManyAuthFailuresError, UnauthorizedError, type AppError } from './errors';

/** The two token scopes: an ingest token cannot query and a query token cannot ingest. */
export type Scope = 'ingest' | 'query';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A set of tokens compared in constant time (over SHA-256 digests, so length does not leak either). */
export class TokenSet {
  private readonly digests: Buffer[];
  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }
  /** True when `token` is one of the set. Compares against every entry, whatever matches. */
  has(token: string): boolean {
    const d = digest(token);
    let found = false;
    for (const t of this.digests) found = timingSafeEqual(t, d) || found;
    return found;
  }
}

/** Reads the bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** Counts failed authentications per client and says how long a client must wait (AuthFailureLimiter). */
export interface FailedAuthGuard {
  /** Seconds until `client` may try again with a token that is not valid, or 0. */
  blockedFor(client: string): number;
  /** Records one failed authentication of `client`. */
  fail(client: string): void;
}

/**
 * The client a request counts against: `req.ip`, which follows X-Forwarded-For only through the proxies
 * TRUST_PROXY names (Express's `trust proxy`), else the socket's address.
 */
export function clientOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Middleware: the request must carry a token of one of `sets` (named by scope: ingest, query, admin, …).
 * A valid token always passes, whatever its client did before (issue 13: anyone sharing an address, or a load
 * balancer, could otherwise lock every valid token out). A missing or invalid one is 401 and counted by `guard`;
 * once the client failed too often it gets 429 `too_many_auth_failures` with Retry-After instead.
 */
export function requireToken(sets: Partial<Record<string, TokenSet>>, guard?: FailedAuthGuard): RequestHandler {
  const allowed = Object.values(sets).filter((s): s is TokenSet => s !== undefined);
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token && allowed.some((s) => s.has(token))) return next();
    next(refuseAuth(req, guard));
  };
}

/**
 * The error for a request whose credentials failed, counted against its client (`clientOf`) by `guard`: 429
 * `too_many_auth_failures` with Retry-After once the client failed too often, else `unauthorized` (401). Every route
 * with its own credential check (admin labels, X-Decision-Token) refuses through this, so they all share one limiter.
 */
export function refuseAuth(
  req: Request,
  guard: FailedAuthGuard | undefined,
  unauthorized: AppError = new UnauthorizedError(),
): AppError {
  const client = clientOf(req);
  const wait = guard?.blockedFor(client) ?? 0;
  if (wait > 0) return new TooManyAuthFailuresError(wait);
  guard?.fail(client);
  return unauthorized;
}
