import * as fc from 'fast-check';
import { KeyCache, WireReader } from './wire';
import { OtlpDecodeError } from './model';

/** Protobuf varint bytes of a non-negative bigint (two's complement for negatives, 10 bytes). */
function varint(v: bigint): number[] {
  let n = v < 0n ? (1n << 64n) + v : v;
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return out;
}

describe('WireReader', () => {
  it.each([0n, 1n, 127n, 128n, 300n, 2n ** 32n, 2n ** 53n - 1n])('varint %s', (v) => {
    expect(new WireReader(Buffer.from(varint(v))).varint()).toBe(Number(v));
  });

  it.each([0n, 1n, -1n, -42n, 2n ** 40n, -(2n ** 40n), 2n ** 53n - 1n, -(2n ** 53n) + 1n])('int64 %s', (v) => {
    const r = new WireReader(Buffer.from(varint(v)));
    expect(r.int64()).toBe(Number(v));
    expect(r.pos).toBe(varint(v).length);
  });

  it('throws its own error on a truncated or over-long varint and on a length past the message', () => {
    expect(() => new WireReader(Buffer.from([0x80, 0x80])).varint()).toThrow(OtlpDecodeError);
    expect(() => new WireReader(Buffer.alloc(11, 0xff)).varint()).toThrow(/longer than 10 bytes/);
    expect(() => new WireReader(Buffer.from([0x05, 1, 2])).len()).toThrow(/truncated/);
    expect(() => new WireReader(Buffer.from([0x02, 1, 2, 3])).len(2)).toThrow(/truncated/);
    expect(() => new WireReader(Buffer.from([0x00])).tag()).toThrow(/field number 0/);
    expect(() => new WireReader(Buffer.from([0x0b])).skip(3)).toThrow(/wire type 3/);
  });
});

describe('KeyCache', () => {
  it('returns exactly what a fresh decode returns, for any bytes, hits or misses', () => {
    const cache = new KeyCache();
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 20 }), (keys) => {
        const buf = Buffer.concat(keys.map((k) => Buffer.from(k)));
        const offsets = keys.map((_, i) => keys.slice(0, i).reduce((n, k) => n + k.length, 0));
        for (let round = 0; round < 2; round++)
          keys.forEach((k, i) => {
            const end = offsets[i] + k.length;
            expect(cache.get(buf, offsets[i], end)).toBe(buf.toString('utf8', offsets[i], end));
          });
      }),
      { numRuns: 300 },
    );
  });

  it('serves a repeated key as the same string, and keeps working when full', () => {
    const cache = new KeyCache();
    const a = Buffer.from('http.request.method');
    expect(cache.get(a, 0, a.length)).toBe('http.request.method');
    for (let i = 0; i < 5000; i++) {
      const junk = Buffer.from(`junk-${i}`);
      expect(cache.get(junk, 0, junk.length)).toBe(`junk-${i}`);
    }
    expect(cache.get(a, 0, a.length)).toBe('http.request.method');
    const b = Buffer.from('h'.repeat(100));
    expect(cache.get(b, 0, 100)).toBe('h'.repeat(100));
  });
});
