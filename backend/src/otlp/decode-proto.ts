/**
 * Binary protobuf decoding of `ExportTraceServiceRequest` and `ExportLogsServiceRequest` (opentelemetry-proto,
 * vendored in `proto/` for reference; field numbers below are from those files). Reads only the fields a request
 * record needs and skips the rest (events, links, scopes, status, unknown fields) without allocating.
 */
import { WIRE, WireReader } from './wire';
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

const TWO_32 = 4294967296;

/**
 * Where the decoder is (for the error message of a malformed export, built only when one is thrown) and how many
 * items it has read across the export (more than the limit throws).
 */
class Cursor {
  resource = -1;
  scope = -1;
  item = -1;
  private n = 0;
  constructor(
    private readonly names: readonly [string, string, string],
    private readonly max: number,
  ) {}
  take(): void {
    if (++this.n > this.max) throw new OtlpTooManyItemsError(this.max);
  }
  path(): string {
    const [res, scope, item] = this.names;
    let p = this.resource < 0 ? '(body)' : `${res}[${this.resource}]`;
    if (this.resource >= 0 && this.scope >= 0) p += `.${scope}[${this.scope}]`;
    if (this.scope >= 0 && this.item >= 0) p += `.${item}[${this.item}]`;
    return p;
  }
}

const TRACE_NAMES = ['resourceSpans', 'scopeSpans', 'spans'] as const;
const LOG_NAMES = ['resourceLogs', 'scopeLogs', 'logRecords'] as const;

/**
 * Decodes an `ExportTraceServiceRequest`. Throws OtlpDecodeError (malformed) or OtlpTooManyItemsError.
 * @example decodeTracesProto(body, opts) → [{ index: 0, resource: {'service.name': 'shop'}, items: [span, …] }]
 */
export function decodeTracesProto(buf: Buffer, opts: DecodeOptions): ResourceGroup<OtlpSpan>[] {
  const at = new Cursor(TRACE_NAMES, opts.limits.maxItems);
  return decodeExport(buf, opts, at, (r, group) => {
    // ScopeSpans: 2 = spans
    while (r.more()) {
      const { field, wire } = r.tag();
      if (field === 2 && wire === WIRE.LEN) {
        at.item++;
        at.take();
        group.items.push(readSpan(r.sub(), opts, at.scope, at.item));
      } else r.skip(wire);
    }
  });
}

/** Decodes an `ExportLogsServiceRequest`. Throws OtlpDecodeError (malformed) or OtlpTooManyItemsError. */
export function decodeLogsProto(buf: Buffer, opts: DecodeOptions): ResourceGroup<OtlpLogRecord>[] {
  const at = new Cursor(LOG_NAMES, opts.limits.maxItems);
  return decodeExport(buf, opts, at, (r, group) => {
    // ScopeLogs: 2 = log_records
    while (r.more()) {
      const { field, wire } = r.tag();
      if (field === 2 && wire === WIRE.LEN) {
        at.item++;
        at.take();
        group.items.push(readLogRecord(r.sub(), opts, at.scope, at.item));
      } else r.skip(wire);
    }
  });
}

/** The shared outer layers: request (1 = resource_*) → Resource* (1 = resource, 2 = scope_*) → the scope reader. */
function decodeExport<T>(
  buf: Buffer,
  opts: DecodeOptions,
  at: Cursor,
  readScope: (r: WireReader, group: ResourceGroup<T>) => void,
): ResourceGroup<T>[] {
  const top = new WireReader(buf);
  const groups: ResourceGroup<T>[] = [];
  try {
    while (top.more()) {
      const { field, wire } = top.tag();
      if (field !== 1 || wire !== WIRE.LEN) {
        top.skip(wire);
        continue;
      }
      at.resource = groups.length;
      at.scope = -1;
      const r = top.sub();
      const group: ResourceGroup<T> = { index: at.resource, resource: newAttrMap(), items: [] };
      while (r.more()) {
        const t = r.tag();
        if (t.field === 1 && t.wire === WIRE.LEN) readResource(r.sub(), opts, group.resource);
        else if (t.field === 2 && t.wire === WIRE.LEN) {
          at.scope++;
          at.item = -1;
          readScope(r.sub(), group);
        } else r.skip(t.wire);
      }
      groups.push(group);
    }
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new OtlpDecodeError(at.path(), err.message);
    throw err;
  }
  return groups;
}

/** Resource: 1 = attributes. */
function readResource(r: WireReader, opts: DecodeOptions, into: AttrMap): void {
  let n = 0;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN && n++ < opts.limits.maxAttrs) readKeyValue(r, opts.resourceAttrs, into, opts);
    else r.skip(wire);
  }
}

