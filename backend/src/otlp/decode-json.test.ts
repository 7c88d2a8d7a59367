import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeLogsJson, decodeTracesJson } from './decode-json';
import { DEFAULT_DECODE_LIMITS, OtlpDecodeError, OtlpTooManyItemsError, type DecodeOptions } from './model';

const ALL: DecodeOptions = { attrs: () => true, resourceAttrs: () => true, limits: DEFAULT_DECODE_LIMITS };
const example = (name: string) => readFileSync(path.join(__dirname, 'proto/examples', name));
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('decodeTracesJson', () => {
  it('reads the OTLP/JSON example of opentelemetry-proto (hex ids, int64 as strings, enum as integer)', () => {
    const [g] = decodeTracesJson(example('trace.json'), ALL);
    expect({ ...g.resource }).toEqual({ 'service.name': 'my.service' });
    expect(g.items[0]).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      kind: 2,
      startNs: 1544712660000000000,
      durationNs: 1_000_000_000,
      scope: 0,
      index: 0,
    });
    expect({ ...g.items[0].attrs }).toEqual({ 'my.span.attr': 'some value' });
  });

  it('accepts numbers for 64-bit fields, snake_case names and enum names, and ignores unknown fields', () => {
    const body = json({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: 'AB'.repeat(16),
                  span_id: 'cd'.repeat(8),
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: 1_000_000,
                  endTimeUnixNano: '3000000',
                  somethingNew: { x: 1 },
                  attributes: [
                    { key: 'i', value: { intValue: 7 } },
                    { key: 's', value: { int_value: '-8' } },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                    { key: 'b', value: { bytesValue: 'AAE=' } },
                    { key: 'empty', value: {} },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const s = decodeTracesJson(body, ALL)[0].items[0];
    expect(s).toMatchObject({
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      kind: 2,
      startNs: 1_000_000,
      durationNs: 2_000_000,
    });
    expect(JSON.stringify(s.attrs)).toBe('{"i":7,"s":-8,"d":null,"kv":{"a":false}}');
  });

  it.each([
    ['not JSON', Buffer.from('{"resourceSpans": ['), '(body)'],
    ['a JSON array', json([]), '(body)'],
    ['resourceSpans not an array', json({ resourceSpans: {} }), '(body).resourceSpans'],
    [
      'a base64 span id',
      json({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: '7uGbfsPBsXQ=' }] }] }] }),
      'resourceSpans[0].scopeSpans[0].spans[0].spanId',
    ],
    [
      'a bad intValue',
      json({
        resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'x', value: { intValue: '1e3' } }] }] }] }],
      }),
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue',
    ],
    [
      'a bad time',
      json({ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: '-1' }] }] }] }),
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano',
    ],
    [
      'a bad kind',
      json({ resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SERVER' }] }] }] }),
      'resourceSpans[0].scopeSpans[0].spans[0].kind',
    ],
  ])('rejects %s, naming where', (_name, body, where) => {
    let err: unknown;
    try {
      decodeTracesJson(body, ALL);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OtlpDecodeError);
    expect((err as OtlpDecodeError).where).toBe(where);
  });

  it('refuses more spans than the limit', () => {
    const body = json({ resourceSpans: [{ scopeSpans: [{ spans: [{}, {}, {}] }] }] });
    expect(() => decodeTracesJson(body, { ...ALL, limits: { ...DEFAULT_DECODE_LIMITS, maxItems: 2 } })).toThrow(
      OtlpTooManyItemsError,
    );
  });

  it('treats __proto__ and constructor keys as plain data', () => {
    const body = Buffer.from(
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"__proto__","value":{"stringValue":"x"}},{"key":"http.method","value":{"stringValue":"GET"}}]}]}]}]}',
    );
    const attrs = decodeTracesJson(body, ALL)[0].items[0].attrs;
    expect(attrs['http.method']).toBe('GET');
    expect(Object.getPrototypeOf(attrs)).toBeNull();
  });
});

describe('decodeLogsJson', () => {
  it('reads the OTLP/JSON logs example of opentelemetry-proto', () => {
    const [g] = decodeLogsJson(example('logs.json'), ALL);
    const rec = g.items[0];
    expect(rec).toMatchObject({
      timeNs: 1544712660300000000,
      observedNs: 1544712660300000000,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      body: undefined,
    });
    expect(rec.attrs).toMatchObject({
      'string.attribute': 'some string',
      'boolean.attribute': true,
      'int.attribute': 10,
      'double.attribute': 637.704,
      'array.attribute': ['many', 'values'],
    });
  });
});
