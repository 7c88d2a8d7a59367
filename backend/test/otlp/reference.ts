/**
 * A reference OTLP codec for tests: protobufjs over the official opentelemetry-proto files vendored in
 * `backend/src/otlp/proto` (nobody here wrote either). Used to encode exports the hand-written decoder must read and
 * to decode the service's answers.
 */
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

const PROTO_DIR = path.resolve(__dirname, '../../src/otlp/proto');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
  // google.rpc.Status (the failure body), without its `details` (Any), which we never send.
  protobuf.parse('syntax = "proto3"; package google.rpc; message Status { int32 code = 1; string message = 2; }', root);
  return root;
}

const root = loadRoot();

/** The message types the tests use. */
export const types = {
  traceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  traceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  logsRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  logsResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  status: root.lookupType('google.rpc.Status'),
};

/** Encodes a plain object (protobufjs field names: camelCase; bytes as Buffer; 64-bit values as strings). */
export function encode(type: protobuf.Type, value: object): Buffer {
  const message = type.fromObject(value);
  const err = type.verify(message);
  if (err) throw new Error(`reference encoder: ${err}`);
  return Buffer.from(type.encode(message).finish());
}

/** Decodes to a plain object (64-bit values as strings, bytes as hex). */
export function decode(type: protobuf.Type, buf: Uint8Array): any {
  const obj = type.toObject(type.decode(buf), { longs: String, bytes: String, defaults: false });
  return hexIds(obj);
}

/** protobufjs renders bytes as base64; ids read better (and compare with OTLP/JSON) as hex. */
function hexIds(v: any): any {
  if (Array.isArray(v)) return v.map(hexIds);
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v))
      out[k] = /^(traceId|spanId|parentSpanId)$/.test(k) ? Buffer.from(String(x), 'base64').toString('hex') : hexIds(x);
    return out;
  }
  return v;
}

/** An attribute in protobufjs's object form. */
export function attr(key: string, value: string | number | boolean | string[]): object {
  return { key, value: anyValue(value) };
}

function anyValue(value: string | number | boolean | string[]): object {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((s) => ({ stringValue: s })) } };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** Unix ms → the decimal-string nanoseconds OTLP uses. */
export function nanos(ms: number): string {
  return `${BigInt(Math.round(ms)) * 1_000_000n}`;
}
