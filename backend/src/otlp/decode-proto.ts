/**
 * Binary protobuf decoding of `ExportTraceServiceRequest` and `ExportLogsServiceRequest` (opentelemetry-proto,
 * vendored in `proto/` for reference; field numbers below are from those files). Reads only the fields a request
 * record needs and skips the rest (events, links, scopes, status, unknown fields). Every message is read in place
 * (`end` = where it stops), so the only allocations are the values kept.
 */
import { KeyCache, WIRE, WireReader } from './wire';
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
const LEN = WIRE.LEN;

/** What the readers share during one decode: the options and a cache of the attribute keys seen. */
interface Ctx extends DecodeOptions {
  keys: KeyCache;
}

/** Tag values (`field << 3 | wire`) of the fields read. */
const TAG = {
  LEN_1: (1 << 3) | LEN,
  LEN_2: (2 << 3) | LEN,
  LEN_5: (5 << 3) | LEN,
  LEN_6: (6 << 3) | LEN,
  LEN_9: (9 << 3) | LEN,
  LEN_10: (10 << 3) | LEN,
  VARINT_2: 2 << 3,
  VARINT_3: 3 << 3,
  VARINT_6: 6 << 3,
  I64_1: (1 << 3) | WIRE.I64,
  I64_4: (4 << 3) | WIRE.I64,
  I64_7: (7 << 3) | WIRE.I64,
  I64_8: (8 << 3) | WIRE.I64,
  I64_11: (11 << 3) | WIRE.I64,
} as const;

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
  return decodeExport(buf, opts, at, (r, end, group, ctx) => {
    // ScopeSpans: 2 = spans
    while (r.pos < end) {
      const t = r.tag();
      if (t === TAG.LEN_2) {
        at.item++;
        at.take();
        group.items.push(readSpan(r, r.len(end), ctx, at.scope, at.item));
      } else r.skip(t & 7, end);
    }
  });
}

/** Decodes an `ExportLogsServiceRequest`. Throws OtlpDecodeError (malformed) or OtlpTooManyItemsError. */
export function decodeLogsProto(buf: Buffer, opts: DecodeOptions): ResourceGroup<OtlpLogRecord>[] {
  const at = new Cursor(LOG_NAMES, opts.limits.maxItems);
  return decodeExport(buf, opts, at, (r, end, group, ctx) => {
    // ScopeLogs: 2 = log_records
    while (r.pos < end) {
      const t = r.tag();
      if (t === TAG.LEN_2) {
        at.item++;
        at.take();
        group.items.push(readLogRecord(r, r.len(end), ctx, at.scope, at.item));
      } else r.skip(t & 7, end);
    }
  });
}

/** The shared outer layers: request (1 = resource_*) → Resource* (1 = resource, 2 = scope_*) → the scope reader. */
function decodeExport<T>(
  buf: Buffer,
  opts: DecodeOptions,
  at: Cursor,
  readScope: (r: WireReader, end: number, group: ResourceGroup<T>, ctx: Ctx) => void,
): ResourceGroup<T>[] {
  const r = new WireReader(buf);
  const ctx: Ctx = { ...opts, keys: new KeyCache() };
  const groups: ResourceGroup<T>[] = [];
  try {
    while (r.pos < buf.length) {
      const t = r.tag();
      if (t !== TAG.LEN_1) {
        r.skip(t & 7);
        continue;
      }
      at.resource = groups.length;
      at.scope = -1;
      const end = r.len();
      const group: ResourceGroup<T> = { index: at.resource, resource: newAttrMap(), items: [] };
      while (r.pos < end) {
        const f = r.tag();
        if (f === TAG.LEN_1) readResource(r, r.len(end), ctx, group.resource);
        else if (f === TAG.LEN_2) {
          at.scope++;
          at.item = -1;
          const scopeEnd = r.len(end);
          readScope(r, scopeEnd, group, ctx);
          r.end(scopeEnd);
        } else r.skip(f & 7, end);
      }
      r.end(end);
      groups.push(group);
    }
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new OtlpDecodeError(at.path(), err.message);
    throw err;
  }
  return groups;
}

/** Resource: 1 = attributes. */
function readResource(r: WireReader, end: number, ctx: Ctx, into: AttrMap): void {
  let n = 0;
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_1 && n++ < ctx.limits.maxAttrs) readKeyValue(r, r.len(end), ctx.resourceAttrs, into, ctx, 0);
    else r.skip(t & 7, end);
  }
  r.end(end);
}

