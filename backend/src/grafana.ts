/**
 * Facts the service shares with the bundled Grafana dashboards (src/dashboards/*.json), defined once: the dashboards'
 * uids and paths, the variables every one of them declares, the data links the query frames carry (session details,
 * the session list filtered to a value, the endpoint's sessions, Explore), and the data source the provisioned
 * dashboards and alert rules use. The dashboards are JSON that Grafana loads as they are;
 * src/dashboards/facts.test.ts checks every uid, dashboard link, data link and data source reference in them (and in
 * provisioning/) against this module.
 */
import type { DataLink } from './query/frames';

/** A bundled dashboard: its fixed uid, the slug of its URL, its file under src/dashboards/ and its title. */
export interface BundledDashboard {
  uid: string;
  slug: string;
  file: string;
  title: string;
}

/** The bundled dashboards. */
export const DASHBOARDS = {
  sessions: { uid: 'api-sessions-overview', slug: 'api-sessions', file: 'api-sessions.json', title: 'API Sessions' },
  sessionDetails: {
    uid: 'api-sessions-details',
    slug: 'session-details',
    file: 'session-details.json',
    title: 'Session details',
  },
  performance: {
    uid: 'api-sessions-performance',
    slug: 'api-performance',
    file: 'api-performance.json',
    title: 'API Performance',
  },
  inventory: {
    uid: 'api-sessions-inventory',
    slug: 'api-inventory',
    file: 'api-inventory.json',
    title: 'API inventory',
  },
} as const satisfies Record<string, BundledDashboard>;

/** The data source the provisioned dashboards and alert rules use (provisioning/datasources/api-sessions.yaml). */
export const PROVISIONED_DATASOURCE = { type: 'apisessions-sessions-datasource', uid: 'api-sessions' } as const;

/**
 * The path of a dashboard, with optional query parameters written as given (Grafana interpolates `${…}` in them).
 * @example dashboardPath(DASHBOARDS.sessions) → '/d/api-sessions-overview/api-sessions'
 */
export function dashboardPath(d: BundledDashboard, params: readonly string[] = []): string {
  const path = `/d/${d.uid}/${d.slug}`;
  return params.length ? `${path}?${params.join('&')}` : path;
}

/** Grafana keeps the viewer's time range across a link with this variable. */
const TIME_RANGE = '${__url_time_range}';

/**
 * The filter variables every bundled dashboard declares (textboxes: empty = no filter), in the service's filter
 * names, so a link can set any of them on any dashboard (`var-client_ip=…`) and every panel's query uses them.
 */
export const FILTER_VARIABLES = ['host', 'app', 'user', 'attack_type', 'api_status', 'flow', 'client_ip'] as const;

/** A filter variable of the bundled dashboards. */
export type FilterVariable = (typeof FILTER_VARIABLES)[number];

/**
 * The idle-timeout variable every bundled dashboard declares: sessions queries send it as `idle_timeout_minutes`;
 * empty (the default) drops the parameter, so the data source's `defaultIdleTimeoutMinutes` applies.
 */
export const IDLE_TIMEOUT_VARIABLE = 'idle_timeout';

/** The ad-hoc filter variable every bundled dashboard declares (on the provisioned data source). */
export const ADHOC_VARIABLE = 'Filters';

/**
 * Data link on a `session_id` field of a part row: the session-details dashboard for the clicked part (its
 * `start`/`end` fields as epoch ms) with the idle timeout the part was computed with, keeping the time range.
 * @example sessionDetailsLink(30).url → '/d/api-sessions-details/session-details?var-session=${__value.raw}&var-start=
 *   ${__data.fields.start.numeric}&var-end=${__data.fields.end.numeric}&var-idle_timeout=30&${__url_time_range}'
 */
export function sessionDetailsLink(idleTimeoutMinutes: number): DataLink {
  return {
    title: 'Session details',
    url: dashboardPath(DASHBOARDS.sessionDetails, [
      'var-session=${__value.raw}',
      'var-start=${__data.fields.start.numeric}',
      'var-end=${__data.fields.end.numeric}',
      `var-${IDLE_TIMEOUT_VARIABLE}=${idleTimeoutMinutes}`,
      TIME_RANGE,
    ]),
  };
}

/**
 * Data link on the `session_id` of a request row: the session-details dashboard for its session. `part` (the
 * timeline's own part, epoch ms) opens exactly that part; without it (the request log, where a request's part is not
 * known) start and end are cleared, so the dashboard shows the session's requests in the kept time range and lists
 * its parts ("Parts of this session"), each one click away.
 */
export function requestSessionLink(part?: { start: number; end: number }): DataLink {
  return {
    title: 'Session of this request',
    url: dashboardPath(DASHBOARDS.sessionDetails, [
      'var-session=${__value.raw}',
      `var-start=${part?.start ?? ''}`,
      `var-end=${part?.end ?? ''}`,
      TIME_RANGE,
    ]),
  };
}

