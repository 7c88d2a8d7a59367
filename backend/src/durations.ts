/**
 * Durations the service relies on in more than one place, defined once: the day behind daily indices, retention and
 * the session day split, and the clock skew ingest and queries allow.
 */

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;

/** One UTC day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * How far ahead of the service's clock a record's `ts` may be (proxies' clocks drift). Ingest refuses records beyond
 * it, and queries may look that far ahead, so the newest records are always visible.
 */
export const FUTURE_SKEW_MS = 5 * MINUTE_MS;
