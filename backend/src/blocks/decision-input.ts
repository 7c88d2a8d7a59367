/**
 * Reads a proxy's decision sub-request: which request is being asked about (client IP, host, app, URI) and the
 * identifiers it carries, in the shape ingest uses, so `identifyRequest` computes the same session key.
 *
 * nginx `auth_request` forwards the original request's headers and gives the original URI in `X-Original-URI`
 * (set in the snippet); Envoy `ext_authz` (HTTP) forwards the original method and appends the original path to the
 * service's path prefix, so `GET /v1/decision/orders?id=1` stands for `GET /orders?id=1`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { splitPath } from '../ingest/stages/path';
import type { RequestIdentityInput } from '../session/identity';
import { parseIp, type IpAddress } from './ip';

/** The header carrying the proxy's decision token (never an identifier, never logged). */
export const DECISION_TOKEN_HEADER = 'x-decision-token';
/** A header the proxy configuration sets to name the application (blocks scoped to an app match on it). */
export const APP_HEADER = 'x-api-sessions-app';

/** Headers that describe the hop to the decision service, not the client's request. */
const NOT_IDENTIFIERS = new Set([DECISION_TOKEN_HEADER, 'content-length', 'connection', 'x-original-uri']);

/** Everything the decision needs to know about the original request. */
export interface DecisionRequest {
  identity: RequestIdentityInput;
  ip?: IpAddress;
  /** Lower case, as sent (may carry `:port`). */
  host?: string;
  app?: string;
}

/**
 * Builds the decision request from the sub-request's headers and path.
 * Client IP: `X-Real-IP`, else the last address of `X-Forwarded-For` (the one the proxy appended: earlier entries
 * are whatever the client sent), else the proxy's own address. Host: `X-Forwarded-Host`, else `Host`.
 * URI: `X-Original-URI` (nginx), else the sub-request path after `/v1/decision` (Envoy), else `/`.
 * @example headers {x-real-ip: '203.0.113.7', cookie: 'PHPSESSID=abc', x-original-uri: '/cart?sid=1'}
 *   → identity {identifiers:{headers:{…, cookie}}, pathQuery:{sid:'1'}, clientIp:'203.0.113.7'}
 */
export function readDecisionRequest(
  headers: IncomingHttpHeaders,
  subRequestPath: string,
  remoteAddress: string | undefined,
): DecisionRequest {
  const ipText = clientIpText(headers, remoteAddress);
  const ip = ipText === undefined ? undefined : parseIp(ipText);
  const uri = single(headers['x-original-uri']) ?? originalPathOf(subRequestPath);
  const host = (single(headers['x-forwarded-host']) ?? single(headers.host))?.trim().toLowerCase() || undefined;
  const app = single(headers[APP_HEADER])?.trim() || undefined;
  const forwarded: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (NOT_IDENTIFIERS.has(name)) continue;
    const v = headers[name];
    if (v !== undefined) forwarded[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  const path = splitPath(uri);
  return {
    identity: {
      identifiers: { headers: forwarded },
      pathQuery: path.query,
      pathParams: path.pathParams,
      clientIp: ipText ?? '',
      userAgent: single(headers['user-agent']),
    },
    ip,
    host,
    app,
  };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The client address as text (unvalidated; parseIp decides whether it is one). */
function clientIpText(headers: IncomingHttpHeaders, remote: string | undefined): string | undefined {
  const real = single(headers['x-real-ip'])?.trim();
  if (real) return real;
  const xff = headers['x-forwarded-for'];
  const list = Array.isArray(xff) ? xff.join(',') : xff;
  if (list) {
    const last = list.slice(list.lastIndexOf(',') + 1).trim();
    if (last) return last;
  }
  return remote;
}

/** `/v1/decision/orders?id=1` → `/orders?id=1`; `/v1/decision` → `/`. */
function originalPathOf(path: string): string {
  const rest = path.startsWith('/v1/decision') ? path.slice('/v1/decision'.length) : path;
  if (rest === '' || rest.startsWith('?')) return `/${rest}`;
  return rest;
}