/** Titles of the session-list links, by the filter they set. */
const SESSION_LIST_TITLES: Record<FilterVariable | 'endpoint', string> = {
  host: 'Sessions on this host',
  app: 'Sessions of this application',
  user: 'Sessions of this user',
  attack_type: 'Sessions with this attack type',
  api_status: 'Sessions calling endpoints with this API status',
  flow: 'Sessions in this business flow',
  client_ip: 'Sessions from this IP',
  endpoint: 'Sessions that called this endpoint',
};

/**
 * Data link on a field holding one value of a filter (an IP, a user, an endpoint, an attack type, …): the API Sessions
 * dashboard's session list filtered to the clicked value, keeping the time range.
 * @example sessionListLink('client_ip').url → '/d/api-sessions-overview/api-sessions?var-client_ip=
 *   ${__value.raw:percentencode}&${__url_time_range}'
 */
export function sessionListLink(
  variable: FilterVariable | 'endpoint',
  value = '${__value.raw:percentencode}',
): DataLink {
  return {
    title: SESSION_LIST_TITLES[variable],
    url: dashboardPath(DASHBOARDS.sessions, [`var-${variable}=${value}`, TIME_RANGE]),
  };
}

/** The filters whose breakdown rows link to the session list (`by` value → variable of the same name). */
const LINKED_BREAKDOWNS: ReadonlySet<string> = new Set([...FILTER_VARIABLES, 'endpoint']);

/** Data links on a breakdown's `value` field: the session list filtered to the value, when `by` is such a filter. */
export function breakdownLinks(by: string): DataLink[] {
  return LINKED_BREAKDOWNS.has(by) ? [sessionListLink(by as FilterVariable | 'endpoint')] : [];
}

/**
 * The same link on a breakdown's `count` field, the row's value read from the row: a bar gauge draws `count`, and a
 * bar opens the links of the field it draws.
 */
export function breakdownCountLinks(by: string): DataLink[] {
  return LINKED_BREAKDOWNS.has(by)
    ? [sessionListLink(by as FilterVariable | 'endpoint', '${__data.fields.value:percentencode}')]
    : [];
}

/** Data link on an inventory `endpoint` field: the API inventory dashboard listing the sessions that used it. */
export const ENDPOINT_SESSIONS_LINK: DataLink = {
  title: 'Sessions that used this endpoint',
  url: dashboardPath(DASHBOARDS.inventory, [
    'var-endpoint=${__value.raw:percentencode}',
    'var-method=${__data.fields.method}',
    'var-host=${__data.fields.host}',
    'var-api_status=${__data.fields.api_status}',
    TIME_RANGE,
  ]),
};

/**
 * An Explore link: Grafana opens `query` on the data source `datasourceUid` (the one that answered, so it works for
 * any data source name; the link's title is what Grafana shows).
 */
function exploreLink(title: string, datasourceUid: string, query: Record<string, unknown>): DataLink {
  return { title, url: '', internal: { datasourceUid, query } };
}

/**
 * Data links on a part's `session_id`: the session-details dashboard (with the idle timeout the part was computed
 * with), and Explore (the part's requests as a table) when the data source uid is known.
 */
export function sessionLinks(idleTimeoutMinutes: number, datasourceUid?: string): DataLink[] {
  const details = sessionDetailsLink(idleTimeoutMinutes);
  if (!datasourceUid) return [details];
  const query = { queryType: 'timeline', session_id: '${__value.raw}', format: 'table' };
  return [details, exploreLink('Explore requests', datasourceUid, query)];
}

/**
 * Data links of the request table (requests and the timeline's table form), by field name: the request's session
 * (`part` when the rows are one known part), and the session list filtered by its client IP or endpoint. (No user
 * link: many requests have no user, and an empty value would open the unfiltered list.)
 */
export function requestLinks(part?: { start: number; end: number }): Record<string, DataLink[]> {
  return {
    session_id: [requestSessionLink(part)],
    client_ip: [sessionListLink('client_ip')],
    endpoint: [sessionListLink('endpoint')],
  };
}

/**
 * Data links on an inventory `endpoint`: the sessions that used it on the API inventory dashboard, and Explore (a
 * `sessions` query filtered by host, method and endpoint) when the data source uid is known.
 */
export function endpointLinks(datasourceUid?: string): DataLink[] {
  if (!datasourceUid) return [ENDPOINT_SESSIONS_LINK];
  const query = {
    queryType: 'sessions',
    endpoint: '${__value.raw}',
    method: '${__data.fields.method}',
    host: '${__data.fields.host}',
  };
  return [ENDPOINT_SESSIONS_LINK, exploreLink('Explore sessions', datasourceUid, query)];
}
