/**
 * The panels the browser harness draws: every table, time-series and bar-gauge panel of the bundled dashboards
 * (src/dashboards/*.json), each with the frames the real service answers to its queries — interpolated as Grafana
 * would with the dashboard's variable defaults (and, for the session-details dashboard, a real session part with
 * attacks), sent to POST /v1/query the way the plugin backend sends them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataFrameJSON } from '@grafana/data';
import { PROVISIONED_DATASOURCE } from '../backend/src/grafana';
import { interpolateQuery } from '../src/data/interpolate';
import { GRAFANA_ENVELOPE_KEYS } from '../src/data/query-model';
import type { ApiSessionsQuery } from '../src/types';
import type { PanelSpec } from './src/panel-data';
import { replaceVariables } from './src/variables';
import type { Stack } from './stack';

/** The bundled dashboards (HARNESS_DASHBOARDS_DIR: another copy of them, e.g. to try a change before making it). */
const DASHBOARDS = process.env.HARNESS_DASHBOARDS_DIR ?? path.join(__dirname, '..', 'src', 'dashboards');
/** The panel types drawn (the others — pie chart, traces, logs — need Grafana's own panel plugins). */
const DRAWN = new Set<string>(['table', 'timeseries', 'bargauge']);
const INTERVAL_MS = 60_000;

interface DashboardPanel {
  title: string;
  type: string;
  targets?: Array<ApiSessionsQuery & Record<string, unknown>>;
  fieldConfig: PanelSpec['fieldConfig'];
  options: PanelSpec['options'];
  transformations?: PanelSpec['transformations'];
  panels?: DashboardPanel[];
}

/** The parts of a bundled dashboard the harness reads. */
export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; type?: string; current?: { value?: string | string[] } }> };
}

/** The time range queries run on (epoch ms). */
export type Range = { from: number; to: number };

/** Sends one query to the service as the plugin backend does; returns its frames or throws with the answer. */
async function runQuery(
  stack: Stack,
  query: Record<string, unknown>,
  range: Range = stack.range,
): Promise<DataFrameJSON[]> {
  // The plugin backend strips Grafana's envelope keys (the service refuses unknown parameters).
  const model = Object.fromEntries(Object.entries(query).filter(([k]) => !GRAFANA_ENVELOPE_KEYS.includes(k)));
  const body = {
    ...model,
    from: range.from,
    to: range.to,
    interval_ms: INTERVAL_MS,
    max_data_points: 1000,
    datasource_uid: PROVISIONED_DATASOURCE.uid,
  };
  const res = await fetch(`${stack.serviceUrl}/v1/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.queryToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`POST /v1/query ${JSON.stringify(body)} → ${res.status} ${text.slice(0, 500)}`);
  }
  return (JSON.parse(text) as { frames: DataFrameJSON[] }).frames;
}

/** session/start/end of the session part with the most attacks, as the session-details dashboard receives them. */
async function sessionVariables(stack: Stack): Promise<Record<string, string>> {
  const [frame] = await runQuery(stack, { refId: 'S', queryType: 'sessions', sort: 'attacks', limit: 1 });
  const names = frame?.schema?.fields.map((f) => f.name) ?? [];
  const value = (name: string) => frame?.data?.values[names.indexOf(name)]?.[0];
  if (value('session_id') === undefined) {
    throw new Error('the sessions query found no session part for the session-details dashboard');
  }
  return { session: String(value('session_id')), start: String(value('start')), end: String(value('end')) };
}

/** A dashboard's variables at their saved values (a multi-value variable comma-joined, as `:csv` formats it). */
export function variableDefaults(dashboard: Dashboard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of dashboard.templating.list) {
    const value = v.current?.value;
    out[v.name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  return out;
}

const flatten = (panels: DashboardPanel[]): DashboardPanel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A bundled dashboard file (src/dashboards/<file>), parsed. */
export function readDashboard(file: string): Dashboard {
  return JSON.parse(fs.readFileSync(path.join(DASHBOARDS, file), 'utf8'));
}

/**
 * The drawn panels of one dashboard with the service's frames for its queries, run on `range` with `vars` (the
 * dashboard's variables: its defaults under what the caller sets).
 */
export async function loadDashboardSpecs(
  stack: Stack,
  file: string,
  vars: Record<string, string>,
  range: Range,
): Promise<PanelSpec[]> {
  const dashboard = readDashboard(file);
  const specs: PanelSpec[] = [];
  for (const panel of flatten(dashboard.panels).filter((p) => DRAWN.has(p.type))) {
    const frames: DataFrameJSON[] = [];
    for (const target of panel.targets ?? []) {
      const query = interpolateQuery(target, (v) => replaceVariables(v, vars, range));
      frames.push(...(await runQuery(stack, query, range)));
    }
    specs.push({
      id: `panel-${slug(file.replace(/\.json$/, ''))}--${slug(panel.title)}`,
      dashboard: dashboard.title,
      title: panel.title,
      type: panel.type as PanelSpec['type'],
      fieldConfig: panel.fieldConfig,
      options: panel.options,
      transformations: panel.transformations,
      frames,
      range,
      vars,
    });
  }
  return specs;
}

/** Every drawn panel of every bundled dashboard with the service's frames for its queries. */
export async function loadPanelSpecs(stack: Stack): Promise<PanelSpec[]> {
  const session = await sessionVariables(stack);
  const specs: PanelSpec[] = [];
  for (const file of fs.readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const vars = { ...variableDefaults(readDashboard(file)), ...(file === 'session-details.json' ? session : {}) };
    specs.push(...(await loadDashboardSpecs(stack, file, vars, stack.range)));
  }
  return specs;
}
