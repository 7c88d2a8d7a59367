/**
 * HTTP access-log records → request records (pure). A log record is an access log when its attributes (or its
 * key-value body) carry an HTTP method and a request path under the semantic-convention names of
 * `attributes.ts`, as Envoy's OpenTelemetry access logger does when configured as in
 * docs/integrations/opentelemetry.md. Other log records (application logs) are ignored, not rejected.
 */
import { createHash } from 'node:crypto';
import { asNumber, DURATION_ATTRIBUTES, pick } from './attributes';
import { buildRecord, hasHttpMethod, hasRequestTarget } from './record';
import { nsToMs, type AttrMap, type MappedExport, type OtlpLogRecord, type ResourceGroup } from './model';

/** The attribute sources of a log record: attributes first, then a key-value body. */
function sourcesOf(rec: OtlpLogRecord): AttrMap[] {
  return rec.body ? [rec.attrs, rec.body] : [rec.attrs];
}

/** True when the log record describes an HTTP request. */
export function isAccessLog(rec: OtlpLogRecord): boolean {
  const sources = sourcesOf(rec);
  return hasHttpMethod(sources) && hasRequestTarget(sources);
}

/**
 * Maps one decoded logs export. `ts` = the record's time (Envoy sets the request start), else its observed time;
 * `duration_ms` from `duration_ms` (ms) or `http.server.request.duration` (s). The id is a hash of the record's
 * times, ids and fields, so a resent export is stored once.
 */
export function mapLogs(groups: ResourceGroup<OtlpLogRecord>[]): MappedExport {
  const out: MappedExport = { items: [], origins: [], ignored: 0, total: 0 };
  for (const g of groups)
    for (const rec of g.items) {
      out.total++;
      if (!isAccessLog(rec)) {
        out.ignored++;
        continue;
      }
      const sources = sourcesOf(rec);
      const record = buildRecord(sources, g.resource);
      const timeNs = rec.timeNs > 0 ? rec.timeNs : rec.observedNs;
      if (timeNs > 0) record.ts = nsToMs(timeNs);
      const ms = asNumber(pick(sources, [DURATION_ATTRIBUTES.ms]));
      const seconds = asNumber(pick(sources, [DURATION_ATTRIBUTES.seconds]));
      if (ms !== undefined) record.duration_ms = ms;
      else if (seconds !== undefined) record.duration_ms = Math.round(seconds * 1e6) / 1e3;
      record.id = logRecordId(rec, record);
      out.origins.push({
        path: `resourceLogs[${g.index}].scopeLogs[${rec.scope}].logRecords[${rec.index}]`,
        ref: timeNs > 0 ? `log record at ${new Date(nsToMs(timeNs)).toISOString()}` : 'log record',
      });
      out.items.push({ index: out.items.length, value: record });
    }
  return out;
}

/** `log-` + 40 hex of SHA-256 over the nanosecond times, trace/span ids and the mapped fields. */
function logRecordId(rec: OtlpLogRecord, record: Record<string, unknown>): string {
  const h = createHash('sha256');
  h.update(`${rec.timeNs}|${rec.observedNs}|${rec.traceId}|${rec.spanId}|`);
  h.update(JSON.stringify(record));
  return `log-${h.digest('hex').slice(0, 40)}`;
}
