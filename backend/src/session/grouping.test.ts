import fc from 'fast-check';
import { DAY_MS } from '../durations';
import { bucketOf } from './bucket.fixture';
import { chooseBucketWidth, comparePartsBy, sessionize, splitsBetween, type SessionBucket } from './grouping';

const MIN = 60_000;

describe('chooseBucketWidth', () => {
  test.each([
    [0, DAY_MS],
    [1, 1],
    [7, 6],
    [30, 30],
    [59, 30],
    [90, 60],
    [1440, 1440],
    [5000, 1440],
  ])('T = %i min → W = %i min', (t, w) => {
    expect(chooseBucketWidth(t * MIN)).toBe(t === 0 ? DAY_MS : w * MIN);
  });
  test('rejects sub-minute timeouts', () => expect(() => chooseBucketWidth(59_999)).toThrow(RangeError));
});

describe('splitsBetween', () => {
  const o = { idleMs: 30 * MIN, splitByDay: true };
  test('gap T − 1 ms joins, gap T splits', () => {
    expect(splitsBetween(1000, 1000 + 30 * MIN - 1, o)).toBe(false);
    expect(splitsBetween(1000, 1000 + 30 * MIN, o)).toBe(true);
  });
  test('midnight splits only with splitByDay', () => {
    expect(splitsBetween(DAY_MS - 1, DAY_MS, o)).toBe(true);
    expect(splitsBetween(DAY_MS - 1, DAY_MS, { ...o, splitByDay: false })).toBe(false);
  });
  test('T = 0 never splits on gaps', () =>
    expect(splitsBetween(0, 6 * DAY_MS, { idleMs: 0, splitByDay: false })).toBe(false));
});

/** Buckets a key's sorted request times into width-W cells, like the composite aggregation. */
function toBuckets(records: { key: string; ts: number }[], w: number): SessionBucket[] {
  const cells = new Map<string, SessionBucket>();
  const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ts - b.ts));
  for (const r of sorted) {
    const id = `${r.key}|${Math.floor(r.ts / w)}`;
    const c = cells.get(id);
    if (c) {
      c.end = r.ts;
      c.requests++;
      c.matched++;
    } else {
      cells.set(id, bucketOf(r.key, r.ts));
    }
  }
  return [...cells.values()];
}

/** Plain reference: walk each key's requests, split on gap ≥ T or a new UTC day. */
function reference(records: { key: string; ts: number }[], idleMs: number, splitByDay: boolean) {
  const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ts - b.ts));
  const parts: { key: string; start: number; end: number; requests: number }[] = [];
  for (const r of sorted) {
    const cur = parts[parts.length - 1];
    const same =
      cur &&
      cur.key === r.key &&
      !(idleMs > 0 && r.ts - cur.end >= idleMs) &&
      !(splitByDay && Math.floor(cur.end / DAY_MS) !== Math.floor(r.ts / DAY_MS));
    if (same) {
      cur.end = r.ts;
      cur.requests++;
    } else parts.push({ key: r.key, start: r.ts, end: r.ts, requests: 1 });
  }
  return parts;
}

test('property: bucketed grouping equals the reference for any data, T and split_by_day', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 3 * DAY_MS }) }), {
        maxLength: 200,
      }),
      fc.constantFrom(0, 1, 2, 7, 13, 30, 61, 600, 1440, 2000),
      fc.boolean(),
      (records, idleMin, splitByDay) => {
        const idleMs = idleMin * MIN;
        const w = chooseBucketWidth(idleMs);
        const got = sessionize(toBuckets(records, w), { idleMs, splitByDay }).map(({ key, start, end, requests }) => ({
          key,
          start,
          end,
          requests,
        }));
        expect(got).toEqual(reference(records, idleMs, splitByDay));
      },
    ),
    { numRuns: 300 },
  );
});

test('property: gaps right at the timeout (T − 1, T, T + 1 ms)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: DAY_MS }),
      fc.constantFrom(-1, 0, 1),
      fc.constantFrom(1, 7, 30, 45),
      (t0, delta, idleMin) => {
        const idleMs = idleMin * MIN;
        const records = [
          { key: 'k', ts: t0 },
          { key: 'k', ts: t0 + idleMs + delta },
        ];
        const got = sessionize(toBuckets(records, chooseBucketWidth(idleMs)), { idleMs, splitByDay: false });
        expect(got).toHaveLength(delta < 0 ? 1 : 2);
      },
    ),
  );
});

test('comparePartsBy orders by value, then last activity, key, start', () => {
  const p = bucketOf;
  const parts = [p('b', 0, 10, 5), p('a', 0, 10, 5), p('c', 0, 20, 5), p('d', 0, 5, 9)];
  expect(parts.sort(comparePartsBy('requests')).map((x) => x.key)).toEqual(['d', 'c', 'a', 'b']);
  expect(parts.sort(comparePartsBy('last_activity')).map((x) => x.key)).toEqual(['c', 'a', 'b', 'd']);
});
