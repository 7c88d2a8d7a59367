import fc from 'fast-check';
import { newestOf, SHIFT_LAG_MS, shiftOffset, shiftRecord } from './shift';

describe('shift-to-now', () => {
  it('puts the newest record at now − 1 min and keeps the spacing', () => {
    const now = Date.parse('2026-11-28T08:00:00Z');
    const ts = [
      Date.parse('2020-01-01T10:00:00Z'),
      Date.parse('2020-01-01T10:05:00Z'),
      Date.parse('2020-01-01T09:00:00Z'),
    ];
    const newest = ts.reduce<number | undefined>(newestOf, undefined);
    const offset = shiftOffset(newest, now);
    const shifted = ts.map((t) => shiftRecord({ ts: t }, offset).ts);
    expect(Math.max(...shifted)).toBe(now - SHIFT_LAG_MS);
    expect(shifted[1] - shifted[0]).toBe(5 * 60_000);
    expect(shifted[0] - shifted[2]).toBe(60 * 60_000);
  });
  it('moves logs from the future back, and does nothing without records', () => {
    expect(shiftOffset(10_000_000, 1_000_000)).toBe(1_000_000 - SHIFT_LAG_MS - 10_000_000);
    expect(shiftOffset(undefined, 123)).toBe(0);
    const r = { ts: 5 };
    expect(shiftRecord(r, 0)).toBe(r);
  });
  it('never changes the gaps (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4e12 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 5e12 }),
        (ts, now) => {
          const offset = shiftOffset(ts.reduce<number | undefined>(newestOf, undefined), now);
          const shifted = ts.map((t) => shiftRecord({ ts: t }, offset).ts);
          expect(Math.max(...shifted)).toBe(now - SHIFT_LAG_MS);
          for (let i = 1; i < ts.length; i++) expect(shifted[i] - shifted[i - 1]).toBe(ts[i] - ts[i - 1]);
        },
      ),
    );
  });
});
