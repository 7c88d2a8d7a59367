import fc from 'fast-check';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { bodyFormatOf, isGzip, parseItems, readBody, safeJsonParse } from './body';

const req = (buf: Buffer, headers: Record<string, string> = {}) =>
  Object.assign(Readable.from([buf]), { headers }) as unknown as IncomingMessage;

describe('body reading', () => {
  it('maps content types and encodings', () => {
    expect(bodyFormatOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyFormatOf(undefined)).toBe('json');
    expect(bodyFormatOf('application/x-ndjson')).toBe('ndjson');
    expect(() => bodyFormatOf('text/csv')).toThrow(expect.objectContaining({ status: 415 }));
    expect(isGzip('gzip')).toBe(true);
    expect(isGzip(undefined)).toBe(false);
    expect(() => isGzip('br')).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('limits the body before and after decompression (gzip bomb)', async () => {
    await expect(readBody(req(Buffer.alloc(2000)), 1000, false)).rejects.toMatchObject({ status: 413 });
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    await expect(readBody(req(bomb), 100_000, true)).rejects.toMatchObject({ status: 413 });
    await expect(readBody(req(Buffer.from('not gzip')), 1000, true)).rejects.toMatchObject({
      status: 400,
      message: 'body is not valid gzip',
    });
    expect((await readBody(req(gzipSync('{"a":1}')), 1000, true)).toString()).toBe('{"a":1}');
  });

  it('parses a JSON object, an array, and rejects broken JSON / UTF-8 / empty bodies', () => {
    expect(parseItems(Buffer.from('{"a":1}'), 'json')).toEqual([{ index: 0, value: { a: 1 } }]);
    expect(parseItems(Buffer.from('[1,2]'), 'json')).toHaveLength(2);
    expect(() => parseItems(Buffer.from('{'), 'json')).toThrow(/not valid JSON/);
    expect(() => parseItems(Buffer.from([0x7b, 0xff, 0x7d]), 'json')).toThrow(/UTF-8/);
    expect(() => parseItems(Buffer.alloc(0), 'json')).toThrow(/empty/);
  });

  it('refuses a body without records (an empty array, only blank lines) naming (body), as the fuzz suite expects', () => {
    for (const [text, format] of [
      ['[]', 'json'],
      [' [ ] ', 'json'],
      ['\n\r\n\n', 'ndjson'],
    ] as const) {
      let details: unknown;
      try {
        parseItems(Buffer.from(text), format);
      } catch (err) {
        details = (err as { details?: unknown }).details;
      }
      expect(details).toEqual([
        { field: '(body)', message: format === 'json' ? 'empty JSON array' : 'no NDJSON lines' },
      ]);
    }
  });

  it('parses NDJSON line by line, keeping good lines next to bad ones', () => {
    const body = Buffer.concat([
      Buffer.from('{"a":1}\r\n\nnope\n'),
      Buffer.from([0xc3, 0x28, 0x0a]),
      Buffer.from('{"b":2}'),
    ]);
    const items = parseItems(body, 'ndjson');
    expect(items[0]).toEqual({ index: 0, value: { a: 1 } });
    expect(items[1]).toMatchObject({
      index: 2,
      error: { field: '(record)', message: expect.stringMatching(/not valid JSON/) },
    });
    expect(items[2]).toMatchObject({ index: 3, error: { message: 'line is not valid UTF-8' } });
    expect(items[3]).toEqual({ index: 4, value: { b: 2 } });
  });

  it('decodes UTF-8 exactly as a fatal TextDecoder does (BOM dropped, invalid bytes refused)', () => {
    expect(parseItems(Buffer.from('\uFEFF{"a":"\uFEFF"}'), 'json')).toEqual([{ index: 0, value: { a: '\uFEFF' } }]);
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }), (bytes, text) => {
        const body = Buffer.concat([Buffer.from(`["${JSON.stringify(text).slice(1, -1)}`), bytes, Buffer.from('"]')]);
        let expected: unknown;
        try {
          expected = JSON.parse(strict.decode(body));
        } catch (err) {
          expected = err instanceof SyntaxError ? 'json' : 'utf8';
        }
        let actual: unknown;
        try {
          actual = (parseItems(body, 'json')[0] as { value: unknown }).value;
          expected = (expected as unknown[])[0];
        } catch (err) {
          actual = /UTF-8/.test((err as Error).message) ? 'utf8' : 'json';
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('drops __proto__, constructor and prototype keys at every depth', () => {
    const v = safeJsonParse(
      '{"__proto__":{"polluted":true},"a":{"__proto__":1,"constructor":null,"prototype":2,"b":3}}',
    ) as Record<string, unknown>;
    expect(v).toEqual({ a: { b: 3 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
