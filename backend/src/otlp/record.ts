/**
 * Builds a `/v1/requests` record (the ingest contract, see docs/ingest.md) from the attributes of a span or a log
 * record. The record then goes through the one ingest pipeline (validation, identity, enrichment, redaction), so an
 * OTLP request is stored exactly as the same request posted as NDJSON would be. Pure.
 */
import { LIMITS } from '../ingest/schema';
import {
  asInt,
  asNumber,
  asString,
  capturedHeaders,
  FIELD_ATTRIBUTES,
  hostWithoutPort,
  normalizeIp,
  pick,
  protocolOf,
  RESOURCE_ATTRIBUTES,
  splitUrl,
} from './attributes';
import type { AttrMap } from './model';

/** A record in the shape `/v1/requests` takes (validated later by the pipeline). */
export type RequestRecord = Record<string, unknown>;

/** True when the attributes carry an HTTP method: the mark of an HTTP request in both spans and logs. */
export function hasHttpMethod(sources: AttrMap[]): boolean {
  return asString(pick(sources, FIELD_ATTRIBUTES.method)) !== undefined;
}

const TARGET_ATTRIBUTES = [...FIELD_ATTRIBUTES.path, 'url.full', 'http.url'];
const URL_ATTRIBUTES = ['url.full', 'http.url'];

/** True when the attributes say which path was requested (server side: a path or target, or a full URL). */
export function hasRequestTarget(sources: AttrMap[]): boolean {
  return pick(sources, TARGET_ATTRIBUTES) !== undefined;
}

/**
 * The record fields the attributes give (everything except `id`, `ts` and `duration_ms`, which depend on the
 * signal). Missing required fields are left out, so validation names them; `status` defaults to 0 (no response),
 * as semantic conventions set it only when a response was sent.
 * @example buildRecord([{'http.request.method':'GET','url.path':'/a','url.query':'q=1'}], {'service.name':'shop'})
 *   → { method: 'GET', path: '/a?q=1', status: 0, app: 'shop' }
 */
export function buildRecord(sources: AttrMap[], resource: AttrMap): RequestRecord {
  const r: RequestRecord = {};
  const url = splitUrl(pick(sources, URL_ATTRIBUTES));
  set(r, 'method', methodOf(sources));
  set(r, 'path', pathOf(sources) ?? url.path);
  const host =
    asString(pick(sources, FIELD_ATTRIBUTES.host)) ?? url.host ?? asString(pick(sources, ['http.request.header.host']));
  set(r, 'host', host === undefined ? undefined : hostWithoutPort(host));
  r.status = asInt(pick(sources, FIELD_ATTRIBUTES.status)) ?? 0;
  const ip = asString(pick(sources, FIELD_ATTRIBUTES.client_ip));
  set(r, 'client_ip', ip === undefined ? undefined : normalizeIp(ip));
  const ua =
    asString(pick(sources, FIELD_ATTRIBUTES.user_agent)) ?? asString(pick(sources, ['http.request.header.user-agent']));
  set(r, 'user_agent', ua?.slice(0, LIMITS.userAgent));
  set(r, 'endpoint', routeTemplate(asString(pick(sources, FIELD_ATTRIBUTES.endpoint))));
  set(r, 'user', asString(pick(sources, FIELD_ATTRIBUTES.user)));
  set(r, 'role', asString(pick(sources, FIELD_ATTRIBUTES.role)));
  set(r, 'session_id', asString(pick(sources, FIELD_ATTRIBUTES.session_id)));
  set(r, 'request_bytes', asNumber(pick(sources, FIELD_ATTRIBUTES.request_bytes)));
  set(r, 'response_bytes', asNumber(pick(sources, FIELD_ATTRIBUTES.response_bytes)));
  set(r, 'protocol', protocolOf(pick(sources, FIELD_ATTRIBUTES.protocol)));
  set(r, 'app', asString(resource[RESOURCE_ATTRIBUTES.app])?.slice(0, LIMITS.shortText));
  set(r, 'node', asString(resource[RESOURCE_ATTRIBUTES.node])?.slice(0, LIMITS.shortText));
  const identifiers = capturedHeaders(sources);
  if (identifiers.headers || identifiers.response) r.identifiers = identifiers;
  return r;
}

function set(r: RequestRecord, key: string, value: unknown): void {
  if (value !== undefined) r[key] = value;
}

/** `http.request.method`, or the original method when instrumentation reported `_OTHER` (an unknown method). */
function methodOf(sources: AttrMap[]): string | undefined {
  const m = asString(pick(sources, FIELD_ATTRIBUTES.method));
  if (m === '_OTHER') return asString(pick(sources, ['http.request.method_original'])) ?? m;
  return m;
}

/** `url.path` with `url.query` (the pipeline keeps only the parameter names), else `http.target`. */
function pathOf(sources: AttrMap[]): string | undefined {
  const path = asString(pick(sources, ['url.path']));
  if (path !== undefined) {
    const query = asString(pick(sources, ['url.query']));
    return query ? `${path}?${query}` : path;
  }
  return asString(pick(sources, ['http.target']));
}

/**
 * `http.route` in our template style: Express/Koa `:id` segments become `{id}` (an optional `?` is dropped), so
 * routes read like the endpoints derived from paths and OpenAPI specs.
 * @example routeTemplate('/users/:id/orders/:order?') → '/users/{id}/orders/{order}'
 */
export function routeTemplate(route: string | undefined): string | undefined {
  if (route === undefined || route === '' || !route.includes(':')) return route || undefined;
  return route
    .split('/')
    .map((seg) => (seg.length > 1 && seg[0] === ':' ? `{${seg.slice(1).replace(/\?$/, '')}}` : seg))
    .join('/');
}
