import { bucketOf } from '../../../session/bucket.fixture';
import { comparePartsBy, PartGrouper, sessionize } from '../../../session/grouping';
import { TopN } from '../../top-n';
import { mergeSamples, PartTally } from './tally';

const cell = bucketOf;
const o = { idleMs: 10, splitByDay: false };

test('counts matching parts and keeps the best in a shared top-N', () => {
  const top = new TopN(2, comparePartsBy('requests'));
  const t = new PartTally({ minRequests: 2, requireMatch: false }, top);
  const g = new PartGrouper(o, (p) => t.add(p));
  // a: parts [0..5] (3 requests) and [100] (1); b: [0] (5); c: [0..1] (2)
  [cell('a', 0, 1, 2), cell('a', 5), cell('a', 100), cell('b', 0, 0, 5), cell('c', 0, 1, 2)].forEach((c) => g.push(c));
  g.end();
  t.finish();
  expect(t.committed).toBe(3);
  expect(t.sumSquares).toBe(1 + 1 + 1);
  expect(top.sorted().map((p) => [p.key, p.requests])).toEqual([
    ['b', 5],
    ['a', 3],
  ]);
});

test('a stream stopped mid-key counts only whole keys, and says how far it got', () => {
  const t = new PartTally({ requireMatch: false });
  const g = new PartGrouper(o, (p) => t.add(p));
  [cell('20', 0), cell('20', 50), cell('40', 0), cell('60', 0), cell('60', 100)].forEach((c) => g.push(c));
  // no end(): the scan stopped while '60' was streaming (its first part was handed over already)
  expect(t.committed).toBe(3);
  expect(t.sumSquares).toBe(4 + 1);
  expect(t.lastKey).toBe('40');
  expect(t.sample({ gte: '0', lt: '8' }, false)).toEqual({ sum: 3, sumSquares: 5, fraction: 0.25 });
  expect(t.sample({ lt: '8' }, true).fraction).toBe(0.5);
});

test('merged samples add up', () => {
  expect(
    mergeSamples([
      { sum: 1, sumSquares: 1, fraction: 0.25 },
      { sum: 4, sumSquares: 10, fraction: 0.5 },
    ]),
  ).toEqual({ sum: 5, sumSquares: 11, fraction: 0.75 });
});

test('grouper streaming equals sessionize over the whole list, however the pages split it', () => {
  const cells = [cell('a', 0), cell('a', 5), cell('a', 30), cell('b', 1), cell('b', 2), cell('c', 0)];
  const whole = sessionize(cells, o);
  for (let cut = 0; cut <= cells.length; cut++) {
    const got: unknown[] = [];
    const g = new PartGrouper(o, (p) => got.push(p));
    cells.slice(0, cut).forEach((c) => g.push(c));
    cells.slice(cut).forEach((c) => g.push(c));
    g.end();
    expect(got).toEqual(whole);
  }
});
