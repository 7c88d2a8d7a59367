/**
 * Dashboard filters end to end, against the real node: the plugin's own `DataSource.applyTemplateVariables`
 * (src/datasource.ts — template variables interpolated, ad-hoc filters folded in) prepares a bundled-dashboard-style
 * query, Grafana's envelope keys are stripped as the plugin backend strips them (GRAFANA_ENVELOPE_KEYS), and the
 * result is POSTed to `/v1/query`: the answer's rows are only those the filters choose.
 */
import type { AdHocVariableFilter, DataSourceInstanceSettings } from '@grafana/data';
import { replaceVariables } from '../../../harness/src/variables';
import { DataSource } from '../../../src/datasource';
import { GRAFANA_ENVELOPE_KEYS } from '../../../src/data/query-model';
import type { ApiSessionsOptions, ApiSessionsQuery } from '../../../src/types';
import { DAY, NOW, framesOf, generateDataset, rows, useQueryServer } from './fixtures';

/** The dashboard's variables, as Grafana's template service would hold them (empty = no filter). */
const variables: Record<string, string> = {};
const RANGE = { from: NOW - 5 * DAY, to: NOW };

// Grafana's side of the data source: its template service, with the syntax the bundled dashboards use
// (harness/src/variables.ts), and a bare base class in place of DataSourceWithBackend (whose request path — Grafana's
// backend service, then the Go plugin — this test replaces by its own POST).
jest.mock('@grafana/runtime', () => ({
  DataSourceWithBackend: class {
    constructor(readonly instanceSettings: unknown) {}
  },
  getTemplateSrv: () => ({ replace: (text: string) => replaceVariables(text, variables, RANGE) }),
}));
// Template-variable support draws an editor with @grafana/ui (browser-only modules); no query here uses it.
jest.mock('../../../src/variables', () => ({ ApiSessionsVariableSupport: class {}, toMetricFindValues: () => [] }));

const server = useQueryServer('query-dashboard-filters', () => generateDataset({ actors: 24 }));

const dataSource = new DataSource({
  id: 1,
  uid: 'api-sessions',
  type: 'apisessions-sessions-datasource',
  name: 'API Sessions',
  jsonData: {},
  meta: {},
} as unknown as DataSourceInstanceSettings<ApiSessionsOptions>);

/** A panel target as a bundled dashboard saves it: the envelope keys Grafana adds, every filter a variable. */
function savedTarget(query: Record<string, unknown>): ApiSessionsQuery {
  return {
    refId: 'A',
    datasource: { type: 'apisessions-sessions-datasource', uid: 'api-sessions' },
    hide: false,
    key: 'Q-1',
    intervalMs: 60_000,
    maxDataPoints: 1000,
    host: '$host',
    user: '$user',
    client_ip: '$client_ip',
    ...query,
  } as unknown as ApiSessionsQuery;
}

/** What Grafana → plugin backend → service does with one target; returns the rows of the first frame. */
async function runThroughPlugin(target: ApiSessionsQuery, filters: AdHocVariableFilter[] = []) {
  const prepared = dataSource.applyTemplateVariables(target, {}, filters) as unknown as Record<string, unknown>;
  const model = Object.fromEntries(Object.entries(prepared).filter(([k]) => !GRAFANA_ENVELOPE_KEYS.includes(k)));
  const [frame] = framesOf(await server.query({ ...model, from: RANGE.from, to: RANGE.to }));
  return rows(frame);
}

function setVariables(values: Record<string, string>) {
  for (const k of Object.keys(variables)) delete variables[k];
  Object.assign(variables, { host: '', user: '', client_ip: '' }, values);
}

describe('dashboard filters reach the service as filters', () => {
  beforeEach(() => setVariables({}));

  test('unfiltered, the dataset has several hosts and client IPs (so the filters below narrow something)', async () => {
    const all = await runThroughPlugin(savedTarget({ queryType: 'requests', page_size: 1000 }));
    expect(new Set(all.map((r) => r.host)).size).toBeGreaterThan(1);
    expect(new Set(all.map((r) => r.client_ip)).size).toBeGreaterThan(5);
  });

  test('an ad-hoc client_ip filter: only that IP’s requests and sessions', async () => {
    const ip = '10.1.4.28';
    const filters = [{ key: 'client_ip', operator: '=', value: ip }];
    const requests = await runThroughPlugin(savedTarget({ queryType: 'requests', page_size: 1000 }), filters);
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.client_ip))).toEqual(new Set([ip]));
    const sessions = await runThroughPlugin(savedTarget({ queryType: 'sessions', limit: 100 }), filters);
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(String(s.client_ips).split(', ')).toContain(ip);
  });

  test('the $host template variable and an ad-hoc user filter together narrow a breakdown and the requests', async () => {
    setVariables({ host: 'api.example.com' });
    const filters = [{ key: 'user', operator: '=', value: 'user1' }];
    const byUser = await runThroughPlugin(savedTarget({ queryType: 'breakdown', by: 'user', limit: 10 }), filters);
    expect(byUser.map((r) => r.value)).toEqual(['user1']);
    const requests = await runThroughPlugin(savedTarget({ queryType: 'requests', page_size: 1000 }), filters);
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => `${r.host} ${r.user}`))).toEqual(new Set(['api.example.com user1']));
  });

  test('an ad-hoc filter replaces the panel’s own value for the same filter', async () => {
    const filters = [{ key: 'host', operator: '=', value: 'shop.example.com' }];
    const requests = await runThroughPlugin(savedTarget({ queryType: 'requests', host: 'api.example.com' }), filters);
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.host))).toEqual(new Set(['shop.example.com']));
  });

  test('an ad-hoc attacked=true filter: only attacked sessions', async () => {
    const filters = [{ key: 'attacked', operator: '=', value: 'true' }];
    const sessions = await runThroughPlugin(savedTarget({ queryType: 'sessions', limit: 100 }), filters);
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.attacks).toBeGreaterThan(0);
  });
});
