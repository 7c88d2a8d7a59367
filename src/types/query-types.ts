import { QUERY_TYPE_NAMES } from './contract.gen';

/** A query type name, e.g. `'sessions'` (the service's registry, through the generated contract). */
export type QueryType = (typeof QUERY_TYPE_NAMES)[number];

/** What the query-type picker says about each type. A type the service adds fails the typecheck until it is here. */
const QUERY_TYPE_TEXT: Record<QueryType, { label: string; description: string }> = {
  sessions: { label: 'Sessions', description: 'Session list: one row per session part' },
  timeline: { label: 'Timeline', description: 'The requests of one session part, as a trace or a table' },
  requests: { label: 'Requests', description: 'Filtered request log, newest first' },
  breakdown: {
    label: 'Breakdown',
    description: 'Shares by attack type, status, method, endpoint, IP, user, flow or API status',
  },
  performance: { label: 'Performance', description: 'Latency percentiles, rates and errors' },
  patterns: { label: 'Patterns', description: 'Alertable time series of sessions matching a condition' },
  inventory: {
    label: 'Inventory',
    description: 'Endpoint inventory: endpoints with their API status, requests, sessions, error rate, last seen',
  },
  blocks: {
    label: 'Blocks',
    description: 'Blocked sessions, IPs and users: active blocks, or their history (who, when, why)',
  },
  sequences: {
    label: 'Sequences',
    description: 'The paths sessions take: one session part, or the top transitions across sessions (node graph)',
  },
};

/** The query types the service's `POST /v1/query` understands (docs/api.md), in its order, with their texts. */
export const QUERY_TYPES = QUERY_TYPE_NAMES.map((value) => ({ value, ...QUERY_TYPE_TEXT[value] }));

/** Returns true when `value` names a known query type. */
export function isQueryType(value: unknown): value is QueryType {
  return (QUERY_TYPE_NAMES as readonly unknown[]).includes(value);
}
