/**
 * `--shift-to-now`: moves every timestamp by one offset so that the newest line lands at now − 1 min and the
 * spacing between lines (hence sessions and idle gaps) is kept. Pure.
 */

/** How far before "now" the newest record lands (1 minute: safely inside the service's 5-minute future limit). */
export const SHIFT_LAG_MS = 60_000;

/**
 * The offset (ms) to add to every `ts` so that `newestTs` becomes `now − lagMs`. Negative for logs from the
 * future, 0 when there is nothing to shift.
 * @example shiftOffset(1000, 3_601_000) → 3_540_000   (newest lands at 3_541_000 = now − 60 s)
 */
export function shiftOffset(newestTs: number | undefined, now: number, lagMs = SHIFT_LAG_MS): number {
  return newestTs === undefined ? 0 : now - lagMs - newestTs;
}

/** Tracks the newest timestamp seen (first pass of `--shift-to-now`). */
export function newestOf(current: number | undefined, ts: number): number {
  return current === undefined || ts > current ? ts : current;
}

/** A copy of the record with `ts` moved by `offset` ms. */
export function shiftRecord<T extends { ts: number }>(record: T, offset: number): T {
  return offset === 0 ? record : { ...record, ts: record.ts + offset };
}
