/** Test helper (not part of the service): a cell of `requests` requests with no other metrics. */
import type { SessionBucket } from './grouping';

/**
 * A (key, time bucket) cell from `start` to `end` holding `requests` plain requests (no attacks, errors or
 * durations), all matching the filters.
 * @example bucketOf('k', 5) → {key:'k', start:5, end:5, requests:1, …0, durMax:null, matched:1}
 */
export function bucketOf(key: string, start: number, end = start, requests = 1): SessionBucket {
  return {
    key,
    start,
    end,
    requests,
    attacks: 0,
    blocked: 0,
    status4xx: 0,
    status5xx: 0,
    durCount: 0,
    durSum: 0,
    durMax: null,
    matched: requests,
  };
}
