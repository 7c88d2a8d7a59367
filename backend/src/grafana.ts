/**
 * Facts the service shares with the bundled Grafana dashboards (src/dashboards/*.json), defined once: the dashboards'
 * uids and paths, the data links the query frames carry (session details, the endpoint's sessions, Explore), and the
 * data source the provisioned dashboards and alert rules use. The dashboards are JSON that Grafana loads as they are;
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
 * Data link on a `session_id` field: the session-details dashboard for the clicked part (its `start`/`end` fields as
 * epoch ms), keeping the time range.
 */
export const SESSION_DETAILS_LINK: DataLink = {
  title: 'Session details',
  url: dashboardPath(DASHBOARDS.sessionDetails, [
    'var-session=${__value.raw}',
    'var-start=${__data.fields.start.numeric}',
    'var-end=${__data.fields.end.numeric}',
    TIME_RANGE,
  ]),
};

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
 * Data links on `session_id`: the session-details dashboard, and Explore (the part's requests as a table) when the
 * data source uid is known.
 */
export function sessionLinks(datasourceUid?: string): DataLink[] {
  if (!datasourceUid) return [SESSION_DETAILS_LINK];
  const query = { queryType: 'timeline', session_id: '${__value.raw}', format: 'table' };
  return [SESSION_DETAILS_LINK, exploreLink('Explore requests', datasourceUid, query)];
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
