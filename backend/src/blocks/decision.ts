/**
 * The decision for one proxied request: allow (204), block (403), or allow and count a would-be block (`monitor`).
 * Fails open — allows and counts `fail_open` — while the instance has no usable block list (never loaded, or the
 * last successful sync is older than BLOCKS_STALE_AFTER_SECONDS; see BlockSync.fresh).
 */
import type { IdentityExtractor } from '../session/identity';
import type { DecisionRequest } from './decision-input';
import type { Block } from './model';
import type { BlockSync } from './sync';

/** Decision counts since start, by outcome. `allowed` excludes monitored and fail-open answers. */
export interface DecisionCounts {
  allowed: number;
  blocked: number;
  monitored: number;
  fail_open: number;
}

/**
 * Decision counters of one instance: plain numbers on the hot path; `/metrics` reads `snapshot()` at scrape time
 * (`api_sessions_decisions_total{outcome}`, metrics.ts).
 */
export class DecisionCounters {
  private readonly counts: DecisionCounts = { allowed: 0, blocked: 0, monitored: 0, fail_open: 0 };

  /** Adds one decision. */
  add(outcome: keyof DecisionCounts): void {
    this.counts[outcome]++;
  }

  /** A copy of the counts (monotonic since start). */
  snapshot(): DecisionCounts {
    return { ...this.counts };
  }
}

/** The outcome of one decision. */
export interface Decision {
  outcome: keyof DecisionCounts;
  /** The block answering 403. */
  block?: Block;
  /** Monitor-mode blocks that would have blocked. */
  monitors: Block[];
}

/** Creates the decision function over an instance's synchronised blocks. */
export function createDecider(
  extractor: IdentityExtractor,
  sync: BlockSync,
  counters: DecisionCounters,
  now: () => number = Date.now,
): (req: DecisionRequest) => Decision {
  return (req) => {
    const t = now();
    if (!sync.fresh(t)) {
      counters.add('fail_open');
      return { outcome: 'fail_open', monitors: [] };
    }
    const active = sync.active;
    if (active.size === 0) {
      counters.add('allowed');
      return { outcome: 'allowed', monitors: [] };
    }
    const id = extractor.identifyRequest(req.identity);
    const m = active.match({ key: id.key, user: id.user, ip: req.ip, host: req.host, app: req.app }, t);
    if (m.block) {
      sync.recordHit(m.block.id, 'blocked', t);
      counters.add('blocked');
      return { outcome: 'blocked', block: m.block, monitors: [] };
    }
    if (m.monitors.length > 0) {
      for (const b of m.monitors) sync.recordHit(b.id, 'monitored', t);
      counters.add('monitored');
      return { outcome: 'monitored', monitors: m.monitors };
    }
    counters.add('allowed');
    return { outcome: 'allowed', monitors: [] };
  };
}

/**
 * A reason made safe for an HTTP header: printable ASCII only (anything else becomes `?`), at most 200 characters.
 * @example headerSafe('brute force — 12 failures\n') → 'brute force ? 12 failures?'
 */
export function headerSafe(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && out.length < 200; i++) {
    const c = text.charCodeAt(i);
    out += c >= 32 && c < 127 ? text[i] : '?';
  }
  return out;
}
