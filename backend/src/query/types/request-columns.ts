/** Column sets built from stored request documents (pure): request table, trace spans, log lines. */
import { boolColumn, floatColumn, intColumn, jsonColumn, stringColumn, timeColumn, type Column } from '../frames';
import type { StoredRequest } from '../../storage/mappings';
import type { DataLink } from '../frames';

const dur = (d: StoredRequest) => (typeof d.duration_ms === 'number' ? d.duration_ms : 0);

/** True when a request is shown as an error: a 5xx answer or a detected attack. */
export function isErrorRequest(d: StoredRequest): boolean {
  return d.status >= 500 || d.attacked === true;
}

/**
 * One row per request: the table form of `timeline` and `requests`. `links` (by field name, backend/src/grafana.ts
 * `requestLinks`) become those fields' data links.
 */
export function requestTableColumns(docs: StoredRequest[], links: Record<string, DataLink[]> = {}): Column[] {
  const col = <T>(f: (d: StoredRequest) => T) => docs.map(f);
  const columns: Column[] = [
    timeColumn(
      'time',
      col((d) => d.ts),
    ),
    stringColumn(
      'id',
      col((d) => d.id),
    ),
    stringColumn(
      'session_id',
      col((d) => d.session?.key ?? null),
    ),
    stringColumn(
      'method',
      col((d) => d.method),
    ),
    stringColumn(
      'endpoint',
      col((d) => d.endpoint),
    ),
    stringColumn(
      'path',
      col((d) => d.path),
    ),
    intColumn(
      'status',
      col((d) => d.status),
    ),
    floatColumn(
      'duration_ms',
      col((d) => d.duration_ms ?? null),
      { config: { unit: 'ms' } },
    ),
    stringColumn(
      'client_ip',
      col((d) => d.client_ip),
    ),
    stringColumn(
      'host',
      col((d) => d.host),
    ),
    stringColumn(
      'app',
      col((d) => d.app ?? null),
    ),
    stringColumn(
      'user',
      col((d) => d.user ?? null),
    ),
    stringColumn(
      'role',
      col((d) => d.role ?? null),
    ),
    stringColumn(
      'attack_types',
      col((d) => (d.attack_types ?? []).join(', ')),
    ),
    boolColumn(
      'blocked',
      col((d) => d.blocked === true),
    ),
    stringColumn(
      'bot',
      col((d) => d.bot?.type ?? null),
    ),
    intColumn(
      'request_bytes',
      col((d) => d.request_bytes ?? null),
      { config: { unit: 'bytes' } },
    ),
    intColumn(
      'response_bytes',
      col((d) => d.response_bytes ?? null),
      { config: { unit: 'bytes' } },
    ),
    stringColumn(
      'user_agent',
      col((d) => d.user_agent ?? null),
    ),
  ];
  return columns.map((c) => {
    const fieldLinks = links[c.field.name];
    return fieldLinks ? { ...c, field: { ...c.field, config: { ...c.field.config, links: fieldLinks } } } : c;
  });
}

type KeyValue = { key: string; value: unknown };

function spanTags(d: StoredRequest): KeyValue[] {
  const tags: KeyValue[] = [
    { key: 'status', value: d.status },
    { key: 'path', value: d.path },
    { key: 'client_ip', value: d.client_ip },
    { key: 'blocked', value: d.blocked === true },
  ];
  if (d.attack_types?.length) tags.push({ key: 'attack_types', value: d.attack_types.join(', ') });
  if (d.bot) tags.push({ key: 'bot', value: d.bot.type });
  if (d.request_bytes !== undefined) tags.push({ key: 'request_bytes', value: d.request_bytes });
  if (d.response_bytes !== undefined) tags.push({ key: 'response_bytes', value: d.response_bytes });
  if (d.user) tags.push({ key: 'user', value: d.user });
  if (isErrorRequest(d)) tags.push({ key: 'error', value: true });
  return tags;
}

function serviceTags(d: StoredRequest): KeyValue[] {
  const tags: KeyValue[] = [{ key: 'host', value: d.host }];
  if (d.app) tags.push({ key: 'app', value: d.app });
  if (d.node) tags.push({ key: 'node', value: d.node });
  return tags;
}

/** Span id of the session's root span (request ids are the child span ids). */
export function rootSpanId(sessionId: string): string {
  return `session-${sessionId.slice(0, 16)}`;
}

