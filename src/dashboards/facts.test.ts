/**
 * @jest-environment node
 *
 * The dashboards are JSON that Grafana loads as they are, so they cannot import the facts they share with the query
 * engine. This test holds them to the one definition (backend/src/grafana.ts): every dashboard uid, every link to a
 * dashboard, every data link and every data source reference in src/dashboards/*.json and provisioning/ must be
 * exactly what that module builds.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { DASHBOARDS, PROVISIONED_DATASOURCE, dashboardPath } from '../../backend/src/grafana';
import { SERVICE_LINKS } from '../test/dashboard-links';

const ROOT = path.join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
const readYaml = (file: string) => parse(fs.readFileSync(path.join(ROOT, 'provisioning', file), 'utf8'));

/** Every object in a JSON tree, with its path (for messages). */
function objects(node: unknown, at = '$'): Array<{ at: string; value: Record<string, unknown> }> {
  if (Array.isArray(node)) {
    return node.flatMap((v, i) => objects(v, `${at}[${i}]`));
  }
  if (node === null || typeof node !== 'object') {
    return [];
  }
  const value = node as Record<string, unknown>;
  return [{ at, value }, ...Object.entries(value).flatMap(([k, v]) => objects(v, `${at}.${k}`))];
}

const DASHBOARD_LINKS = Object.values(DASHBOARDS).map((d) => ({ title: d.title, url: dashboardPath(d) }));
const DATA_LINKS = SERVICE_LINKS.map((l) => l.link);

describe.each(Object.values(DASHBOARDS).map((d) => [d.file, d] as const))('%s', (file, facts) => {
  const dashboard = readJson(file);
  const all = objects(dashboard);

  it('has the uid of the facts module', () => {
    expect(dashboard.uid).toBe(facts.uid);
  });

  it('links to other dashboards by the paths and titles of the facts module', () => {
    for (const link of dashboard.links ?? []) {
      expect(DASHBOARD_LINKS).toContainEqual({ title: link.title, url: link.url });
    }
  });

  it('has only the data links of the facts module', () => {
    const dataLinks = all.filter(
      ({ at, value }) => typeof value.url === 'string' && value.url.includes('/d/') && !/^\$\.links\[\d+\]$/.test(at),
    );
    const known = (v: Record<string, unknown>) => DATA_LINKS.some((l) => l.title === v.title && l.url === v.url);
    expect(dataLinks.filter(({ value }) => !known(value)).map(({ at, value }) => `${at}: ${value.url}`)).toEqual([]);
  });

  it('uses only the provisioned data source', () => {
    const refs = all.filter(({ value }) => 'datasource' in value && typeof value.datasource === 'object');
    expect(refs.length).toBeGreaterThan(0);
    for (const { at, value } of refs) {
      const ds = value.datasource as { type?: string };
      if (ds.type === 'grafana' || ds.type === 'datasource') {
        continue;
      } // Grafana's built-in annotations
      expect({ at, ds }).toEqual({ at, ds: PROVISIONED_DATASOURCE });
    }
  });
});

test('provisioning: the data source and the alert rules use the uid and type of the facts module', () => {
  const [ds] = readYaml('datasources/api-sessions.yaml').datasources;
  const [prometheus] = readYaml('datasources/prometheus.yaml').datasources;
  expect({ type: ds.type, uid: ds.uid }).toEqual(PROVISIONED_DATASOURCE);
  const rules = readYaml('alerting/rules.yaml').groups.flatMap((g: { rules: unknown[] }) => g.rules);
  const queries = rules
    .flatMap((r: { data: Array<{ datasourceUid: string; model: { datasource: unknown } }> }) => r.data)
    // Expressions, and the spool-growth rule on the service's own metrics (the provisioned Prometheus), aside.
    .filter((q: { datasourceUid: string }) => q.datasourceUid !== '__expr__' && q.datasourceUid !== prometheus.uid);
  expect(queries.length).toBeGreaterThan(0);
  for (const q of queries) {
    expect(q.datasourceUid).toBe(PROVISIONED_DATASOURCE.uid);
    expect(q.model.datasource).toEqual(PROVISIONED_DATASOURCE);
  }
});
