import { createHmac } from 'node:crypto';
import type { SessionRules, Source } from './rules';
import { sourceLabel } from './rules';
import { claimValue, decodeJwtPayload, parseCookieHeader, stripScheme } from './tokens';

/** What identity extraction reads from one record. Header names are lower-cased by `buildCarriers`. */
export interface Carriers {
  headers: Record<string, string>;
  cookies: Record<string, string>;
  query: Record<string, string>;
  response: Record<string, string>;
  sessionId?: string;
  clientIp: string;
  userAgent?: string;
}

/** The session identity of one request. `key` is HMAC-SHA256(secret, value) in hex. */
interface Identity {
  key: string;
  keySource: string;
  user?: string;
  role?: string;
  context?: Record<string, string>;
}

/** Explicit actor fields a node may send. */
interface ExplicitActor {
  user?: string;
  role?: string;
  context?: Record<string, string>;
}

/** Built-in session cookies, tried after the configured keys (Wallarm's built-in set and common frameworks). */
const BUILTIN_COOKIES = [
  'PHPSESSID',
  'JSESSIONID',
  'SESSION-ID',
  'SESSIONID',
  'SESSION',
  'connect.sid',
  'ASP.NET_SessionId',
  'sessionid',
  'session',
  'sid',
  '_session_id',
  'laravel_session',
  'session_token',
];
/** Built-in session/token headers (also looked up in the response, which links a login to later requests). */
const BUILTIN_HEADERS = ['x-session-id', 'session-id', 'x-session-token', 'x-auth-token', 'x-api-key', 'authorization'];

type Extractor = (c: Carriers) => string | undefined;
interface CompiledRule {
  label: string;
  extract: Extractor;
  hash: boolean;
}

/**
 * Builds the carriers from a record's identifiers; the Cookie header is parsed into cookies (malformed parts
 * ignored). Path parameters (`;name=value` in a segment) count as query parameters, and a `jsessionid` path
 * parameter — Java servlets' URL rewriting of the session cookie — as the JSESSIONID cookie when there is none.
 */
export function buildCarriers(
  identifiers:
    | {
        headers?: Record<string, string>;
        cookies?: Record<string, string>;
        query?: Record<string, string>;
        response?: Record<string, string>;
      }
    | undefined,
  pathQuery: Record<string, string>,
  sessionId: string | undefined,
  clientIp: string,
  userAgent: string | undefined,
  pathParams?: Record<string, string>,
): Carriers {
  const headers = lowerKeys(identifiers?.headers);
  const cookies = { ...parseCookieHeader(headers['cookie']), ...(identifiers?.cookies ?? {}) };
  const rewritten = pathParams?.jsessionid ?? pathParams?.JSESSIONID;
  if (rewritten && cookies.JSESSIONID === undefined) cookies.JSESSIONID = rewritten;
  return {
    headers,
    cookies,
    query: { ...(pathParams ?? {}), ...pathQuery, ...(identifiers?.query ?? {}) },
    response: lowerKeys(identifiers?.response),
    sessionId,
    clientIp,
    userAgent,
  };
}

function lowerKeys(m: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!m) return out;
  for (const k of Object.keys(m)) out[k.toLowerCase()] = m[k];
  return out;
}

