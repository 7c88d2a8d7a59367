import fc from 'fast-check';
import { TopN } from './top-n';

test('keeps the best items, best first', () => {
  const t = new TopN<number>(2, (a, b) => b - a);
  [5, 1, 9, 7].forEach((x) => t.offer(x));
  expect(t.sorted()).toEqual([9, 7]);
  expect(t.worst).toBe(7);
});

test('limit 0 keeps nothing', () => {
  const t = new TopN<number>(0, (a, b) => a - b);
  expect(t.offer(1)).toBe(false);
  expect(t.sorted()).toEqual([]);
});

test('property: equals sort + slice for any input and limit', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), fc.nat(40), (xs, limit) => {
      const t = new TopN<number>(limit, (a, b) => a - b);
      xs.forEach((x) => t.offer(x));
      expect(t.sorted()).toEqual([...xs].sort((a, b) => a - b).slice(0, limit));
      expect(t.size).toBe(Math.min(limit, xs.length));
    }),
    { numRuns: 300 },
  );
});
