import type { FailedAuthGuard } from './auth';

/**
 * Counts failed authentications per client (its address, see `clientOf`): after `maxFailures` within `windowMs`,
 * that client's further requests *without a valid token* get 429 until the window passes (`requireToken`). Memory
 * is bounded by `maxTracked` (oldest entries dropped).
 */
export class AuthFailureLimiter implements FailedAuthGuard {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(
    private readonly maxFailures = 20,
    private readonly windowMs = 60_000,
    private readonly maxTracked = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one failure for `ip`. */
  fail(ip: string): void {
    const t = this.now();
    const entry = this.failures.get(ip);
    if (!entry || t - entry.since > this.windowMs) {
      if (this.failures.size >= this.maxTracked) this.failures.delete(this.failures.keys().next().value as string);
      this.failures.set(ip, { count: 1, since: t });
    } else entry.count++;
  }

  /** Seconds until `ip` may try again, or 0 when it is not blocked. */
  blockedFor(ip: string): number {
    const entry = this.failures.get(ip);
    if (!entry) return 0;
    const elapsed = this.now() - entry.since;
    if (elapsed > this.windowMs) {
      this.failures.delete(ip);
      return 0;
    }
    return entry.count >= this.maxFailures ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }
}
