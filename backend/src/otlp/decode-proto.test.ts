import * as fc from 'fast-check';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { attr, encode, nanos, types } from '../../test/otlp/reference';
import { decodeLogsProto, decodeTracesProto } from './decode-proto';
import { decodeTracesJson } from './decode-json';
import { DEFAULT_DECODE_LIMITS, OtlpDecodeError, OtlpTooManyItemsError, type DecodeOptions } from './model';

const ALL: DecodeOptions = { attrs: () => true, resourceAttrs: () => true, limits: DEFAULT_DECODE_LIMITS };

/** Spans made and serialized by the OpenTelemetry JS SDK itself. */
function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'host.name': 'edge-1' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test');
  const server = tracer.startSpan('GET /items/:id', {
    kind: SpanKind.SERVER,
    startTime: 1_700_000_000_123,
    attributes: {
      'http.request.method': 'GET',
      'url.path': '/items/17',
      'http.response.status_code': 200,
      'http.request.header.cookie': ['PHPSESSID=abc', 'theme=dark'],
      'server.port': 8080,
      'double.attr': 0.25,
      'bool.attr': true,
      'negative.attr': -42,
    },
  });
  server.addEvent('something happened', { 'event.attr': 'x' });
  server.setStatus({ code: SpanStatusCode.OK });
  server.end(1_700_000_000_135.5);
  tracer.startSpan('GET upstream', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }).end();
  return exporter.getFinishedSpans();
}

