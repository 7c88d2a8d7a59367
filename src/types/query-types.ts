/**
 * The one list of query types the service's `POST /v1/query` understands (docs/api.md). Everything else — the type
 * union, the editor table, the default queries — is keyed by it, so adding a type starts here.
 */
export const QUERY_TYPES = [
  { value: 'sessions', label: 'Sessions', description: 'Session list: one row per session part' },
  { value: 'timeline', label: 'Timeline', description: 'The requests of one session part, as a trace or a table' },
  { value: 'requests', label: 'Requests', description: 'Filtered request log, newest first' },
  {
    value: 'breakdown',
    label: 'Breakdown',
    description: 'Shares by attack type, status, method, endpoint, IP, user, flow or API status',
  },
  { value: 'performance', label: 'Performance', description: 'Latency percentiles, rates and errors' },
  { value: 'patterns', label: 'Patterns', description: 'Alertable time series of sessions matching a condition' },
  {
    value: 'inventory',
    label: 'Inventory',
    description: 'Endpoint inventory: endpoints with their API status, requests, sessions, error rate, last seen',
  },
  {
    value: 'blocks',
    label: 'Blocks',
    description: 'Blocked sessions, IPs and users: active blocks, or their history (who, when, why)',
  },
] as const;

/** A query type name, e.g. `'sessions'`. */
export type QueryType = (typeof QUERY_TYPES)[number]['value'];

/** Returns true when `value` names a known query type. */
export function isQueryType(value: unknown): value is QueryType {
  return QUERY_TYPES.some((t) => t.value === value);
}
