/**
 * Which OpenTelemetry attributes feed which request-record field: the current semantic-convention names first,
 * then the older ones (semconv before HTTP stabilisation, still sent by nginx's otel module and many SDKs).
 * Shared by the span and log-record mappers. Everything here is pure.
 */
import { LIMITS } from '../ingest/schema';
import type { AttrFilter, AttrMap, AttrValue } from './model';

/** Attribute names per record field, in order of preference. */
export const FIELD_ATTRIBUTES = {
  method: ['http.request.method', 'http.method'],
  path: ['url.path', 'http.target'],
  status: ['http.response.status_code', 'http.status_code'],
  client_ip: [
    'client.address',
    'http.client_ip',
    'net.sock.peer.addr',
    'network.peer.address',
    'net.peer.ip',
    'peer.address', // Envoy's tracer
  ],
  user_agent: ['user_agent.original', 'http.user_agent', 'user_agent' /* Envoy's tracer */],
  host: ['server.address', 'http.host', 'net.host.name'],
  endpoint: ['http.route'],
  user: ['enduser.id'],
  role: ['enduser.role'],
  session_id: ['session.id'],
  request_bytes: ['http.request.body.size', 'http.request_content_length', 'request_size' /* Envoy's tracer */],
  response_bytes: ['http.response.body.size', 'http.response_content_length', 'response_size' /* Envoy's tracer */],
  protocol: ['network.protocol.version', 'http.flavor', 'http.protocol' /* Envoy's tracer */],
} as const;

/** A record field fed from attributes. */
export type MappedField = keyof typeof FIELD_ATTRIBUTES;

/** Attributes that complete the table: the query string, the original method, and full URLs (path/host fallback). */
export const EXTRA_ATTRIBUTES = ['url.query', 'http.request.method_original', 'url.full', 'http.url'] as const;

/** Log records only: the request duration (semantic conventions define none for a log record). */
export const DURATION_ATTRIBUTES = { ms: 'duration_ms', seconds: 'http.server.request.duration' } as const;

/** Resource attributes read: `service.name` → `app`, `host.name` → `node`. */
export const RESOURCE_ATTRIBUTES = { app: 'service.name', node: 'host.name' } as const;

/** Prefix of captured request headers (semantic conventions: `http.request.header.<lower-case name>`, a string array). */
export const REQUEST_HEADER_PREFIX = 'http.request.header.';
/** Prefix of captured response headers (`http.response.header.<lower-case name>`). */
export const RESPONSE_HEADER_PREFIX = 'http.response.header.';

const WANTED = new Set<string>([
  ...Object.values(FIELD_ATTRIBUTES).flat(),
  ...EXTRA_ATTRIBUTES,
  DURATION_ATTRIBUTES.ms,
  DURATION_ATTRIBUTES.seconds,
]);
const WANTED_RESOURCE = new Set<string>(Object.values(RESOURCE_ATTRIBUTES));

/** The decoders' filter: the table's attributes and captured headers; everything else is skipped undecoded. */
export const wantedAttribute: AttrFilter = (key) =>
  WANTED.has(key) || key.startsWith(REQUEST_HEADER_PREFIX) || key.startsWith(RESPONSE_HEADER_PREFIX);

/** The decoders' filter for resource attributes. */
export const wantedResourceAttribute: AttrFilter = (key) => WANTED_RESOURCE.has(key);

/** The first of `names` present in `attrs` (log records: attributes first, then a key-value body). */
export function pick(sources: AttrMap[], names: readonly string[]): AttrValue | undefined {
  for (const name of names)
    for (const s of sources) {
      const v = s[name];
      if (v !== undefined && !isBlank(v)) return v;
    }
  return undefined;
}

/** Envoy writes `-` (and some loggers an empty string) for a value it does not have. */
function isBlank(v: AttrValue): boolean {
  return v === '' || v === '-';
}

/** A scalar as a string (a one-element array as its element); undefined for lists and maps. */
export function asString(v: AttrValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length === 1) return asString(v[0]);
  return undefined;
}

/**
 * An integer from an int attribute or a decimal string (Envoy's access-log attributes are strings). Returns the
 * value itself when it is not one, so validation names the field with what was sent.
 */
export function asInt(v: AttrValue | undefined): number | AttrValue | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const s = asString(v);
  if (s !== undefined && /^\d{1,15}$/.test(s.trim())) return Number(s.trim());
  return v;
}

