import { FieldType, getFieldDisplayValuesProxy, toDataFrame } from '@grafana/data';
import fs from 'fs';
import { get } from 'lodash';
import path from 'path';
import {
  ADHOC_VARIABLE,
  DASHBOARDS,
  ENDPOINT_SESSIONS_LINK,
  FILTER_VARIABLES,
  IDLE_TIMEOUT_VARIABLE,
  PROVISIONED_DATASOURCE,
} from '../../backend/src/grafana';
import { incompleteReason } from '../data/defaults';
import { interpolateQuery } from '../data/interpolate';
import { FILTERED_QUERY_TYPES, isQueryType, type ApiSessionsQuery } from '../types';
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
    expect(names.slice(0, 3)).toEqual(['session', 'start', 'end']);
  });
});

interface Variable {
  name: string;
  type: string;
  current?: { value?: string | string[] };
  datasource?: unknown;
}

/** A variable reference as the dashboards write it: `$x`, `${x}` or `${x:format}`. */
const usesVariable = (value: unknown, name: string) =>
  typeof value === 'string' && new RegExp(`\\$(${name}\\b|\\{${name}(:[a-z]+)?\\})`).test(value);

/** Grafana's replacement with each variable at its saved value (multi-value comma-joined, as `:csv` gives). */
const atDefaults = (variables: Variable[]) => (text: string) =>
  text.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, plain?: string) => {
    const v = variables.find((x) => x.name === (braced ?? plain));
    const value = v?.current?.value;
    return v ? (Array.isArray(value) ? value.join(',') : (value ?? '')) : whole;
  });