/** Span: 1 trace_id, 2 span_id, 6 kind, 7 start, 8 end, 9 attributes. */
function readSpan(r: WireReader, end: number, ctx: Ctx, scope: number, index: number): OtlpSpan {
  const attrs = newAttrMap();
  let traceId = '';
  let spanId = '';
  let kind = 0;
  let startLo = 0;
  let startHi = 0;
  let endLo = 0;
  let endHi = 0;
  let n = 0;
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_9) {
      if (n++ < ctx.limits.maxAttrs) readKeyValue(r, r.len(end), ctx.attrs, attrs, ctx, 0);
      else r.skip(LEN, end);
    } else if (t === TAG.LEN_1) traceId = r.hex(end);
    else if (t === TAG.LEN_2) spanId = r.hex(end);
    else if (t === TAG.VARINT_6) kind = r.varint();
    else if (t === TAG.I64_7) {
      startLo = r.fixed32();
      startHi = r.fixed32();
    } else if (t === TAG.I64_8) {
      endLo = r.fixed32();
      endHi = r.fixed32();
    } else r.skip(t & 7, end);
  }
  r.end(end);
  const hasStart = startLo !== 0 || startHi !== 0;
  const hasEnd = endLo !== 0 || endHi !== 0;
  return {
    traceId,
    spanId,
    kind,
    startNs: startHi * TWO_32 + startLo,
    // The difference of the halves is exact, unlike the difference of two rounded 64-bit numbers.
    durationNs: hasStart && hasEnd ? (endHi - startHi) * TWO_32 + (endLo - startLo) : undefined,
    attrs,
    scope,
    index,
  };
}

/** LogRecord: 1 time, 11 observed time, 5 body, 6 attributes, 9 trace_id, 10 span_id. */
function readLogRecord(r: WireReader, end: number, ctx: Ctx, scope: number, index: number): OtlpLogRecord {
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
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_6) {
      if (n++ < ctx.limits.maxAttrs) readKeyValue(r, r.len(end), ctx.attrs, rec.attrs, ctx, 0);
      else r.skip(LEN, end);
    } else if (t === TAG.I64_1) rec.timeNs = fixed64(r);
    else if (t === TAG.I64_11) rec.observedNs = fixed64(r);
    else if (t === TAG.LEN_9) rec.traceId = r.hex(end);
    else if (t === TAG.LEN_10) rec.spanId = r.hex(end);
    else if (t === TAG.LEN_5) {
      // Only a key-value list body is read (a structured access log); its keys go through the same filter.
      const body = readAnyValue(r, r.len(end), ctx, 0, ctx.attrs);
      if (body !== undefined && typeof body === 'object' && !Array.isArray(body)) rec.body = body;
    } else r.skip(t & 7, end);
  }
  r.end(end);
  return rec;
}

function fixed64(r: WireReader): number {
  const lo = r.fixed32();
  return r.fixed32() * TWO_32 + lo;
}

/** KeyValue: 1 key, 2 value. The value is decoded only when the key passes the filter (either field order). */
function readKeyValue(r: WireReader, end: number, filter: AttrFilter, into: AttrMap, ctx: Ctx, depth: number): void {
  let key: string | undefined;
  let valueAt = -1;
  let valueEnd = -1;
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_1) key = r.key(ctx.keys, end);
    else if (t === TAG.LEN_2) {
      valueEnd = r.len(end);
      valueAt = r.pos;
      r.pos = valueEnd;
    } else r.skip(t & 7, end);
  }
  r.end(end);
  if (key === undefined || key === '' || valueAt < 0 || !filter(key)) return;
  r.pos = valueAt;
  const v = readAnyValue(r, valueEnd, ctx, depth);
  r.pos = end;
  if (v !== undefined) into[key] = v;
}

const KEEP_ALL: AttrFilter = () => true;

/**
 * AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 array, 6 kvlist (7 bytes and 8 strindex are skipped).
 * Nested arrays and lists deeper than `maxDepth` come out undefined. `kvFilter` applies to a top-level list only.
 */
function readAnyValue(
  r: WireReader,
  end: number,
  ctx: Ctx,
  depth: number,
  kvFilter: AttrFilter = KEEP_ALL,
): AttrValue | undefined {
  let out: AttrValue | undefined;
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_1) out = r.string(end);
    else if (t === TAG.VARINT_3) out = r.int64();
    else if (t === TAG.VARINT_2) out = r.varint() !== 0;
    else if (t === TAG.I64_4) out = r.double();
    else if (t === TAG.LEN_5 || t === TAG.LEN_6) {
      const sub = r.len(end);
      if (depth >= ctx.limits.maxDepth) {
        out = undefined;
        r.pos = sub;
      } else out = t === TAG.LEN_5 ? readArray(r, sub, ctx, depth + 1) : readKvList(r, sub, ctx, depth + 1, kvFilter);
    } else r.skip(t & 7, end);
  }
  r.end(end);
  return out;
}

/** ArrayValue: 1 = values (AnyValue). */
function readArray(r: WireReader, end: number, ctx: Ctx, depth: number): AttrValue[] {
  const out: AttrValue[] = [];
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_1 && out.length < ctx.limits.maxAttrs) {
      const v = readAnyValue(r, r.len(end), ctx, depth);
      if (v !== undefined) out.push(v);
    } else r.skip(t & 7, end);
  }
  r.end(end);
  return out;
}

/** KeyValueList: 1 = values (KeyValue). */
function readKvList(r: WireReader, end: number, ctx: Ctx, depth: number, filter: AttrFilter): AttrMap {
  const out = newAttrMap();
  let n = 0;
  while (r.pos < end) {
    const t = r.tag();
    if (t === TAG.LEN_1 && n++ < ctx.limits.maxAttrs) readKeyValue(r, r.len(end), filter, out, ctx, depth);
    else r.skip(t & 7, end);
  }
  r.end(end);
  return out;
}
