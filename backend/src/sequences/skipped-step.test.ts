import { DAY_MS } from '../durations';
import { SkippedStepGrouper, skipped, type SkippedPart, type StepBucket } from './skipped-step';

const T = 30 * 60_000;
const bucket = (key: string, start: number, end: number, g: number | null, p: number | null): StepBucket => ({
  key,
  start,
  end,
  firstGuarded: g,
  firstPredecessor: p,
});

function run(buckets: StepBucket[], splitByDay = true): SkippedPart[] {
  const out: SkippedPart[] = [];
  const grouper = new SkippedStepGrouper({ idleMs: T, splitByDay }, (p) => out.push(p));
  for (const b of buckets) grouper.push(b);
  grouper.end();
  return out;
}

describe('skipped_step', () => {
  it('is a guarded request without an earlier predecessor; the same millisecond counts as earlier', () => {
    expect(skipped(100, null)).toBe(true);
    expect(skipped(100, 101)).toBe(true);
    expect(skipped(100, 99)).toBe(false);
    expect(skipped(100, 100)).toBe(false);
    expect(skipped(null, 5)).toBe(false);
  });

  it('combines the buckets of one part: a cart in an earlier bucket of the part counts', () => {
    expect(run([bucket('a', 0, 10, null, 5), bucket('a', 20 * 60_000, 20 * 60_000, 20 * 60_000, null)])).toEqual([]);
  });

  it('does not count a predecessor in an earlier part (idle timeout)', () => {
    const parts = run([bucket('a', 0, 10, null, 5), bucket('a', 10 + T, 10 + T, 10 + T, null)]);
    expect(parts).toEqual([{ key: 'a', start: 10 + T, end: 10 + T, guardedAt: 10 + T }]);
  });

  it('splits at UTC midnight: a cart at 23:59 does not cover a checkout at 00:01', () => {
    const late = DAY_MS - 60_000;
    const early = DAY_MS + 60_000;
    const buckets = [bucket('a', late, late, null, late), bucket('a', early, early, early, null)];
    expect(run(buckets)).toHaveLength(1);
    expect(run(buckets, false)).toEqual([]);
  });

  it('keeps keys apart, and counts a part once however often it reached the guarded endpoint', () => {
    const parts = run([
      bucket('a', 0, 50, 10, null),
      bucket('a', 60, 90, 70, 65),
      bucket('b', 0, 10, null, 5),
      bucket('c', 0, 10, 3, 8),
    ]);
    expect(parts.map((p) => [p.key, p.guardedAt])).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
  });

  it('labels a part with the group_by value of its first guarded bucket', () => {
    const labelled = (b: StepBucket, label: string): StepBucket => ({ ...b, label });
    const parts = run([
      labelled(bucket('a', 0, 10, null, null), 'ignored: no guarded request'),
      labelled(bucket('a', 60_000, 60_000, 60_000, null), 'first'),
      labelled(bucket('a', 120_000, 120_000, 120_000, null), 'second'),
    ]);
    expect(parts).toEqual([{ key: 'a', start: 0, end: 120_000, guardedAt: 60_000, label: 'first' }]);
    expect(run([bucket('b', 0, 0, 0, null)])[0]).not.toHaveProperty('label');
  });
});