/** A non-negative number from a number or a numeric string; undefined otherwise (optional fields are dropped). */
export function asNumber(v: AttrValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const s = asString(v);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** `1.1` (network.protocol.version / http.flavor) → `HTTP/1.1`; a value already naming its protocol is kept. */
export function protocolOf(v: AttrValue | undefined): string | undefined {
  const s = asString(v);
  if (s === undefined) return undefined;
  return /^\d/.test(s) ? `HTTP/${s}` : s;
}

/**
 * A client address as an IP: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what Node and Java servers report on a dual-stack
 * socket) becomes IPv4, brackets and a port (`[::1]:443`, `1.2.3.4:5678`) are dropped. Linear, no regex.
 */
export function normalizeIp(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close > 0) s = s.slice(1, close);
  } else {
    const colon = s.indexOf(':');
    if (colon > 0 && colon === s.lastIndexOf(':') && s.indexOf('.') > 0 && s.indexOf('.') < colon)
      s = s.slice(0, colon);
  }
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === '::ffff:' && s.indexOf('.') > 0) s = s.slice(7);
  return s;
}

/** A host without its port (`api.example.com:8443` → `api.example.com`, `[::1]:80` → `::1`). */
export function hostWithoutPort(raw: string): string {
  const s = raw.trim();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    return close > 0 ? s.slice(1, close) : s;
  }
  const colon = s.indexOf(':');
  return colon > 0 && colon === s.lastIndexOf(':') ? s.slice(0, colon) : s;
}

/** Path (with query) and host of a full URL attribute; undefined parts when it does not parse. */
export function splitUrl(v: AttrValue | undefined): { path?: string; host?: string } {
  const s = asString(v);
  if (s === undefined || s.length > LIMITS.path * 2) return {};
  try {
    const u = new URL(s);
    return { path: `${u.pathname}${u.search}`, host: u.hostname.replace(/^\[|\]$/g, '') };
  } catch {
    return {};
  }
}

/** Captured headers, as `/v1/requests` identifiers take them (names lower-case; values never stored). */
export interface CapturedHeaders {
  headers?: Record<string, string>;
  response?: Record<string, string>;
}

/**
 * Collects `http.request.header.*` and `http.response.header.*` into identifier maps. Array values are joined as
 * HTTP joins repeated headers (`; ` for cookies, `, ` otherwise). Older SDKs wrote `-` as `_` in the name
 * (`x_session_id`): such a name is also filed under its dashed form, so header rules match either. Values longer
 * than an identifier may be are dropped (the request is still recorded, keyed by what else it carries), and at
 * most LIMITS.identifierEntries names are kept per map.
 */
export function capturedHeaders(sources: AttrMap[]): CapturedHeaders {
  const request = new HeaderMap();
  const response = new HeaderMap();
  for (const attrs of sources)
    for (const key of Object.keys(attrs)) {
      const isRequest = key.startsWith(REQUEST_HEADER_PREFIX);
      if (!isRequest && !key.startsWith(RESPONSE_HEADER_PREFIX)) continue;
      const name = key.slice(isRequest ? REQUEST_HEADER_PREFIX.length : RESPONSE_HEADER_PREFIX.length).toLowerCase();
      const value = headerValue(attrs[key], name === 'cookie' ? '; ' : ', ');
      if (name === '' || value === undefined || value.length > LIMITS.identifierValue) continue;
      const map = isRequest ? request : response;
      map.add(name, value);
      if (name.includes('_')) map.add(name.replaceAll('_', '-'), value);
    }
  const out: CapturedHeaders = {};
  if (request.size > 0) out.headers = request.values;
  if (response.size > 0) out.response = response.values;
  return out;
}

const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Header name → value, first value wins, at most LIMITS.identifierEntries names. */
class HeaderMap {
  readonly values: Record<string, string> = {};
  size = 0;
  add(name: string, value: string): void {
    if (this.size >= LIMITS.identifierEntries || UNSAFE_NAMES.has(name) || Object.hasOwn(this.values, name)) return;
    this.values[name] = value;
    this.size++;
  }
}

function headerValue(v: AttrValue, sep: string): string | undefined {
  if (Array.isArray(v)) {
    const parts = v.map(asString).filter((s): s is string => s !== undefined && s !== '');
    return parts.length > 0 ? parts.join(sep) : undefined;
  }
  const s = asString(v);
  return s === undefined || isBlank(s) ? undefined : s;
}
