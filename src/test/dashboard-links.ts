/**
 * Helpers for the link checks (src/dashboards/links.test.ts, facts.test.ts): every data link the service's frames
 * carry (built in backend/src/grafana.ts), the bundled dashboards by uid with their variables, and a parser that
 * says which dashboard and which variables a link URL targets.
 */
import fs from 'fs';
import path from 'path';
import {
  DASHBOARDS,
  breakdownCountLinks,
  breakdownLinks,
  endpointLinks,
  requestLinks,
  sessionLinks,
  sessionListLink,
  type BundledDashboard,
} from '../../backend/src/grafana';
import type { DataLink } from '../../backend/src/query/frames';
import { BREAKDOWN_BY } from '../types';

/** A data link of the service's frames, with where it sits (for messages). */
export interface ServiceLink {
  where: string;
  link: DataLink;
}

const onFields = (where: string, byField: Record<string, DataLink[]>): ServiceLink[] =>
  Object.entries(byField).flatMap(([field, links]) => links.map((link) => ({ where: `${where}.${field}`, link })));

/** Every dashboard data link the service's frames carry (Explore links, which have no URL, left out). */
export const SERVICE_LINKS: ServiceLink[] = [
  ...sessionLinks(30, 'ds').map((link) => ({ where: 'sessions.session_id', link })),
  ...endpointLinks('ds').map((link) => ({ where: 'inventory.endpoint', link })),
  ...onFields('requests', requestLinks()),
  ...onFields('timeline(table)', requestLinks({ start: 1, end: 2 })),
  ...['nodes.id', 'table.from_endpoint', 'table.to_endpoint'].map((at) => ({
    where: `sequences(${at})`,
    link: sessionListLink('endpoint'),
  })),
  ...BREAKDOWN_BY.flatMap((by) => breakdownLinks(by).map((link) => ({ where: `breakdown(by=${by}).value`, link }))),
  ...BREAKDOWN_BY.flatMap((by) =>
    breakdownCountLinks(by).map((link) => ({ where: `breakdown(by=${by}).count`, link })),
  ),
].filter(({ link }) => link.url !== '');

/** A bundled dashboard's JSON, as Grafana loads it. */
export interface DashboardJson {
  uid: string;
  title: string;
  templating: { list: Array<{ name: string; type: string; current?: { value?: unknown }; datasource?: unknown }> };
  panels: Array<Record<string, unknown>>;
  links?: Array<{ title: string; url: string }>;
}

/** Reads a bundled dashboard. */
export function loadDashboard(d: BundledDashboard): DashboardJson {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'dashboards', d.file), 'utf8'));
}

/** The bundled dashboards by uid. */
export const DASHBOARDS_BY_UID: ReadonlyMap<string, DashboardJson> = new Map(
  Object.values(DASHBOARDS).map((d) => [d.uid, loadDashboard(d)]),
);

/** What a link URL targets: the dashboard uid and the variables it sets (`var-x=…`). */
export interface LinkTarget {
  uid: string;
  variables: string[];
}

/**
 * Parses a Grafana dashboard URL, relative or absolute, with `${…}` placeholders left as they are.
 * @example linkTarget('/d/abc/slug?var-user=${__value.raw}&${__url_time_range}') → { uid: 'abc', variables: ['user'] }
 * @throws Error when the URL is not a `/d/<uid>` dashboard URL.
 */
export function linkTarget(url: string): LinkTarget {
  const m = /\/d\/([^/?#]+)(?:\/[^?#]*)?(?:\?([^#]*))?/.exec(url);
  if (!m) {
    throw new Error(`not a dashboard URL: ${url}`);
  }
  const variables = (m[2] ?? '')
    .split('&')
    .map((p) => /^var-([^=]+)=/.exec(p)?.[1])
    .filter((v): v is string => v !== undefined);
  return { uid: m[1], variables };
}

/**
 * Why a link URL would not open what it says: an unknown dashboard uid or a variable the dashboard does not declare.
 * Returns an empty list when it resolves.
 */
export function unresolved(url: string): string[] {
  const target = linkTarget(url);
  const dashboard = DASHBOARDS_BY_UID.get(target.uid);
  if (!dashboard) {
    return [`no bundled dashboard has uid ${target.uid}`];
  }
  const names = new Set(dashboard.templating.list.map((v) => v.name));
  return target.variables.filter((v) => !names.has(v)).map((v) => `dashboard ${target.uid} has no variable ${v}`);
}
