import { FieldType, getFieldDisplayValuesProxy, toDataFrame } from '@grafana/data';
import fs from 'fs';
import { get } from 'lodash';
import path from 'path';
import { DASHBOARDS, ENDPOINT_SESSIONS_LINK, PROVISIONED_DATASOURCE } from '../../backend/src/grafana';
import { incompleteReason } from '../data/defaults';
import { isQueryType, type ApiSessionsQuery } from '../types';
import plugin from '../../plugin.json';

/** Every panel and target uses the provisioned data source (uid and type from backend/src/grafana.ts). */
const DATASOURCE = PROVISIONED_DATASOURCE;

interface Panel {
  title: string;
  type: string;
  datasource?: unknown;
  targets?: Array<ApiSessionsQuery & { datasource?: unknown }>;
  panels?: Panel[];
  fieldConfig?: { overrides?: Array<{ properties: Array<{ id: string; value: unknown }> }> };
}

const load = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
const flatten = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);

describe('bundled dashboards', () => {
  it('are exactly the files plugin.json includes', () => {
    const files = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(
      Object.values(DASHBOARDS)
        .map((d) => d.file)
        .sort(),
    );
    expect(plugin.includes.map((i) => ({ name: i.name, path: i.path }))).toEqual(
      Object.values(DASHBOARDS).map((d) => ({ name: d.title, path: `dashboards/${d.file}` })),
    );
  });

  describe.each(Object.values(DASHBOARDS).map((d) => [d.file, d] as const))('%s', (file, facts) => {
    const dashboard = load(file);
    const panels = flatten(dashboard.panels).filter((p) => p.type !== 'row');

    it('has its fixed uid and title', () => {
      expect(dashboard.uid).toBe(facts.uid);
      expect(dashboard.title).toBe(facts.title);
    });

    it.each(panels.map((p) => [p.title, p] as const))(
      'panel "%s" runs complete queries on the provisioned data source',
      (_title, panel) => {
        expect(panel.datasource).toEqual(DATASOURCE);
        expect(panel.targets?.length).toBeGreaterThan(0);
        const refIds = new Set<string>();
        for (const target of panel.targets ?? []) {
          expect(target.refId).toMatch(/^[A-Z]$/);
          refIds.add(target.refId);
          expect(isQueryType(target.queryType)).toBe(true);
          expect(target.datasource).toEqual(DATASOURCE);
          expect(incompleteReason(target)).toBeUndefined();
        }
        expect(refIds.size).toBe(panel.targets?.length);
      },
    );

    it('annotations use the data source with a query', () => {
      for (const anno of dashboard.annotations.list.filter((a: { builtIn?: number }) => !a.builtIn)) {
        expect(anno.datasource).toEqual(DATASOURCE);
        expect(isQueryType(anno.target.queryType)).toBe(true);
      }
    });
  });

  it('session details declares the variables the links set', () => {
    const names = load('session-details.json').templating.list.map((v: { name: string }) => v.name);
    expect(names).toEqual(['session', 'start', 'end']);
  });
});

describe('API inventory dashboard', () => {
  const dashboard = load('api-inventory.json');
  const names: string[] = dashboard.templating.list.map((v: { name: string }) => v.name);

  it('is where an endpoint links (the inventory frames carry the link), with the variables the link sets', () => {
    const url = ENDPOINT_SESSIONS_LINK.url;
    expect(url.startsWith(`/d/${dashboard.uid}/`)).toBe(true);
    expect(url).toContain('${__url_time_range}');
    const set = [...url.matchAll(/var-(\w+)=/g)].map((m) => m[1]);
    expect(set.sort()).toEqual(['api_status', 'endpoint', 'host', 'method']);
    for (const v of set) {
      expect(names).toContain(v);
    }
  });

  it('lists shadow and zombie endpoints by default, and filters the session list by the clicked endpoint', () => {
    const statusVar = dashboard.templating.list.find((v: { name: string }) => v.name === 'api_status');
    expect(statusVar.current.value).toEqual(['shadow', 'zombie']);
    const targets = flatten(dashboard.panels).flatMap((p) => p.targets ?? []) as unknown as Array<
      Record<string, unknown>
    >;
    expect(targets.find((t) => t.queryType === 'inventory')).toMatchObject({ api_status: '${api_status:csv}' });
    expect(targets.find((t) => t.queryType === 'sessions')).toMatchObject({
      api_status: '${api_status:csv}',
      endpoint: '$endpoint',
      method: '$method',
      host: '$host',
    });
  });
});

describe('session link variables', () => {
  it('${__data.fields.start.numeric} gives the epoch ms of a time field on the clicked row', () => {
    // Grafana resolves ${__data.<path>} with getFieldAccessor(path) on {name, refId, fields: this proxy}.
    const frame = toDataFrame({
      fields: [
        { name: 'session_id', type: FieldType.string, values: ['a', 'b'] },
        { name: 'start', type: FieldType.time, values: [1764300000000, 1764300600000] },
      ],
    });
    const fields = getFieldDisplayValuesProxy({ frame, rowIndex: 1 });
    expect(get({ fields }, 'fields.start.numeric')).toBe(1764300600000);
  });
});
