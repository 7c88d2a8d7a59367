import { createHash } from 'node:crypto';
import { estimateTotal, isHexKey, keyFraction, keyPartitions, rangeFraction } from './key-space';
import { mulberry32 } from '../../demo/rng';

const hmacLike = (i: number) => createHash('sha256').update(String(i)).digest('hex');

describe('partitions', () => {
  test.each([1, 2, 4, 8, 16])('%i ranges cover every string exactly once, in order', (n) => {
    const ranges = keyPartitions(n);
    expect(ranges).toHaveLength(n);
    const inRange = (k: string, r: { gte?: string; lt?: string }) =>
      (r.gte === undefined || k >= r.gte) && (r.lt === undefined || k < r.lt);
    for (const k of ['', '0', '3fff', '4', '7', 'c0ffee', 'f', 'ffff', 'key001', 'Z', '~', hmacLike(1)])
      expect(ranges.filter((r) => inRange(k, r))).toHaveLength(1);
    expect(ranges.reduce((a, r) => a + rangeFraction(r), 0)).toBeCloseTo(1, 12);
  });
  test('other counts round down to a power of two', () => expect(keyPartitions(3)).toHaveLength(2));
  test('4 ranges split at hex digits 4, 8, c', () =>
    expect(keyPartitions(4)).toEqual([{ lt: '4' }, { gte: '4', lt: '8' }, { gte: '8', lt: 'c' }, { gte: 'c' }]));
});

test('fractions are monotone in key order and uniform for digests', () => {
  expect(keyFraction(undefined)).toBe(0);
  expect(keyFraction('8')).toBe(0.5);
  expect(keyFraction('c')).toBe(0.75);
  const keys = Array.from({ length: 2000 }, (_, i) => hmacLike(i)).sort();
  const f = keys.map(keyFraction);
  expect(f.every((x, i) => i === 0 || x >= f[i - 1])).toBe(true);
  // uniform: the median digest sits near the middle of the key space
  expect(f[1000]).toBeGreaterThan(0.45);
  expect(f[1000]).toBeLessThan(0.55);
  expect(isHexKey(keys[0])).toBe(true);
  expect(isHexKey('key001xxxxxxxxxxxxxx')).toBe(false);
});

describe('estimateTotal', () => {
  test('a complete scan is exact', () => {
    expect(estimateTotal({ sum: 42, sumSquares: 100, fraction: 1 })).toEqual({ total: 42, error: 0 });
  });
  test('sum / fraction with a ~95% half-width', () => {
    expect(estimateTotal({ sum: 500, sumSquares: 900, fraction: 0.25 })).toEqual({ total: 2000, error: 204 });
  });
  test('empirically: the true total lies within the stated interval ~95% of the time', () => {
    const r = mulberry32(9);
    // 20,000 keys with skewed part counts (most 1, some many), in digest order
    const keys = Array.from({ length: 20_000 }, (_, i) => ({
      key: hmacLike(i),
      parts: r() < 0.8 ? 1 : 1 + Math.floor(-Math.log(1 - r()) * 10),
    })).sort((a, b) => (a.key < b.key ? -1 : 1));
    const truth = keys.reduce((n, k) => n + k.parts, 0);
    let inside = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      // a contiguous run of keys from a random start, like a partition scan stopped part way
      const start = Math.floor(r() * keys.length);
      const n = 500 + Math.floor(r() * 3000);
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const k = keys[(start + i) % keys.length];
        sum += k.parts;
        sq += k.parts * k.parts;
      }
      const last = keys[(start + n - 1) % keys.length].key;
      const first = keys[start].key;
      let fraction = keyFraction(last) - keyFraction(first);
      if (fraction < 0) fraction += 1;
      const e = estimateTotal({ sum, sumSquares: sq, fraction });
      if (Math.abs(e.total - truth) <= e.error) inside++;
    }
    expect(inside / trials).toBeGreaterThan(0.88);
  });
});
