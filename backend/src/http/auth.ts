import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from './errors';

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

/** Middleware: the request must carry a token of one of `scopes`. Failed attempts are reported to `onFailure`. */
export function requireToken(sets: Partial<Record<Scope, TokenSet>>, onFailure?: (ip: string) => void): RequestHandler {
  const allowed = Object.values(sets).filter((s): s is TokenSet => s !== undefined);
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token && allowed.some((s) => s.has(token))) return next();
    onFailure?.(req.socket.remoteAddress ?? 'unknown');
    next(new UnauthorizedError());
  };
}