describe('decodeTracesProto', () => {
  it('reads what the OTel JS SDK serializes, and its JSON serializer decodes to the same model', () => {
    const spans = sdkSpans();
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    const groups = decodeTracesProto(proto, ALL);
    expect(groups).toHaveLength(1);
    expect(groups[0].resource).toMatchObject({ 'service.name': 'shop', 'host.name': 'edge-1' });
    const [server, client] = groups[0].items;
    expect(server).toMatchObject({
      traceId: spans[0].spanContext().traceId,
      spanId: spans[0].spanContext().spanId,
      kind: 2,
      startNs: 1_700_000_000_123_000_000,
      durationNs: 12_500_000,
      scope: 0,
      index: 0,
    });
    expect({ ...server.attrs }).toEqual({
      'http.request.method': 'GET',
      'url.path': '/items/17',
      'http.response.status_code': 200,
      'http.request.header.cookie': ['PHPSESSID=abc', 'theme=dark'],
      'server.port': 8080,
      'double.attr': 0.25,
      'bool.attr': true,
      'negative.attr': -42,
    });
    expect(client.kind).toBe(3);

    const json = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
    expect(decodeTracesJson(json, ALL)).toEqual(groups);
  });

  it('keeps only the attributes the filter asks for', () => {
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!);
    const groups = decodeTracesProto(proto, {
      ...ALL,
      attrs: (k) => k.startsWith('http.'),
      resourceAttrs: () => false,
    });
    expect(Object.keys(groups[0].resource)).toEqual([]);
    expect(Object.keys(groups[0].items[0].attrs).sort()).toEqual([
      'http.request.header.cookie',
      'http.request.method',
      'http.response.status_code',
    ]);
  });

  it('agrees with protobufjs over the official .proto files on random exports', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    );
    const value = fc.oneof(scalar, fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }));
    const attrs = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 6 });
    const span = fc.record({
      traceId: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      spanId: fc.uint8Array({ minLength: 8, maxLength: 8 }),
      kind: fc.integer({ min: 0, max: 5 }),
      start: fc.integer({ min: 1, max: 4_000_000_000_000 }),
      length: fc.integer({ min: 0, max: 10_000_000 }),
      attrs,
    });
    const exportArb = fc.array(fc.record({ resource: attrs, spans: fc.array(span, { maxLength: 4 }) }), {
      maxLength: 3,
    });
    fc.assert(
      fc.property(exportArb, (resources) => {
        const body = encode(types.traceRequest, {
          resourceSpans: resources.map((r) => ({
            resource: { attributes: Object.entries(r.resource).map(([k, v]) => attr(k, v)) },
            scopeSpans: [
              {
                spans: r.spans.map((s) => ({
                  traceId: Buffer.from(s.traceId),
                  spanId: Buffer.from(s.spanId),
                  kind: s.kind,
                  startTimeUnixNano: nanos(s.start),
                  endTimeUnixNano: `${BigInt(nanos(s.start)) + BigInt(s.length)}`,
                  attributes: Object.entries(s.attrs).map(([k, v]) => attr(k, v)),
                })),
              },
            ],
          })),
        });
        const groups = decodeTracesProto(body, ALL);
        expect(groups.map((g) => ({ ...g.resource }))).toEqual(resources.map((r) => r.resource));
        groups.forEach((g, i) =>
          g.items.forEach((s, j) => {
            const want = resources[i].spans[j];
            expect(s.traceId).toBe(Buffer.from(want.traceId).toString('hex'));
            expect(s.spanId).toBe(Buffer.from(want.spanId).toString('hex'));
            expect(s.kind).toBe(want.kind);
            expect(s.durationNs).toBe(want.length);
            expect(Math.abs(s.startNs - want.start * 1e6)).toBeLessThan(1024);
            expect({ ...s.attrs }).toEqual(want.attrs);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('reads a key-value whose value comes before its key, and skips unknown fields of every wire type', () => {
    // Span { 99: varint 5, 98: fixed32, 97: fixed64, 9: KeyValue{ 2: AnyValue{1:"GET"}, 1: "http.method" }, 96: bytes }
    const kv = Buffer.concat([
      Buffer.from([0x12, 0x05, 0x0a, 0x03]),
      Buffer.from('GET'),
      Buffer.from([0x0a, 0x0b]),
      Buffer.from('http.method'),
    ]);
    const span = Buffer.concat([
      Buffer.from([0x98, 0x06, 0x05]), // field 99, varint
      Buffer.from([0x95, 0x06, 1, 2, 3, 4]), // field 98, fixed32
      Buffer.from([0x89, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]), // field 97, fixed64
      Buffer.from([0x4a, kv.length]),
      kv,
      Buffer.from([0x82, 0x06, 0x02, 0xff, 0xfe]), // field 96, bytes
    ]);
    const scope = Buffer.concat([Buffer.from([0x12, span.length]), span]);
    const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const body = Buffer.concat([Buffer.from([0x0a, resource.length]), resource, Buffer.from([0x10, 0x01])]);
    const [group] = decodeTracesProto(body, ALL);
    expect({ ...group.items[0].attrs }).toEqual({ 'http.method': 'GET' });
  });

  it('fails on truncated input with an OtlpDecodeError naming where, never anything else', () => {
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!);
    let failures = 0;
    for (let n = 1; n < body.length; n++) {
      try {
        decodeTracesProto(body.subarray(0, n), ALL);
      } catch (err) {
        expect(err).toBeInstanceOf(OtlpDecodeError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(body.length / 2);
    expect(() => decodeTracesProto(body.subarray(0, body.length - 3), ALL)).toThrow(/^resourceSpans\[0\]/);
  });

  it('never throws anything but its own errors on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeTracesProto(Buffer.from(bytes), ALL);
          decodeLogsProto(Buffer.from(bytes), ALL);
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses more spans than the limit, and drops values nested deeper than the depth limit', () => {
    const spans = Array.from({ length: 5 }, () => ({ spanId: Buffer.alloc(8, 1) }));
    const body = encode(types.traceRequest, { resourceSpans: [{ scopeSpans: [{ spans }] }] });
    const limits = { ...DEFAULT_DECODE_LIMITS, maxItems: 4 };
    expect(() => decodeTracesProto(body, { ...ALL, limits })).toThrow(OtlpTooManyItemsError);

    let deep: object = { stringValue: 'bottom' };
    for (let i = 0; i < 10; i++) deep = { arrayValue: { values: [deep] } };
    const nested = encode(types.traceRequest, {
      resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'deep', value: deep }] }] }] }],
    });
    const v = decodeTracesProto(nested, ALL)[0].items[0].attrs.deep;
    expect(JSON.stringify(v)).toBe('[[[[]]]]');
  });
});

describe('decodeLogsProto', () => {
  it('reads times, ids, attributes and a key-value body; a string body is not kept', () => {
    const body = encode(types.logsRequest, {
      resourceLogs: [
        {
          resource: { attributes: [attr('service.name', 'envoy')] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nanos(1_700_000_000_000),
                  observedTimeUnixNano: nanos(1_700_000_000_500),
                  traceId: Buffer.alloc(16, 0xab),
                  spanId: Buffer.alloc(8, 0xcd),
                  body: { kvlistValue: { values: [attr('url.path', '/x')] } },
                  attributes: [attr('http.request.method', 'POST'), attr('http.response.status_code', '201')],
                },
                { body: { stringValue: 'GET /x 200' } },
              ],
            },
          ],
        },
      ],
    });
    const [g] = decodeLogsProto(body, ALL);
    expect(g.resource['service.name']).toBe('envoy');
    expect(g.items[0]).toMatchObject({
      timeNs: 1_700_000_000_000_000_000,
      observedNs: 1_700_000_000_500_000_000,
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      scope: 0,
      index: 0,
    });
    expect({ ...g.items[0].body }).toEqual({ 'url.path': '/x' });
    expect({ ...g.items[0].attrs }).toEqual({ 'http.request.method': 'POST', 'http.response.status_code': '201' });
    expect(g.items[1].body).toBeUndefined();
  });
});
