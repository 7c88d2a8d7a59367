/**
 * OTLP/HTTP answers (pure): `Export{Trace,Logs}ServiceResponse` with `partial_success` on 200, and a
 * `google.rpc.Status` body for every 4xx/5xx, each in the encoding the request used (the spec requires the same
 * Content-Type in the answer), plus the human-readable `error_message` of a partial success.
 */
import type { RecordError } from '../ingest/records';
import { FIELD_ATTRIBUTES, REQUEST_HEADER_PREFIX, RESPONSE_HEADER_PREFIX, type MappedField } from './attributes';
import type { Origin } from './model';

/** The two encodings of OTLP/HTTP. */
export type OtlpEncoding = 'protobuf' | 'json';

/** Content-Type of each encoding. */
export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The signal of an export: names its `partial_success` counter. */
export type OtlpSignal = 'traces' | 'logs';

/** JSON name of the rejected counter (field 1 of both partial-success messages). */
const REJECTED_FIELD: Record<OtlpSignal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' };

/**
 * The success answer. Without rejections `partial_success` stays unset (the spec's full success); otherwise it
 * carries the rejected count (`rejected_spans` / `rejected_log_records`, both field 1) and the message (field 2).
 * @example encodeExportResponse('json', 'traces', 2, 'msg') → '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"msg"}}'
 */
export function encodeExportResponse(
  encoding: OtlpEncoding,
  signal: OtlpSignal,
  rejected: number,
  message: string,
): Buffer {
  const partial = rejected > 0 || message !== '';
  if (encoding === 'json') {
    if (!partial) return Buffer.from('{}');
    // int64 fields are decimal strings in the protobuf JSON mapping.
    const body = { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message };
    return Buffer.from(JSON.stringify({ partialSuccess: body }));
  }
  if (!partial) return Buffer.alloc(0);
  const inner = new ProtoWriter();
  if (rejected > 0) inner.varintField(1, rejected);
  if (message !== '') inner.stringField(2, message);
  const outer = new ProtoWriter();
  outer.bytesField(1, inner.finish());
  return outer.finish();
}

/** google.rpc.Code for an HTTP status (the spec says clients may only log it). */
function rpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 3; // INVALID_ARGUMENT
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 404) return 5; // NOT_FOUND
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}

/**
 * The failure body: a `google.rpc.Status` with `code` and `message`.
 * @example encodeStatus('json', 400, 'bad') → '{"code":3,"message":"bad"}'
 */
export function encodeStatus(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer {
  const code = rpcCode(httpStatus);
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const w = new ProtoWriter();
  w.varintField(1, code);
  w.stringField(2, message);
  return w.finish();
}

/** How many record problems the message spells out (the count covers all). */
const LISTED = 5;
/** Cap of the message (the spec asks servers to keep answers small). */
const MAX_MESSAGE = 2000;

/**
 * The `error_message` of a partial success: how many were rejected and why, for the first few, in the sender's
 * terms (where in the export, the span id, the attribute names the field is read from).
 * @example partialMessage('traces', 1, 3, [{index:0, field:'client_ip', message:'is required'}], origins)
 *   → '1 of 3 HTTP server spans rejected. resourceSpans[0].scopeSpans[0].spans[2] (span 00f0…): client_ip (from client.address, …): is required'
 */
export function partialMessage(
  signal: OtlpSignal,
  rejected: number,
  requests: number,
  errors: RecordError[],
  origins: Origin[],
): string {
  if (rejected === 0) return '';
  const noun = signal === 'traces' ? 'HTTP server spans' : 'HTTP access-log records';
  const seen = new Set<number>();
  const parts: string[] = [];
  for (const e of errors) {
    if (seen.has(e.index)) continue;
    seen.add(e.index);
    const o = origins[e.index];
    parts.push(`${o ? `${o.path} (${o.ref})` : `record ${e.index}`}: ${describeField(e.field)}: ${e.message}`);
    if (parts.length === LISTED) break;
  }
  const more = rejected > parts.length ? `; and ${rejected - parts.length} more` : '';
  const text = `${rejected} of ${requests} ${noun} rejected. ${parts.join('; ')}${more}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** A record field in OTLP terms: `client_ip (from client.address, http.client_ip, …)`. */
export function describeField(field: string): string {
  const top = field.split('.')[0];
  if (Object.hasOwn(FIELD_ATTRIBUTES, top)) return `${field} (from ${FIELD_ATTRIBUTES[top as MappedField].join(', ')})`;
  if (field === 'ts') return 'ts (from the start time / time_unix_nano)';
  if (field === 'duration_ms') return 'duration_ms (from the span times or the duration attribute)';
  if (field.startsWith('identifiers.headers.')) return `${REQUEST_HEADER_PREFIX}${field.slice(20)}`;
  if (field.startsWith('identifiers.response.')) return `${RESPONSE_HEADER_PREFIX}${field.slice(21)}`;
  if (field === 'app') return 'app (from the resource service.name)';
  if (field === 'node') return 'node (from the resource host.name)';
  return field;
}

/** Just enough of a protobuf writer for the answers: varint and length-delimited fields. */
class ProtoWriter {
  private readonly bytes: number[] = [];
  private readonly chunks: Buffer[] = [];

  varintField(field: number, value: number): void {
    this.varint(field * 8);
    this.varint(value);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  bytesField(field: number, value: Buffer): void {
    this.varint(field * 8 + 2);
    this.varint(value.length);
    this.flush();
    this.chunks.push(value);
  }

  finish(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }

  private varint(v: number): void {
    let n = v;
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
  }

  private flush(): void {
    if (this.bytes.length > 0) this.chunks.push(Buffer.from(this.bytes.splice(0)));
  }
}
