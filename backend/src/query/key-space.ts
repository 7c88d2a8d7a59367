/**
 * The session-key space (pure). Session keys are HMAC-SHA256 hex digests (session/identity.ts), so they are spread
 * uniformly over `[0, 1)` when read as hex fractions. That gives two things:
 * - partitions: hex-prefix ranges of equal expected size, scanned side by side (any string still falls in exactly
 *   one range, so non-hex keys are grouped correctly, only less evenly);
 * - sampling: a scan stopped after the keys up to `k` has seen a uniform sample of `fraction(k)` of all keys, from
 *   which a total is estimated (see `estimateTotal`).
 */

/** A range of session keys: `gte` ≤ key < `lt` (each end open when absent). */
export interface KeyRange {
  gte?: string;
  lt?: string;
}

/**
 * `n` contiguous hex-prefix ranges covering every string (n is rounded down to 1, 2, 4, 8 or 16).
 * @example keyPartitions(4) → [{lt:'4'}, {gte:'4', lt:'8'}, {gte:'8', lt:'c'}, {gte:'c'}]
 */
export function keyPartitions(n: number): KeyRange[] {
  const count = [16, 8, 4, 2].find((c) => c <= n) ?? 1;
  const bounds = Array.from({ length: count - 1 }, (_, i) => ((i + 1) * (16 / count)).toString(16));
  return Array.from({ length: count }, (_, i) => ({
    ...(i > 0 ? { gte: bounds[i - 1] } : {}),
    ...(i < count - 1 ? { lt: bounds[i] } : {}),
  }));
}

const HEX = /^[0-9a-f]+/;
const DIGITS = 12; // 48 bits: exact in a double

/**
 * Position of a key (or range bound) in the hex key space, in [0, 1]. Non-hex characters end the reading.
 * @example keyFraction('8') → 0.5; keyFraction('c0ffee…') → 0.7539…; keyFraction(undefined) → 0
 */
export function keyFraction(key: string | undefined): number {
  if (!key) return 0;
  const hex = HEX.exec(key.toLowerCase())?.[0].slice(0, DIGITS) ?? '';
  if (hex.length === 0) return key.toLowerCase() > 'f' ? 1 : 0;
  return parseInt(hex.padEnd(DIGITS, '0'), 16) / 16 ** DIGITS;
}

/** Share of the key space a range covers (`lt` absent = up to 1). */
export function rangeFraction(r: KeyRange): number {
  return (r.lt === undefined ? 1 : keyFraction(r.lt)) - keyFraction(r.gte);
}

/** True when a key looks like a session key (hex digest), so fractions of the key space mean something. */
export function isHexKey(key: string): boolean {
  return /^[0-9a-f]{16,}$/.test(key);
}

/** A sample drawn by a stopped scan: per-key counts of what is being totalled. */
export interface KeySample {
  /** Sum of the per-key counts over the sampled keys. */
  sum: number;
  /** Sum of their squares (for the error). */
  sumSquares: number;
  /** Share of the key space the sampled keys cover, in (0, 1]. */
  fraction: number;
}

/**
 * Estimates a total from a uniform sample of keys (Horvitz–Thompson: sum / fraction) with the half-width of its
 * ~95% interval: 1.96 · √((1 − f) · Σx²) / f. With f = 1 the total is exact (error 0).
 * @example estimateTotal({sum: 500, sumSquares: 900, fraction: 0.25}) → { total: 2000, error: 204 }
 */
export function estimateTotal(s: KeySample): { total: number; error: number } {
  if (s.fraction >= 1) return { total: s.sum, error: 0 };
  if (s.fraction <= 0) return { total: s.sum, error: Number.POSITIVE_INFINITY };
  const total = Math.round(s.sum / s.fraction);
  const error = Math.ceil((1.96 * Math.sqrt((1 - s.fraction) * s.sumSquares)) / s.fraction);
  return { total, error };
}