describe.each(Object.values(DASHBOARDS).map((d) => [d.file] as const))('variables of %s', (file) => {
  const dashboard = load(file);
  const variables: Variable[] = dashboard.templating.list;
  const byName = new Map(variables.map((v) => [v.name, v]));
  const targets = flatten(dashboard.panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, target: t as unknown as Record<string, unknown> })),
  );
  const filtered = targets.filter(({ target }) =>
    (FILTERED_QUERY_TYPES as readonly unknown[]).includes(target.queryType),
  );

  it.each(FILTER_VARIABLES.map((n) => [n] as const))('declares %s, empty (no filter) by default', (name) => {
    const v = byName.get(name);
    expect(v).toBeDefined();
    if (file === DASHBOARDS.inventory.file && name === 'api_status') {
      return; // the inventory's own multi-value choice, shadow and zombie by default (tested above)
    }
    expect(v).toMatchObject({ type: 'textbox', current: { value: '' } });
  });

  it('declares an ad-hoc filter variable on the provisioned data source', () => {
    expect(byName.get(ADHOC_VARIABLE)).toMatchObject({ type: 'adhoc', datasource: PROVISIONED_DATASOURCE });
  });

  it('uses every filter variable in every filtered query', () => {
    const missing = filtered.flatMap(({ panel, target }) =>
      FILTER_VARIABLES.filter((name) => !usesVariable(target[name], name)).map((name) => `${panel}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('hard-codes no idle timeout: every sessions and sequences query takes $idle_timeout, empty by default', () => {
    for (const { panel, target } of targets) {
      expect({ panel, idle: typeof target.idle_timeout_minutes }).not.toEqual({ panel, idle: 'number' });
    }
    const sessions = targets.filter(({ target }) => ['sessions', 'sequences'].includes(target.queryType as string));
    for (const { panel, target } of sessions) {
      expect({ panel, idle: target.idle_timeout_minutes }).toEqual({ panel, idle: `$${IDLE_TIMEOUT_VARIABLE}` });
    }
    if (sessions.length > 0) {
      expect(byName.get(IDLE_TIMEOUT_VARIABLE)).toMatchObject({ type: 'textbox', current: { value: '' } });
    }
  });

  it("at the variables' defaults, sends no filter and no idle timeout (the data source default applies)", () => {
    for (const { panel, target } of filtered) {
      const sent = interpolateQuery(target as unknown as ApiSessionsQuery, atDefaults(variables)) as unknown as Record<
        string,
        unknown
      >;
      const leftovers = Object.entries(sent).filter(([, v]) => typeof v === 'string' && v.includes('$'));
      expect({ panel, leftovers }).toEqual({ panel, leftovers: [] });
      expect({ panel, idle: sent.idle_timeout_minutes }).toEqual({ panel, idle: undefined });
      for (const name of FILTER_VARIABLES) {
        if (!(file === DASHBOARDS.inventory.file && name === 'api_status')) {
          expect({ panel, name, value: sent[name] }).toEqual({ panel, name, value: undefined });
        }
      }
    }
  });

  it('sends a set idle timeout as a number', () => {
    const set = variables.map((v) => (v.name === IDLE_TIMEOUT_VARIABLE ? { ...v, current: { value: '45' } } : v));
    for (const { target } of targets.filter(({ target }) =>
      ['sessions', 'sequences'].includes(target.queryType as string),
    )) {
      expect(interpolateQuery(target as unknown as ApiSessionsQuery, atDefaults(set))).toMatchObject({
        idle_timeout_minutes: 45,
      });
    }
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

/** Grafana panel actions (fetch) as saved in a dashboard. */
interface FetchAction {
  type: string;
  title: string;
  fetch: { method: string; url: string; queryParams?: Array<[string, string]> };
  variables?: Array<{ key: string }>;
}

/** The path glob docs/integrations/blocking.md tells operators to set in `[security] actions_allow_post_url`. */
const ALLOWED_ACTION_PATH = new RegExp(`^/api/datasources/uid/${PROVISIONED_DATASOURCE.uid}/resources/blocks`);

describe('blocking from the dashboards', () => {
  const actionsOf = (file: string) =>
    flatten(load(file).panels).flatMap((p) => {
      const fc = p.fieldConfig as {
        defaults?: { actions?: FetchAction[] };
        overrides?: Array<{ matcher: { options: string }; properties: Array<{ id: string; value: unknown }> }>;
      };
      const fromDefaults = (fc?.defaults?.actions ?? []).map((a) => ({ panel: p.title, field: '*', action: a }));
      const fromOverrides = (fc?.overrides ?? []).flatMap((o) =>
        o.properties
          .filter((prop) => prop.id === 'actions')
          .flatMap((prop) =>
            (prop.value as FetchAction[]).map((a) => ({ panel: p.title, field: o.matcher.options, action: a })),
          ),
      );
      return [...fromDefaults, ...fromOverrides];
    });

  it('offers "Block this session" on both session lists, posting the row\'s session id to the plugin resource', () => {
    const blocks = actionsOf('api-sessions.json').filter((a) => a.action.title === 'Block this session');
    expect(blocks.map((a) => [a.panel, a.field])).toEqual([
      ['Sessions', 'session_id'],
      ['Sessions with attacks', 'session_id'],
    ]);
    for (const { action } of blocks) {
      expect(action.fetch.url).toBe('/api/datasources/uid/api-sessions/resources/blocks');
      expect(Object.fromEntries(action.fetch.queryParams ?? [])).toEqual({
        session_id: '${__data.fields.session_id}',
        reason: '$reason',
        expires_in_minutes: '$minutes',
      });
      expect(action.variables?.map((v) => v.key)).toEqual(['reason', 'minutes']);
    }
  });

  it('offers "Block this session" on the session details summary for the $session variable', () => {
    const [block] = actionsOf('session-details.json');
    expect(block.action.title).toBe('Block this session');
    expect(Object.fromEntries(block.action.fetch.queryParams ?? []).session_id).toBe('$session');
  });

  it('shows a Blocks table of every block, each ending from its id', () => {
    const panel = flatten(load('api-sessions.json').panels).find((p) => p.title === 'Blocks');
    expect(panel?.type).toBe('table');
    expect(panel?.targets?.[0]).toMatchObject({ queryType: 'blocks', state: 'all', format: 'blocks' });
    const end = actionsOf('api-sessions.json').find((a) => a.action.title === 'End this block');
    expect(end?.field).toBe('id');
    expect(end?.action.fetch.url).toBe('/api/datasources/uid/api-sessions/resources/blocks/${__data.fields.id}/end');
  });

  it('only uses actions Grafana runs: fetch, POST, to the allowed resource path', () => {
    const all = Object.values(DASHBOARDS)
      .map((d) => d.file)
      .flatMap(actionsOf);
    expect(all.length).toBe(4);
    for (const { action } of all) {
      expect(action.type).toBe('fetch');
      // Grafana refuses other methods for actions that call its own API (middleware ValidateActionUrl).
      expect(action.fetch.method).toBe('POST');
      expect(action.fetch.url).toMatch(ALLOWED_ACTION_PATH);
    }
  });
});

describe('sequences panels', () => {
  const panelsOf = (file: string) =>
    flatten(load(file).panels).filter((p) => p.targets?.[0]?.queryType === 'sequences');

  it("session details shows the part's path as a node graph, on $session/$start/$end", () => {
    const [path] = panelsOf('session-details.json');
    expect(path).toMatchObject({ type: 'nodeGraph', title: 'Path through the endpoints' });
    expect(path.targets?.[0]).toMatchObject({
      session_id: '$session',
      start: '$start',
      end: '$end',
      format: 'graph',
    });
  });

  it('API Sessions shows the common transitions as a node graph and a table', () => {
    const panels = panelsOf('api-sessions.json');
    expect(panels.map((p) => [p.type, (p.targets?.[0] as { format?: string } | undefined)?.format])).toEqual([
      ['nodeGraph', 'graph'],
      ['table', 'table'],
    ]);
    for (const p of panels) {
      expect(p.targets?.[0]).not.toHaveProperty('session_id');
    }
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