/**
 * Trace columns for Grafana's Traces panel: a root span for the session part, then one child span per request
 * named `METHOD endpoint`, duration = response time, 5xx and attacks marked as errors (statusCode 2).
 * @example traceColumns('k', [doc], {first: 1000, last: 1000}) → rows: root 'session k', child 'GET /users/{int}'
 */
export function traceColumns(
  sessionId: string,
  docs: StoredRequest[],
  bounds: { first: number | null; last: number | null },
): Column[] {
  const first = bounds.first ?? docs[0]?.ts ?? 0;
  const lastEnd = Math.max(bounds.last ?? first, ...docs.map((d) => d.ts + dur(d)));
  const rootId = rootSpanId(sessionId);
  const attacked = docs.some(isErrorRequest);
  const root = {
    spanID: rootId,
    parentSpanID: '',
    operationName: `session ${sessionId.slice(0, 12)}`,
    serviceName: docs[0]?.app ?? docs[0]?.host ?? 'api-sessions',
    startTime: first,
    duration: Math.max(0, lastEnd - first),
    tags: [{ key: 'requests_on_page', value: docs.length }] as KeyValue[],
    serviceTags: docs[0] ? serviceTags(docs[0]) : [],
    statusCode: attacked ? 2 : 0,
  };
  const rows = [
    root,
    ...docs.map((d) => ({
      spanID: d.id,
      parentSpanID: rootId,
      operationName: `${d.method} ${d.endpoint}`,
      serviceName: d.app ?? d.host,
      startTime: d.ts,
      duration: dur(d),
      tags: spanTags(d),
      serviceTags: serviceTags(d),
      statusCode: isErrorRequest(d) ? 2 : 0,
    })),
  ];
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  return [
    stringColumn(
      'traceID',
      col(() => sessionId),
    ),
    stringColumn(
      'spanID',
      col((r) => r.spanID),
    ),
    stringColumn(
      'parentSpanID',
      col((r) => r.parentSpanID),
    ),
    stringColumn(
      'operationName',
      col((r) => r.operationName),
    ),
    stringColumn(
      'serviceName',
      col((r) => r.serviceName),
    ),
    floatColumn(
      'startTime',
      col((r) => r.startTime),
    ),
    floatColumn(
      'duration',
      col((r) => r.duration),
      { config: { unit: 'ms' } },
    ),
    jsonColumn(
      'tags',
      col((r) => r.tags),
    ),
    jsonColumn(
      'serviceTags',
      col((r) => r.serviceTags),
    ),
    intColumn(
      'statusCode',
      col((r) => r.statusCode),
    ),
  ];
}

/** Severity of a log line: error for 5xx/attacks, warning for 4xx, info otherwise. */
export function severityOf(d: StoredRequest): 'error' | 'warning' | 'info' {
  if (isErrorRequest(d)) return 'error';
  return d.status >= 400 ? 'warning' : 'info';
}

/**
 * Log-line columns for Grafana's Logs panel (`timestamp`, `body`, `severity`, `id`, `labels`).
 * @example logColumns([doc]) → body 'GET /a 200 12ms 10.0.0.1 session=ab12…'
 */
export function logColumns(docs: StoredRequest[]): Column[] {
  const body = (d: StoredRequest) => {
    const attacks = d.attack_types?.length ? ` attacks=${d.attack_types.join(',')}` : '';
    const ms = d.duration_ms !== undefined ? ` ${d.duration_ms}ms` : '';
    return `${d.method} ${d.path} ${d.status}${ms} ${d.client_ip} session=${d.session?.key?.slice(0, 12) ?? ''}${attacks}`;
  };
  const labels = (d: StoredRequest) => {
    const l: Record<string, string> = {
      host: d.host,
      method: d.method,
      endpoint: d.endpoint,
      status: String(d.status),
    };
    if (d.session?.key) l.session_id = d.session.key;
    if (d.user) l.user = d.user;
    if (d.app) l.app = d.app;
    return l;
  };
  return [
    timeColumn(
      'timestamp',
      docs.map((d) => d.ts),
    ),
    stringColumn('body', docs.map(body)),
    stringColumn('severity', docs.map(severityOf)),
    stringColumn(
      'id',
      docs.map((d) => d.id),
    ),
    jsonColumn('labels', docs.map(labels)),
  ];
}
