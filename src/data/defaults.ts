import {
  FILTERED_QUERY_TYPES,
  FILTER_NAMES,
  type ApiSessionsQuery,
  type Filters,
  type QueryOf,
  type QueryType,
} from '../types';

/** What a new query shows first: the latest sessions. */
export const DEFAULT_QUERY: Partial<ApiSessionsQuery> = { queryType: 'sessions', sort: 'last_activity', limit: 100 };

/** The defaults each query type starts with (what the editor shows when the type is picked). */
export const QUERY_DEFAULTS: { [T in QueryType]: Omit<QueryOf<T>, 'refId'> } = {
  sessions: { queryType: 'sessions', sort: 'last_activity', limit: 100 },
  timeline: { queryType: 'timeline', session_id: '', format: 'trace' },
  requests: { queryType: 'requests', format: 'table', page_size: 100 },
  breakdown: { queryType: 'breakdown', by: 'attack_type', limit: 10 },
  performance: { queryType: 'performance', view: 'timeseries' },
  patterns: { queryType: 'patterns', condition: 'attacks', threshold: 1 },
  inventory: { queryType: 'inventory', sort: 'requests', limit: 100 },
  blocks: { queryType: 'blocks', state: 'active', format: 'blocks', limit: 100 },
  sequences: { queryType: 'sequences', format: 'graph', limit: 50 },
};

/** Query types that accept the shared filters. */
const FILTERED: ReadonlySet<QueryType> = new Set(FILTERED_QUERY_TYPES);

/** Returns the filter fields set on a query (empty for `timeline`, which takes no filters). */
export function pickFilters(query: object): Filters {
  const out: Record<string, unknown> = {};
  for (const name of FILTER_NAMES) {
    const value = (query as Record<string, unknown>)[name];
    if (value !== undefined && value !== '') {
      out[name] = value;
    }
  }
  return out as Filters;
}

/**
 * Returns the query switched to another type: the new type's defaults, the common fields (refId, datasource, hide)
 * and, when both types take them, the filters. A timeline keeps the session id of a `session_id` filter and the
 * other way round. Example: `{requests, host: 'a', page: 3}` → patterns → `{patterns, condition: 'attacks',
 * threshold: 1, host: 'a'}`.
 */
export function changeQueryType(query: ApiSessionsQuery, type: QueryType): ApiSessionsQuery {
  const { refId, datasource, hide, key } = query;
  const common = { refId, ...(datasource ? { datasource } : {}), ...(hide ? { hide } : {}), ...(key ? { key } : {}) };
  const filters = FILTERED.has(query.queryType) && FILTERED.has(type) ? pickFilters(query) : {};
  const sessionId = 'session_id' in query && query.session_id ? { session_id: query.session_id } : {};
  if (type === 'timeline') {
    return { ...QUERY_DEFAULTS.timeline, ...common, ...sessionId } as ApiSessionsQuery;
  }
  return { ...QUERY_DEFAULTS[type], ...common, ...filters, ...sessionId } as ApiSessionsQuery;
}

/**
 * Returns the reason a query cannot run yet, or undefined when it can. Hidden queries are not checked here
 * (the caller skips them).
 */
export function incompleteReason(query: Partial<ApiSessionsQuery>): string | undefined {
  switch (query.queryType) {
    case 'timeline':
      return query.session_id ? undefined : 'a session id is required';
    case 'breakdown':
      return query.by ? undefined : 'pick what to break down by';
    case 'patterns':
      if (!query.condition) {
        return 'pick a condition';
      }
      // The service refuses skipped_step without both steps: wait until they are typed.
      return query.condition === 'skipped_step' && (!query.endpoint_pattern || !query.predecessor_pattern)
        ? 'enter the endpoint pattern and the predecessor pattern'
        : undefined;
    case 'sessions':
    case 'requests':
    case 'performance':
    case 'inventory':
    case 'blocks':
    case 'sequences':
      return undefined;
    default:
      return 'pick a query type';
  }
}

/** Returns the query with the defaults of its type filled in; a query without a type becomes the default query. */
export function withDefaults(query: Partial<ApiSessionsQuery> & { refId: string }): ApiSessionsQuery {
  const type = query.queryType;
  if (!type || !(type in QUERY_DEFAULTS)) {
    return { ...DEFAULT_QUERY, ...query, queryType: 'sessions' } as ApiSessionsQuery;
  }
  const merged = { ...QUERY_DEFAULTS[type], ...query } as ApiSessionsQuery;
  // The default threshold only where the condition compares against one (the others ignore it).
  if (merged.queryType === 'patterns' && !('threshold' in query) && !takesThreshold(merged.condition)) {
    delete merged.threshold;
  }
  return merged;
}

/** Conditions whose threshold the service ignores (one matching request, or a whole session part, is enough). */
const WITHOUT_THRESHOLD: ReadonlySet<string> = new Set(['blocked', 'endpoint', 'skipped_step']);

/** Whether a patterns condition compares against a threshold N. */
export function takesThreshold(condition: string): boolean {
  return !WITHOUT_THRESHOLD.has(condition);
}
