/** Daily index naming: `<prefix>-requests-YYYY.MM.DD` by the UTC day of the request time. */
import { DAY_MS } from '../durations';

/** Index name for a request time (epoch ms). */
export function indexForTime(prefix: string, ts: number): string {
  const d = new Date(ts);
  const y = d.getUTCFullYear();
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${prefix}-requests-${y}.${m}.${day}`;
}

/**
 * Wildcard pattern over all daily request indices of a prefix: `api` → `api-requests-2*` (years 2000–2999).
 * Not `api-requests-*`, which also matches the indices of prefix `api-requests-x` (`api-requests-x-requests-…`):
 * two deployments on one cluster would then share retention, readiness counts, template and ISM patterns (and
 * OpenSearch refuses the second template). No prefix may contain `-requests-<digit>` (config.ts), so no other
 * prefix's indices start with `<prefix>-requests-2`.
 */
export function requestIndexPattern(prefix: string): string {
  return `${prefix}-requests-2*`;
}

/** Name of the composable index template: `<prefix>-requests`. */
export function templateName(prefix: string): string {
  return `${prefix}-requests`;
}

/** Name of the ISM retention policy: `<prefix>-retention`. */
export function ismPolicyName(prefix: string): string {
  return `${prefix}-retention`;
}

/** Why a prefix with `-requests-<digit>` cannot be an INDEX_PREFIX next to others. */
export const PREFIX_CLASH =
  "must not contain -requests- followed by a digit (it would look like another prefix's daily index)";

/** Why `prefix` cannot be an INDEX_PREFIX next to others, or undefined when it can. */
export function prefixProblem(prefix: string): string | undefined {
  return /-requests-\d/.test(prefix) ? PREFIX_CLASH : undefined;
}

/**
 * Daily index names covering [from, to] (epoch ms), comma-joined for a search URL.
 * Searching only these (with `ignore_unavailable`) keeps queries off days outside the range.
 */
export function indicesForRange(prefix: string, from: number, to: number): string {
  const names: string[] = [];
  const start = Math.floor(from / DAY_MS) * DAY_MS;
  for (let t = start; t <= to && names.length < 400; t += DAY_MS) names.push(indexForTime(prefix, t));
  return names.join(',');
}

/** Parses the UTC day (epoch ms of its midnight) out of a daily index name, or null if not ours. */
export function dayOfIndex(prefix: string, index: string): number | null {
  const m = new RegExp(`^${escapeRegExp(prefix)}-requests-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(index);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
