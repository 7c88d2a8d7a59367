/**
 * The part of an OTLP export we read, as both decoders (protobuf and JSON) produce it. Only the attributes a
 * mapper asks for are kept (see `AttrFilter`), so a span's retained size does not grow with what it carries.
 */

/** An attribute value: OTLP's AnyValue without bytes (arrays and key-value lists are kept, depth-limited). */
export type AttrValue = string | number | boolean | AttrValue[] | AttrMap;

/** Attributes by key (a prototype-less object: keys such as `__proto__` are plain data). */
export interface AttrMap {
  [key: string]: AttrValue;
}

/** Says which attribute keys to keep; every other key is skipped without decoding its value. */
export type AttrFilter = (key: string) => boolean;

/** One span of an export. Times are Unix nanoseconds as numbers (ms precision is all we need). */
export interface OtlpSpan {
  /** Lower-case hex; empty when the span has none. */
  traceId: string;
  spanId: string;
  /** SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: number;
  /** End minus start in nanoseconds (exact for any real duration), or undefined when either time is missing. */
  durationNs: number | undefined;
  attrs: AttrMap;
  /** Position in the export: the scope's index within its resource and the span's index within its scope. */
  scope: number;
  index: number;
}

/** One log record of an export. */
export interface OtlpLogRecord {
  timeNs: number;
  observedNs: number;
  traceId: string;
  spanId: string;
  /** The body when it is a key-value list (a structured access log); string bodies are not parsed. */
  body: AttrMap | undefined;
  attrs: AttrMap;
  /** Position in the export (see OtlpSpan). */
  scope: number;
  index: number;
}

/** The items of one resource, with its (filtered) attributes. `T` is a span or a log record. */
export interface ResourceGroup<T> {
  /** Position of the resource in the export. */
  index: number;
  resource: AttrMap;
  items: T[];
}

/** What a decoder keeps: attribute filters for items and for resources, and the bounds. */
export interface DecodeOptions {
  attrs: AttrFilter;
  resourceAttrs: AttrFilter;
  limits: DecodeLimits;
}

/** Bounds of one decode; beyond `maxItems` spans/log records the decoder throws (413). */
export interface DecodeLimits {
  maxItems: number;
  /** Attributes read per span, log record, resource or key-value list; the rest are skipped. */
  maxAttrs: number;
  /** Nesting of arrays/key-value lists kept inside one value; deeper values are dropped. */
  maxDepth: number;
}

/** Default decode bounds (the item cap matches MAX_RECORDS_PER_BODY of `/v1/requests`). */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxItems: 100_000, maxAttrs: 1000, maxDepth: 4 };

/** Where a mapped record came from, for the answer's error message. */
export interface Origin {
  /** `resourceSpans[0].scopeSpans[1].spans[4]` */
  path: string;
  /** `span <id>` or the log record's time, to find it in the sender's own view. */
  ref: string;
}

/** A mapped export: records for the pipeline, their origins (by item index) and what was not a request. */
export interface MappedExport {
  /** Items for the ingest pipeline (the `/v1/requests` record shape); `index` is the position in `items`. */
  items: { index: number; value: Record<string, unknown> }[];
  origins: Origin[];
  /** Spans or log records that are not HTTP server requests (not counted as rejected). */
  ignored: number;
  /** All spans or log records of the export. */
  total: number;
}

/**
 * Unix nanoseconds (a double, so within ±128 ns at today's dates) → whole milliseconds. The half-microsecond nudge
 * keeps `…250_000_000 ns` from landing on `…249 ms` through that rounding.
 */
export function nsToMs(ns: number): number {
  return Math.floor(ns / 1e6 + 5e-4);
}

/** Creates an empty prototype-less attribute map. */
export function newAttrMap(): AttrMap {
  return Object.create(null) as AttrMap;
}

/** A decoder failure that names where the export is malformed; the route answers it with 400. */
export class OtlpDecodeError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'OtlpDecodeError';
  }
}

/** Too many spans or log records in one export; the route answers it with 413. */
export class OtlpTooManyItemsError extends Error {
  constructor(readonly limit: number) {
    super(`the export holds more than ${limit} spans or log records; send smaller batches`);
    this.name = 'OtlpTooManyItemsError';
  }
}
