import type { DataQuery } from '@grafana/schema';
import type { QueryType } from './query-types';

/** A value typed by the user: a literal or a template variable such as `$start`. */
export type NumberOrVariable = number | string;

/** Request filters shared by sessions, requests, breakdown, performance, patterns and inventory (docs/api.md "Filters"). */
export interface Filters {
  host?: string;
  app?: string;
  /** Exact endpoint template, or a prefix when it ends with `*`. */
  endpoint?: string;
  method?: string;
  /** A status code or a class such as `4xx`. */
  status?: NumberOrVariable;
  attack_type?: string;
  attacked?: boolean;
  blocked?: boolean;
  /** Bot type; `any` = any bot verdict. */
  bot?: string;
  user?: string;
  role?: string;
  /** IPv4/IPv6 address or CIDR. */
  client_ip?: string;
  session_id?: string;
  request_id?: string;
  /** API inventory status: `documented`, `zombie`, `shadow`, `unknown`, or a comma-separated list (`shadow,zombie`). */
  api_status?: string;
  /** Exact business flow name, e.g. `authentication`. */
  flow?: string;
}

/** Names of the string filters, in editor order. */
export const TEXT_FILTERS = [
  'host',
  'app',
  'endpoint',
  'method',
  'status',
  'attack_type',
  'bot',
  'user',
  'role',
  'client_ip',
  'session_id',
  'request_id',
  'api_status',
  'flow',
] as const;

/** Names of the boolean filters. */
export const BOOLEAN_FILTERS = ['attacked', 'blocked'] as const;

export const SESSION_SORTS = ['last_activity', 'start', 'requests', 'attacks', 'duration', 'errors'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

export const TIMELINE_FORMATS = ['trace', 'table'] as const;
export const REQUESTS_FORMATS = ['table', 'logs'] as const;
export const BREAKDOWN_BY = [
  'attack_type',
  'status',
  'method',
  'endpoint',
  'client_ip',
  'user',
  'flow',
  'api_status',
] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];
export const PERFORMANCE_VIEWS = ['timeseries', 'slowest_endpoints', 'session_rates'] as const;
export type PerformanceView = (typeof PERFORMANCE_VIEWS)[number];
export const PATTERN_CONDITIONS = [
  'attacks',
  'auth_failures',
  'distinct_endpoints',
  'rate',
  'blocked',
  'endpoint',
  'shadow_or_zombie',
] as const;
export type PatternCondition = (typeof PATTERN_CONDITIONS)[number];
export const PATTERN_GROUP_BY = ['user', 'client_ip', 'endpoint', 'host'] as const;
export type PatternGroupBy = (typeof PATTERN_GROUP_BY)[number];
export const INVENTORY_SORTS = ['requests', 'sessions', 'error_rate', 'last_seen'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];
export const BLOCK_STATES = ['active', 'expired', 'all'] as const;
export type BlockState = (typeof BLOCK_STATES)[number];
export const BLOCK_FORMATS = ['blocks', 'history'] as const;
export type BlockFormat = (typeof BLOCK_FORMATS)[number];

interface Base<T extends QueryType> extends DataQuery {
  queryType: T;
}

/** `sessions`: the session list. */
export interface SessionsQuery extends Base<'sessions'>, Filters {
  idle_timeout_minutes?: number;
  split_by_day?: boolean;
  sort?: SessionSort;
  limit?: number;
  min_requests?: number;
  min_attacks?: number;
}

/** `timeline`: the requests of one session part. */
export interface TimelineQuery extends Base<'timeline'> {
  session_id: string;
  /** Part start, epoch ms (or a variable); defaults to the range start. */
  start?: NumberOrVariable;
  end?: NumberOrVariable;
  format?: (typeof TIMELINE_FORMATS)[number];
  page?: number;
  page_size?: number;
}

/** `requests`: the filtered request log. */
export interface RequestsQuery extends Base<'requests'>, Filters {
  format?: (typeof REQUESTS_FORMATS)[number];
  page?: number;
  page_size?: number;
}

/** `breakdown`: shares by one dimension, optionally scoped to a session part (`session_id` + `start` + `end`). */
export interface BreakdownQuery extends Base<'breakdown'>, Filters {
  by: BreakdownBy;
  limit?: number;
  start?: NumberOrVariable;
  end?: NumberOrVariable;
}

/** `performance`: latency, rates and errors. */
export interface PerformanceQuery extends Base<'performance'>, Filters {
  view?: PerformanceView;
  by_endpoint?: boolean;
  limit?: number;
}

/** `patterns`: number of sessions per interval that meet a condition. */
export interface PatternsQuery extends Base<'patterns'>, Filters {
  condition: PatternCondition;
  threshold?: number;
  endpoint_pattern?: string;
  group_by?: PatternGroupBy;
}

/** `inventory`: one row per endpoint with its API status, traffic, error rate and first/last seen. */
export interface InventoryQuery extends Base<'inventory'>, Filters {
  sort?: InventorySort;
  /** Endpoints to return (1–1000, service default 100). */
  limit?: number;
}

/** `blocks`: the blocks (one row each) or their history (one row per created / ended / expired event). */
export interface BlocksQuery extends Base<'blocks'> {
  /** `expired` = no longer in force (expired or ended early). */
  state?: BlockState;
  format?: BlockFormat;
  /** Rows to return (1–1000, service default 100). */
  limit?: number;
}

/** A query of this data source, discriminated by `queryType`. */
export type ApiSessionsQuery =
  | SessionsQuery
  | TimelineQuery
  | RequestsQuery
  | BreakdownQuery
  | PerformanceQuery
  | PatternsQuery
  | InventoryQuery
  | BlocksQuery;

/** The query model of one query type. */
export type QueryOf<T extends QueryType> = Extract<ApiSessionsQuery, { queryType: T }>;
