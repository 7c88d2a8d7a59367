import type { ApiSessionsQuery } from '../types';

/** Replaces template variables in one string (e.g. `getTemplateSrv().replace` bound to the request's scoped vars). */
export type Replace = (value: string) => string;

/** Keys that are never interpolated: Grafana's own bookkeeping. */
const SKIP = new Set(['refId', 'queryType', 'datasource', 'key', 'hide']);

/**
 * Keys the service reads as numbers: an interpolated numeric string becomes a number. (`idle_timeout_minutes` comes
 * from the dashboards' `$idle_timeout` variable; when that is empty the key is dropped, so the plugin backend applies
 * the data source's default idle timeout.)
 */
const NUMERIC = new Set(['start', 'end', 'status', 'idle_timeout_minutes']);

/**
 * Returns a copy of the query with every string field interpolated. Fields that end up empty are dropped (an
 * empty variable means "no filter"), and `start`/`end`/`status`/`idle_timeout_minutes` that end up numeric become
 * numbers.
 * Example: `{host: '$host', start: '$start', status: '4xx'}` with host=a, start=1700000000000 →
 * `{host: 'a', start: 1700000000000, status: '4xx'}`.
 */
export function interpolateQuery<Q extends ApiSessionsQuery>(query: Q, replace: Replace): Q {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (SKIP.has(name) || typeof value !== 'string') {
      out[name] = value;
      continue;
    }
    const replaced = replace(value).trim();
    if (replaced === '') {
      continue;
    }
    out[name] = NUMERIC.has(name) && /^\d+$/.test(replaced) ? Number(replaced) : replaced;
  }
  return out as Q;
}
