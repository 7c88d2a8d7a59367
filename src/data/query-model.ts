import type { AdHocVariableFilter } from '@grafana/data';
import {
  BOOLEAN_FILTER_NAMES,
  FILTERED_QUERY_TYPES,
  FILTER_NAMES,
  QUERY_PARAMS,
  QUERY_TYPE_NAMES,
  type ApiSessionsQuery,
  type QueryType,
} from '../types';

/**
 * Keys Grafana adds to a query model that the plugin backend strips before forwarding (pkg/plugin/query.go
 * `grafanaEnvelopeKeys`: keep the two lists equal).
 */
export const GRAFANA_ENVELOPE_KEYS: readonly string[] = [
  'datasource',
  'datasourceId',
  'hide',
  'key',
  'intervalMs',
  'maxDataPoints',
  'utcOffsetSec',
];

/** Keys Grafana itself keeps on a query model: never "unknown" (refId and queryType are forwarded). */
export const GRAFANA_KEYS: readonly string[] = ['refId', 'queryType', ...GRAFANA_ENVELOPE_KEYS];

const FILTERED: ReadonlySet<string> = new Set(FILTERED_QUERY_TYPES);
const BOOLEAN: ReadonlySet<string> = new Set(BOOLEAN_FILTER_NAMES);

/** The parameters a query type takes: its own, and the filters when it takes them. */
export function paramsOf(type: QueryType): ReadonlySet<string> {
  return new Set<string>([...QUERY_PARAMS[type], ...(FILTERED.has(type) ? FILTER_NAMES : [])]);
}

/** Every parameter of any query type (a key known to another type is a leftover, not a typo). */
const ANY_PARAM: ReadonlySet<string> = new Set(QUERY_TYPE_NAMES.flatMap((t) => [...paramsOf(t)]));

const isQueryType = (t: unknown): t is QueryType => (QUERY_TYPE_NAMES as readonly unknown[]).includes(t);

/**
 * Migrates a saved query to what its type takes now: parameters of other query types (left over by older versions
 * of the editor when the type was switched, or by hand-edited dashboards) are dropped, and so are empty values.
 * Keys nobody knows are kept, so `unknownKeys` can name them and the service refuses them (a typo is not dropped
 * silently). Example: `{queryType: 'timeline', session_id: 's', sort: 'requests', host: ''}` → `{queryType:
 * 'timeline', session_id: 's'}`.
 */
export function migrateQuery<Q extends ApiSessionsQuery>(query: Q): Q {
  if (!isQueryType(query.queryType)) {
    return query;
  }
  const own = paramsOf(query.queryType);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') {
      continue;
    }
    if (!own.has(k) && ANY_PARAM.has(k)) {
      continue;
    }
    out[k] = v;
  }
  return out as Q;
}

/** The keys of a query that neither its type nor Grafana knows (the service answers 400 naming them). */
export function unknownKeys(query: ApiSessionsQuery): string[] {
  if (!isQueryType(query.queryType)) {
    return [];
  }
  const own = paramsOf(query.queryType);
  return Object.keys(query).filter((k) => !own.has(k) && !GRAFANA_KEYS.includes(k));
}

/**
 * Folds a dashboard's ad-hoc filters into a query as the service's filters (`applyTemplateVariables`): `key = value`
 * sets the filter of that name, replacing the panel's own value for it (a dashboard filter narrows every panel the
 * same way). Query types without filters (timeline, blocks) are left as they are. Only `=` exists in the service;
 * any other operator, or a key that is not a filter, throws an error the panel shows.
 * Example: `[{key: 'client_ip', operator: '=', value: '10.0.0.1'}]` on a sessions query → `client_ip: '10.0.0.1'`.
 */
export function applyAdHocFilters<Q extends ApiSessionsQuery>(query: Q, filters: AdHocVariableFilter[] | undefined): Q {
  if (!filters?.length || !FILTERED.has(query.queryType)) {
    return query;
  }
  const out: Record<string, unknown> = { ...query };
  for (const f of filters) {
    if (!(FILTER_NAMES as readonly string[]).includes(f.key)) {
      throw new Error(`ad-hoc filter "${f.key}": not a filter of this data source (one of ${FILTER_NAMES.join(', ')})`);
    }
    if (f.operator !== '=') {
      throw new Error(`ad-hoc filter "${f.key} ${f.operator} ${f.value}": only "=" is supported`);
    }
    out[f.key] = BOOLEAN.has(f.key) ? f.value === 'true' : f.value;
  }
  return out as Q;
}
