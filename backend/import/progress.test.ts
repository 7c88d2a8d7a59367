import { createProgress, formatDuration, formatProgress } from './progress';

const state = { lines: 5000, accepted: 4000, rejected: 2, unparseable: 1, bytesRead: 50, size: 100, elapsedMs: 2000 };

describe('progress', () => {
  it('formats counts, rate, percentage and ETA', () => {
    expect(formatProgress(state)).toBe(
      '5,000 lines · 4,000 accepted · 2 rejected · 1 unparseable · 2,500 lines/s · 50% · ETA 0:02',
    );
    expect(formatProgress({ ...state, size: undefined })).toBe(
      '5,000 lines · 4,000 accepted · 2 rejected · 1 unparseable · 2,500 lines/s',
    );
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    // --limit before the end of the file: the percentage follows the limit (also for stdin).
    expect(formatProgress({ ...state, limit: 10_000 })).toMatch(/ · 50% · ETA 0:02$/);
    expect(formatProgress({ ...state, size: undefined, limit: 20_000 })).toMatch(/ · 25% · ETA 0:06$/);
  });
  it('redraws in place on a terminal, at most every 200 ms, and ends the line', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: true, now: () => t });
    t = 100;
    p.update(state);
    t = 250;
    p.update(state);
    p.done(state);
    expect(out[0].startsWith('\r5,000 lines ')).toBe(true);
    expect(out[0].endsWith('\x1b[K')).toBe(true);
    expect(out).toHaveLength(3);
    expect(out[2]).toBe('\n');
  });
  it('writes whole lines every interval when not a terminal', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: false, intervalMs: 5000, now: () => t });
    t = 4000;
    p.update(state);
    t = 5001;
    p.update(state);
    expect(out).toEqual([`import: ${formatProgress(state)}\n`]);
    p.done(state);
    expect(out).toHaveLength(2);
  });
});