function extractorOf(s: Source): Extractor {
  if (s.header) {
    const h = s.header.toLowerCase();
    return (c) => nonEmpty(c.headers[h] !== undefined ? stripScheme(c.headers[h]) : undefined);
  }
  if (s.cookie) {
    const name = s.cookie;
    return (c) => nonEmpty(c.cookies[name]);
  }
  if (s.query) {
    const name = s.query;
    return (c) => nonEmpty(c.query[name]);
  }
  if (s.response) {
    const h = s.response.toLowerCase();
    return (c) => nonEmpty(c.response[h] !== undefined ? stripScheme(c.response[h]) : undefined);
  }
  if (s.jwt) {
    const { header, cookie, claim } = s.jwt;
    return (c) => claimValue(decodeJwtPayload(header ? c.headers[header.toLowerCase()] : c.cookies[cookie!]), claim);
  }
  return (c) => nonEmpty(c.sessionId);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

function compile(sources: Source[]): CompiledRule[] {
  return sources.map((s) => ({ label: sourceLabel(s), extract: extractorOf(s), hash: s.hash === true }));
}

/** The built-in key rules: the node's session id, common cookies, headers, then response tokens. */
function builtinKeyRules(): CompiledRule[] {
  return compile([
    { session_id: true },
    ...BUILTIN_COOKIES.map((cookie) => ({ cookie })),
    ...BUILTIN_HEADERS.map((header) => ({ header })),
    ...BUILTIN_HEADERS.map((response) => ({ response })),
  ]);
}

/**
 * What one request offers for identification. Ingest builds it from a record; the decision endpoint
 * (`GET /v1/decision`) from the headers a proxy forwards. Both then call `identifyRequest`, so a request gets the
 * same session key, user and role on both paths.
 */
export interface RequestIdentityInput {
  identifiers?: {
    headers?: Record<string, string>;
    cookies?: Record<string, string>;
    query?: Record<string, string>;
    response?: Record<string, string>;
  };
  /** Query parameters of the request path (values decoded). */
  pathQuery: Record<string, string>;
  /** The session id a node computed. */
  sessionId?: string;
  clientIp: string;
  userAgent?: string;
  /** Path parameters (`;name=value` in a path segment; `splitPath`): a `jsessionid` counts as the JSESSIONID cookie. */
  pathParams?: Record<string, string>;
  explicit?: ExplicitActor;
}

/** A compiled identity extractor for one set of rules and one secret. */
export interface IdentityExtractor {
  identify(c: Carriers, explicit: ExplicitActor): Identity;
  /** The identity of one request: `buildCarriers` then `identify` (the one entry point of ingest and decisions). */
  identifyRequest(input: RequestIdentityInput): Identity;
}

/**
 * Compiles session rules once. `identify` returns the session key of the first rule whose value is present
 * (configured keys, then the built-in set when `fallback`, then ip+ua, then ip), plus user, role and context.
 * Example: rules.keys = [{cookie:'sid'}], request with cookie sid=abc → key = HMAC(secret,'abc'), keySource 'cookie:sid'.
 */
export function createIdentityExtractor(rules: SessionRules, secret: string): IdentityExtractor {
  const keyRules = [...compile(rules.keys), ...(rules.fallback ? builtinKeyRules() : [])];
  const userRules = compile(rules.user);
  const roleRules = compile(rules.role);
  const contextRules = rules.context.map((r) => ({ name: r.name, ...compile([r])[0] }));
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('hex');

  const attribute = (list: CompiledRule[], c: Carriers): string | undefined => {
    for (const rule of list) {
      const v = rule.extract(c);
      if (v !== undefined) return rule.hash ? hmac(v) : v;
    }
    return undefined;
  };

  const extractor: IdentityExtractor = {
    identifyRequest(input) {
      const carriers = buildCarriers(
        input.identifiers,
        input.pathQuery,
        input.sessionId,
        input.clientIp,
        input.userAgent,
        input.pathParams,
      );
      return extractor.identify(carriers, input.explicit ?? {});
    },
    identify(c, explicit) {
      let key: string | undefined;
      let keySource = 'ip';
      for (const rule of keyRules) {
        const v = rule.extract(c);
        if (v !== undefined) {
          key = hmac(v);
          keySource = rule.label;
          break;
        }
      }
      if (key === undefined) {
        // Prefixes keep these values from colliding with an identifier that happens to equal an IP.
        if (c.userAgent) {
          key = hmac(`ip+ua:${c.clientIp}\n${c.userAgent}`);
          keySource = 'ip+ua';
        } else {
          key = hmac(`ip:${c.clientIp}`);
        }
      }
      const context: Record<string, string> = { ...(explicit.context ?? {}) };
      for (const r of contextRules) {
        if (Object.keys(context).length >= 20) break;
        const v = r.extract(c);
        if (v !== undefined && !(r.name in context)) context[r.name] = r.hash ? hmac(v) : v;
      }
      return {
        key,
        keySource,
        user: explicit.user ?? attribute(userRules, c),
        role: explicit.role ?? attribute(roleRules, c),
        context: Object.keys(context).length > 0 ? context : undefined,
      };
    },
  };
  return extractor;
}