/** Span: 1 trace_id, 2 span_id, 6 kind, 7 start, 8 end, 9 attributes. */
function readSpan(r: WireReader, opts: DecodeOptions, scope: number, index: number): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    kind: 0,
    startNs: 0,
    durationNs: undefined,
    attrs: newAttrMap(),
    scope,
    index,
  };
  let start: { lo: number; hi: number } | undefined;
  let end: { lo: number; hi: number } | undefined;
  let n = 0;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN) span.traceId = r.hex();
    else if (field === 2 && wire === WIRE.LEN) span.spanId = r.hex();
    else if (field === 6 && wire === WIRE.VARINT) span.kind = r.varint();
    else if (field === 7 && wire === WIRE.I64) start = r.fixed64Parts();
    else if (field === 8 && wire === WIRE.I64) end = r.fixed64Parts();
    else if (field === 9 && wire === WIRE.LEN && n++ < opts.limits.maxAttrs)
      readKeyValue(r, opts.attrs, span.attrs, opts);
    else r.skip(wire);
  }
  if (start) span.startNs = start.hi * TWO_32 + start.lo;
  // The difference of the halves is exact, unlike the difference of two rounded 64-bit numbers.
  if (start && end && (start.hi !== 0 || start.lo !== 0) && (end.hi !== 0 || end.lo !== 0))
    span.durationNs = (end.hi - start.hi) * TWO_32 + (end.lo - start.lo);
  return span;
}

/** LogRecord: 1 time, 11 observed time, 5 body, 6 attributes, 9 trace_id, 10 span_id. */
function readLogRecord(r: WireReader, opts: DecodeOptions, scope: number, index: number): OtlpLogRecord {
  const rec: OtlpLogRecord = {
    timeNs: 0,
    observedNs: 0,
    traceId: '',
    spanId: '',
    body: undefined,
    attrs: newAttrMap(),
    scope,
    index,
  };
  let n = 0;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.I64) rec.timeNs = r.fixed64();
    else if (field === 11 && wire === WIRE.I64) rec.observedNs = r.fixed64();
    else if (field === 9 && wire === WIRE.LEN) rec.traceId = r.hex();
    else if (field === 10 && wire === WIRE.LEN) rec.spanId = r.hex();
    else if (field === 6 && wire === WIRE.LEN && n++ < opts.limits.maxAttrs)
      readKeyValue(r, opts.attrs, rec.attrs, opts);
    else if (field === 5 && wire === WIRE.LEN) {
      // Only a key-value list body is read (a structured access log); its keys go through the same filter.
      const body = readAnyValue(r.sub(), opts, 0, opts.attrs);
      if (body !== undefined && typeof body === 'object' && !Array.isArray(body)) rec.body = body;
    } else r.skip(wire);
  }
  return rec;
}

/** KeyValue: 1 key, 2 value. The value is decoded only when the key passes the filter (either field order). */
function readKeyValue(parent: WireReader, filter: AttrFilter, into: AttrMap, opts: DecodeOptions, depth = 0): void {
  const r = parent.sub();
  let key: string | undefined;
  let value: { start: number; end: number } | undefined;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN) key = r.string();
    else if (field === 2 && wire === WIRE.LEN) value = r.span();
    else r.skip(wire);
  }
  if (key === undefined || key === '' || !value || !filter(key)) return;
  const v = readAnyValue(new WireReader(r.buf, value.start, value.end), opts, depth);
  if (v !== undefined) into[key] = v;
}

const KEEP_ALL: AttrFilter = () => true;

/**
 * AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 array, 6 kvlist (7 bytes and 8 strindex are skipped).
 * Nested arrays and lists deeper than `maxDepth` come out undefined. `kvFilter` applies to a top-level list only.
 */
function readAnyValue(
  r: WireReader,
  opts: DecodeOptions,
  depth: number,
  kvFilter: AttrFilter = KEEP_ALL,
): AttrValue | undefined {
  let out: AttrValue | undefined;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN) out = r.string();
    else if (field === 2 && wire === WIRE.VARINT) out = r.varint() !== 0;
    else if (field === 3 && wire === WIRE.VARINT) out = r.int64();
    else if (field === 4 && wire === WIRE.I64) out = r.double();
    else if ((field === 5 || field === 6) && wire === WIRE.LEN) {
      const sub = r.sub();
      out =
        depth >= opts.limits.maxDepth
          ? undefined
          : field === 5
            ? readArray(sub, opts, depth + 1)
            : readKvList(sub, opts, depth + 1, kvFilter);
    } else r.skip(wire);
  }
  return out;
}

/** ArrayValue: 1 = values (AnyValue). */
function readArray(r: WireReader, opts: DecodeOptions, depth: number): AttrValue[] {
  const out: AttrValue[] = [];
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN && out.length < opts.limits.maxAttrs) {
      const v = readAnyValue(r.sub(), opts, depth);
      if (v !== undefined) out.push(v);
    } else r.skip(wire);
  }
  return out;
}

/** KeyValueList: 1 = values (KeyValue). */
function readKvList(r: WireReader, opts: DecodeOptions, depth: number, filter: AttrFilter): AttrMap {
  const out = newAttrMap();
  let n = 0;
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE.LEN && n++ < opts.limits.maxAttrs) readKeyValue(r, filter, out, opts, depth);
    else r.skip(wire);
  }
  return out;
}
