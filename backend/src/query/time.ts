import { z } from 'zod';
import { DAY_MS, FUTURE_SKEW_MS } from '../durations';

/** Default range when `from` is missing: the last 24 hours. */
export const DEFAULT_RANGE_MS = DAY_MS;

/** A time parameter: epoch milliseconds or an RFC 3339 string (validated, converted by `toEpochMs`). */
export const timeParam = z.union([
  z.number().int().nonnegative(),
  z.string().refine((s) => parseTimeString(s) !== null, 'must be epoch milliseconds or an RFC 3339 time'),
]);

/** Input form of a time parameter. */
export type TimeInput = z.infer<typeof timeParam>;

function parseTimeString(s: string): number | null {
  if (/^\d{1,16}$/.test(s)) return Number(s);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** Converts a validated time parameter to epoch ms. */
export function toEpochMs(t: TimeInput): number {
  return typeof t === 'number' ? t : (parseTimeString(t) as number);
}

/** A query time range in epoch ms, both ends inclusive. `empty` when nothing of it lies within retention. */
export interface TimeRange {
  from: number;
  to: number;
  empty: boolean;
}

/**
 * Resolves `from`/`to` (defaults: the last 24 h) and clamps them to the retention window
 * `[now - retentionDays, now + 5 min]`, so data past retention is never shown.
 * @example clampRange({ from: now - 30 * DAY_MS, to: now }, 7, now) → { from: now - 7 * DAY_MS, to: now, empty: false }
 */
export function clampRange(input: { from?: TimeInput; to?: TimeInput }, retentionDays: number, now: number): TimeRange {
  const to = input.to === undefined ? now : toEpochMs(input.to);
  const from = input.from === undefined ? to - DEFAULT_RANGE_MS : toEpochMs(input.from);
  const lo = now - retentionDays * DAY_MS;
  const hi = now + FUTURE_SKEW_MS;
  const cFrom = Math.max(from, lo);
  const cTo = Math.min(to, hi);
  return { from: cFrom, to: Math.max(cTo, cFrom), empty: cTo < cFrom };
}

/** Aligns `t` down to a multiple of `step` (epoch-aligned, like OpenSearch fixed intervals). */
export function alignDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}
