/**
 * OTLP/JSON decoding (the protobuf JSON mapping with OTLP's deviations: lowerCamelCase keys, trace and span ids as
 * hex, enums as integers, 64-bit integers as decimal strings or numbers). Unknown keys are ignored, as the spec
 * requires. We also accept the original snake_case names and enum names, as protobuf JSON parsers do: being
 * lenient here costs nothing and helps hand-written senders. Produces the same model as `decode-proto.ts`.
 */
import { safeJsonParse } from '../ingest/body';
import {
  newAttrMap,
  OtlpDecodeError,
  OtlpTooManyItemsError,
  type AttrFilter,
  type AttrMap,
  type AttrValue,
  type DecodeOptions,
  type OtlpLogRecord,
  type OtlpSpan,
  type ResourceGroup,
} from './model';

type Obj = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

/** Parses the body as JSON; throws OtlpDecodeError for invalid UTF-8 or JSON, or a non-object root. */
function parseRoot(buf: Buffer): Obj {
  let value: unknown;
  try {
    value = safeJsonParse(utf8.decode(buf));
  } catch (err) {
    throw new OtlpDecodeError('(body)', `not valid UTF-8 JSON (${(err as Error).message.slice(0, 120)})`);
  }
  if (!isObj(value)) throw new OtlpDecodeError('(body)', 'must be a JSON object');
  return value;
}

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest`. Throws OtlpDecodeError (malformed) or OtlpTooManyItemsError.
 * @example decodeTracesJson(Buffer.from('{"resourceSpans":[]}'), opts) → []
 */
export function decodeTracesJson(buf: Buffer, opts: DecodeOptions): ResourceGroup<OtlpSpan>[] {
  const root = parseRoot(buf);
  let count = 0;
  return groupsOf(
    root,
    ['resourceSpans', 'resource_spans'],
    ['scopeSpans', 'scope_spans'],
    ['spans'],
    opts,
    (o, where, scope, index) => {
      if (++count > opts.limits.maxItems) throw new OtlpTooManyItemsError(opts.limits.maxItems);
      return readSpan(o, where, opts, scope, index);
    },
  );
}

/** Decodes an OTLP/JSON `ExportLogsServiceRequest`. Throws OtlpDecodeError (malformed) or OtlpTooManyItemsError. */
export function decodeLogsJson(buf: Buffer, opts: DecodeOptions): ResourceGroup<OtlpLogRecord>[] {
  const root = parseRoot(buf);
  let count = 0;
  return groupsOf(
    root,
    ['resourceLogs', 'resource_logs'],
    ['scopeLogs', 'scope_logs'],
    ['logRecords', 'log_records'],
    opts,
    (o, where, scope, index) => {
      if (++count > opts.limits.maxItems) throw new OtlpTooManyItemsError(opts.limits.maxItems);
      return readLogRecord(o, where, opts, scope, index);
    },
  );
}

/** Walks resource → scope → item arrays, checking each level's shape. */
function groupsOf<T>(
  root: Obj,
  resourceKeys: string[],
  scopeKeys: string[],
  itemKeys: string[],
  opts: DecodeOptions,
  readItem: (o: Obj, where: string, scope: number, index: number) => T,
): ResourceGroup<T>[] {
  const resources = arrayAt(root, resourceKeys, '(body)');
  return resources.map((res, r) => {
    const rw = `${resourceKeys[0]}[${r}]`;
    const ro = objAt(res, rw);
    const resource = newAttrMap();
    const resAttrs =
      ro.resource === undefined || ro.resource === null ? undefined : objAt(ro.resource, `${rw}.resource`);
    if (resAttrs) readAttributes(resAttrs.attributes, `${rw}.resource.attributes`, opts.resourceAttrs, resource, opts);
    const items: T[] = [];
    arrayAt(ro, scopeKeys, rw).forEach((sc, s) => {
      const sw = `${rw}.${scopeKeys[0]}[${s}]`;
      arrayAt(objAt(sc, sw), itemKeys, sw).forEach((it, i) => {
        const iw = `${sw}.${itemKeys[0]}[${i}]`;
        items.push(readItem(objAt(it, iw), iw, s, i));
      });
    });
    return { index: r, resource, items };
  });
}

function readSpan(o: Obj, where: string, opts: DecodeOptions, scope: number, index: number): OtlpSpan {
  const attrs = newAttrMap();
  readAttributes(o.attributes, `${where}.attributes`, opts.attrs, attrs, opts);
  const start = nanos(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), `${where}.startTimeUnixNano`);
  const end = nanos(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), `${where}.endTimeUnixNano`);
  return {
    traceId: hexId(field(o, 'traceId', 'trace_id'), `${where}.traceId`),
    spanId: hexId(field(o, 'spanId', 'span_id'), `${where}.spanId`),
    kind: spanKind(o.kind, `${where}.kind`),
    startNs: start === undefined ? 0 : Number(start),
    durationNs: start !== undefined && end !== undefined && start > 0n && end > 0n ? Number(end - start) : undefined,
    attrs,
    scope,
    index,
  };
}

function readLogRecord(o: Obj, where: string, opts: DecodeOptions, scope: number, index: number): OtlpLogRecord {
  const attrs = newAttrMap();
  readAttributes(o.attributes, `${where}.attributes`, opts.attrs, attrs, opts);
  const body =
    o.body === undefined || o.body === null ? undefined : anyValue(o.body, `${where}.body`, opts, 0, opts.attrs);
  const time = nanos(field(o, 'timeUnixNano', 'time_unix_nano'), `${where}.timeUnixNano`);
  const observed = nanos(field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), `${where}.observedTimeUnixNano`);
  return {
    timeNs: time === undefined ? 0 : Number(time),
    observedNs: observed === undefined ? 0 : Number(observed),
    traceId: hexId(field(o, 'traceId', 'trace_id'), `${where}.traceId`),
    spanId: hexId(field(o, 'spanId', 'span_id'), `${where}.spanId`),
    body: body !== undefined && typeof body === 'object' && !Array.isArray(body) ? body : undefined,
    attrs,
    scope,
    index,
  };
}

/** `attributes: [{key, value}]` into `into`, keeping keys that pass `filter` (at most maxAttrs entries read). */
function readAttributes(
  v: unknown,
  where: string,
  filter: AttrFilter,
  into: AttrMap,
  opts: DecodeOptions,
  depth = 0,
): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw new OtlpDecodeError(where, 'must be an array of {key, value}');
  const n = Math.min(v.length, opts.limits.maxAttrs);
  for (let i = 0; i < n; i++) {
    const kv = objAt(v[i], `${where}[${i}]`);
    if (typeof kv.key !== 'string' || kv.key === '' || !filter(kv.key)) continue;
    if (kv.value === undefined || kv.value === null) continue;
    const value = anyValue(kv.value, `${where}[${i}].value`, opts, depth);
    if (value !== undefined) into[kv.key] = value;
  }
}

const KEEP_ALL: AttrFilter = () => true;

/** AnyValue `{stringValue | boolValue | intValue | doubleValue | arrayValue | kvlistValue | bytesValue}`. */
function anyValue(
  v: unknown,
  where: string,
  opts: DecodeOptions,
  depth: number,
  kvFilter: AttrFilter = KEEP_ALL,
): AttrValue | undefined {
  const o = objAt(v, where);
  const s = field(o, 'stringValue', 'string_value');
  if (s !== undefined && s !== null) {
    if (typeof s !== 'string') throw new OtlpDecodeError(where, 'stringValue must be a string');
    return s;
  }
  const b = field(o, 'boolValue', 'bool_value');
  if (b !== undefined && b !== null) {
    if (typeof b !== 'boolean') throw new OtlpDecodeError(where, 'boolValue must be true or false');
    return b;
  }
  const i = field(o, 'intValue', 'int_value');
  if (i !== undefined && i !== null) return int64(i, `${where}.intValue`);
  const d = field(o, 'doubleValue', 'double_value');
  if (d !== undefined && d !== null) return double(d, `${where}.doubleValue`);
  const arr = field(o, 'arrayValue', 'array_value');
  if (arr !== undefined && arr !== null) {
    if (depth >= opts.limits.maxDepth) return undefined;
    const values = objAt(arr, `${where}.arrayValue`).values;
    if (values === undefined || values === null) return [];
    if (!Array.isArray(values)) throw new OtlpDecodeError(`${where}.arrayValue.values`, 'must be an array');
    const out: AttrValue[] = [];
    for (let k = 0; k < Math.min(values.length, opts.limits.maxAttrs); k++) {
      const item = anyValue(values[k], `${where}.arrayValue.values[${k}]`, opts, depth + 1);
      if (item !== undefined) out.push(item);
    }
    return out;
  }
  const kvl = field(o, 'kvlistValue', 'kvlist_value');
  if (kvl !== undefined && kvl !== null) {
    if (depth >= opts.limits.maxDepth) return undefined;
    const out = newAttrMap();
    readAttributes(
      objAt(kvl, `${where}.kvlistValue`).values,
      `${where}.kvlistValue.values`,
      kvFilter,
      out,
      opts,
      depth + 1,
    );
    return out;
  }
  return undefined; // empty AnyValue or bytesValue: nothing we use
}

function field(o: Obj, camel: string, snake: string): unknown {
  return o[camel] !== undefined ? o[camel] : o[snake];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objAt(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new OtlpDecodeError(where, 'must be an object');
  return v;
}

function arrayAt(o: Obj, keys: string[], where: string): unknown[] {
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw new OtlpDecodeError(`${where}.${k}`, 'must be an array');
    return v;
  }
  return [];
}

const DIGITS = /^-?\d{1,20}$/;

/** int64 as a decimal string or a number. */
function int64(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && DIGITS.test(v)) return Number(v);
  throw new OtlpDecodeError(where, 'must be an integer (a number or a decimal string)');
}

/** double as a number, or the JSON mapping's strings ("NaN", "Infinity", or a numeric string). */
function double(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new OtlpDecodeError(where, 'must be a number');
}

/** fixed64 Unix nanoseconds as a decimal string or a number; undefined when absent or 0. */
function nanos(v: unknown, where: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  let n: bigint;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) n = BigInt(v);
  else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) n = BigInt(v);
  else throw new OtlpDecodeError(where, 'must be Unix nanoseconds (a decimal string or a number)');
  return n === 0n ? undefined : n;
}

const HEX = /^[0-9a-fA-F]*$/;

/** A hex-encoded id (case-insensitive), returned lower-case; empty when absent. */
function hexId(v: unknown, where: string): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || v.length % 2 !== 0 || v.length > 64 || !HEX.test(v))
    throw new OtlpDecodeError(where, 'must be a hex string (OTLP/JSON encodes ids as hex, not base64)');
  return v.toLowerCase();
}

function spanKind(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && Object.hasOwn(SPAN_KINDS, v)) return SPAN_KINDS[v];
  throw new OtlpDecodeError(where, 'must be an integer SpanKind (2 = SERVER)');
}
