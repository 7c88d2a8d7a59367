/**
 * What a streaming scan keeps of the session parts it sees (pure): the matching parts counted, the best `limit`
 * of them in a bounded heap, and — per completed key — the sums a stopped scan needs to estimate the total.
 * Memory: O(limit), whatever the range or the number of cells.
 */
import { partMatches, type PartCriteria, type SessionPart } from '../../../session/grouping';
import { keyFraction, rangeFraction, type KeyRange, type KeySample } from '../../key-space';
import type { TopN } from '../../top-n';

/**
 * Counts the matching parts of one key-ordered stream (one partition) and offers them to a shared top-N.
 * A key's parts are committed when the stream moves past the key, so a scan stopped mid-key counts only whole keys.
 */
export class PartTally {
  /** Matching parts of the committed keys. */
  committed = 0;
  /** Sum of squares of the per-key counts of the committed keys. */
  sumSquares = 0;
  /** The last committed key (the stream has covered the key space up to it). */
  lastKey: string | undefined;
  private key: string | undefined;
  private count = 0;

  constructor(
    private readonly criteria: PartCriteria,
    private readonly top: TopN<SessionPart> | null = null,
  ) {}

  /** Adds one part of the stream (parts arrive in key order). */
  add(p: SessionPart): void {
    if (p.key !== this.key) this.commit(p.key);
    if (!partMatches(p, this.criteria)) return;
    this.count++;
    this.top?.offer(p);
  }

  /** Ends the stream: the current key is complete. */
  finish(): void {
    this.commit(undefined);
  }

  /**
   * The sample this stream drew from `range`: everything when it was read to the end, else the committed keys,
   * covering the range from its start to the last committed key.
   */
  sample(range: KeyRange, complete: boolean): KeySample {
    const fraction = complete
      ? rangeFraction(range)
      : this.lastKey === undefined
        ? 0
        : Math.max(0, keyFraction(this.lastKey) - keyFraction(range.gte));
    return { sum: this.committed, sumSquares: this.sumSquares, fraction };
  }

  private commit(next: string | undefined): void {
    if (this.key !== undefined) {
      this.committed += this.count;
      this.sumSquares += this.count * this.count;
      this.lastKey = this.key;
    }
    this.key = next;
    this.count = 0;
  }
}

/** Adds up the samples of several partitions. */
export function mergeSamples(samples: KeySample[]): KeySample {
  return samples.reduce((a, s) => ({
    sum: a.sum + s.sum,
    sumSquares: a.sumSquares + s.sumSquares,
    fraction: a.fraction + s.fraction,
  }));
}
