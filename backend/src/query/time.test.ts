import { DAY_MS, FUTURE_SKEW_MS } from '../durations';
import { clampRange, toEpochMs } from './time';

const NOW = Date.UTC(2026, 0, 20, 12);

test('defaults to the last 24 hours', () => {
  expect(clampRange({}, 7, NOW)).toEqual({ from: NOW - DAY_MS, to: NOW, empty: false });
});

test('clamps to retention and a small future skew', () => {
  expect(clampRange({ from: NOW - 30 * DAY_MS, to: NOW + DAY_MS }, 7, NOW)).toEqual({
    from: NOW - 7 * DAY_MS,
    to: NOW + FUTURE_SKEW_MS,
    empty: false,
  });
});

test('a range before retention is empty', () => {
  expect(clampRange({ from: NOW - 30 * DAY_MS, to: NOW - 20 * DAY_MS }, 7, NOW).empty).toBe(true);
});

test('RFC 3339 and numeric strings', () => {
  expect(toEpochMs('2026-01-20T12:00:00Z')).toBe(NOW);
  expect(toEpochMs('2026-01-20T13:00:00+01:00')).toBe(NOW);
  expect(toEpochMs(String(NOW))).toBe(NOW);
});
