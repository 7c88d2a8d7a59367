/**
 * The index expression of a query (pure). Daily indices are named `<prefix>-requests-YYYY.MM.DD`; short ranges
 * list their days, long ranges (up to `RETENTION_DAYS=365`) one wildcard per month, so the search URL stays short
 * (OpenSearch refuses request lines over 4 KB) and a year's query names ~13 patterns, not 366 indices. Every
 * search also filters on `ts`, so days of a month outside the range match nothing (and OpenSearch skips them
 * cheaply: their `ts` range is disjoint from the query's).
 */
import { DAY_MS } from '../durations';
import { indexForTime, indicesForRange, requestIndexPattern } from '../storage/indices';

/** Ranges of up to this many days list each day's index. */
export const MAX_DAY_NAMES = 31;
/** Beyond this many months, the whole prefix pattern is searched. */
const MAX_MONTH_PATTERNS = 24;

/**
 * Index expression covering [from, to] (epoch ms).
 * @example searchIndices('p', Date.UTC(2026,0,1), Date.UTC(2026,0,2)) → 'p-requests-2026.01.01,p-requests-2026.01.02'
 * @example searchIndices('p', Date.UTC(2025,11,20), Date.UTC(2026,1,3)) → 'p-requests-2025.12.*,p-requests-2026.01.*,p-requests-2026.02.*'
 */
export function searchIndices(prefix: string, from: number, to: number): string {
  const first = new Date(from);
  const days = Math.floor(to / DAY_MS) - Math.floor(from / DAY_MS) + 1;
  if (days <= MAX_DAY_NAMES) return indicesForRange(prefix, from, to);
  const months: string[] = [];
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  for (let t = Date.UTC(y, m, 1); t <= to; t = Date.UTC(y, m, 1)) {
    if (months.length === MAX_MONTH_PATTERNS) return requestIndexPattern(prefix);
    months.push(indexForTime(prefix, t).replace(/\d{2}$/, '*'));
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return months.join(',');
}
