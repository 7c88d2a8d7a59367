/**
 * Parser for nginx access logs written with the `api_sessions` JSON `log_format` documented in
 * docs/integrations/nginx.md (keys are the nginx variable names, every value a JSON string, `escape=json`):
 *
 *   {"msec":"1732779322.123","request_id":"…","host":"api.example.com","hostname":"edge-1",
 *    "remote_addr":"203.0.113.7","remote_user":"","request_method":"GET","request_uri":"/a?b=1",
 *    "server_protocol":"HTTP/1.1","status":"200","request_length":"312","bytes_sent":"1024",
 *    "request_time":"0.005","http_user_agent":"curl/8.5.0",
 *    "headers":{"authorization":"…","x-session-id":"…","x-api-key":"…"},
 *    "cookies":{"PHPSESSID":"…","JSESSIONID":"…","session":"…","sid":"…"}}
 *
 * Numbers may also be written unquoted; `time_iso8601` may replace `msec`, `body_bytes_sent` may replace
 * `bytes_sent`; an `app` key is passed through.
 */
import { clientIp } from './ip';
import { fail, parseJsonObjectLine, type ImportRecord, type ParseResult } from './record';

type Json = Record<string, unknown>;

/** Maps a record field to the nginx key(s) it is read from, in order of preference. */
export const NGINX_JSON_KEYS = {
  ts: ['msec', 'time_iso8601'],
  id: ['request_id'],
  host: ['host'],
  node: ['hostname'],
  app: ['app'],
  client_ip: ['remote_addr'],
  user: ['remote_user'],
  method: ['request_method'],
  path: ['request_uri'],
  protocol: ['server_protocol'],
  status: ['status'],
  request_bytes: ['request_length'],
  response_bytes: ['bytes_sent', 'body_bytes_sent'],
  duration_ms: ['request_time'],
  user_agent: ['http_user_agent'],
} as const;

/**
 * Parses one JSON log line into a record. `request_time` (seconds) becomes `duration_ms`; `headers` and
 * `cookies` objects become `identifiers` (empty values, i.e. absent headers/cookies, are dropped). Never throws;
 * `reason` names keys, never values.
 */
export function parseNginxJson(line: string): ParseResult {
  const parsed = parseJsonObjectLine(line);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const o = doc as Json;
  const pick = (keys: readonly string[]) => {
    for (const k of keys) {
      const v = text(o[k]);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const ts = parseTime(pick(NGINX_JSON_KEYS.ts));
  if (ts === undefined) return fail('msec (or time_iso8601) missing or not a time');
  const ip = clientIp(pick(NGINX_JSON_KEYS.client_ip) ?? '');
  if (!ip) return fail('remote_addr missing or not an IPv4/IPv6 address');
  const method = pick(NGINX_JSON_KEYS.method);
  if (!method) return fail('request_method missing');
  const path = pick(NGINX_JSON_KEYS.path);
  if (!path) return fail('request_uri missing');
  const status = toNumber(pick(NGINX_JSON_KEYS.status));
  if (status === undefined || !Number.isInteger(status) || status > 599) return fail('status missing or not 0–599');

  const record: ImportRecord = { ts, method, path, status, client_ip: ip };
  const strings = ['id', 'host', 'node', 'app', 'protocol', 'user_agent', 'user'] as const;
  for (const field of strings) {
    const v = pick(NGINX_JSON_KEYS[field]);
    if (v !== undefined && v !== '-') record[field] = v;
  }
  const requestBytes = toNumber(pick(NGINX_JSON_KEYS.request_bytes));
  if (requestBytes !== undefined) record.request_bytes = requestBytes;
  const responseBytes = toNumber(pick(NGINX_JSON_KEYS.response_bytes));
  if (responseBytes !== undefined) record.response_bytes = responseBytes;
  const seconds = toNumber(pick(NGINX_JSON_KEYS.duration_ms));
  if (seconds !== undefined) record.duration_ms = Math.round(seconds * 1e6) / 1e3;

  const headers = stringMap(o.headers);
  const cookies = stringMap(o.cookies);
  if (headers || cookies) record.identifiers = { ...(headers && { headers }), ...(cookies && { cookies }) };
  return { ok: true, record };
}

/** A non-empty string (numbers are stringified); undefined for "", null, objects. */
function text(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A finite number ≥ 0 from "123", "0.005" or 123; undefined for "-", "" or garbage. */
function toNumber(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** `$msec` (epoch seconds with a fraction) or `$time_iso8601` → epoch ms. */
function parseTime(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d{9,11}(\.\d{1,6})?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Keeps the non-empty string values of a JSON object (nginx writes "" for an absent header or cookie). */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) {
    if (k !== '__proto__' && typeof val === 'string' && val !== '' && val !== '-') out[k] = val;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
