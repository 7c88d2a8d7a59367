import './test/setup';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { CoreApp } from '@grafana/data';
import { DataSource } from './datasource';
import type { ApiSessionsOptions, ApiSessionsQuery } from './types';

const variables: Record<string, string> = { $host: 'api.example.com', $session: 'abc', $none: '' };
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: (text: string) => text.replace(/\$\w+/g, (name) => variables[name] ?? name) }),
}));

function createDataSource(jsonData: ApiSessionsOptions = {}) {
  return new DataSource({
    id: 1,
    uid: 'api-sessions',
    type: 'apisessions-sessions-datasource',
    name: 'API Sessions',
    jsonData,
    meta: {},
  } as unknown as DataSourceInstanceSettings<ApiSessionsOptions>);
}

describe('DataSource', () => {
  it('starts new queries with the latest sessions', () => {
    expect(createDataSource().getDefaultQuery(CoreApp.PanelEditor)).toEqual({
      queryType: 'sessions',
      sort: 'last_activity',
      limit: 100,
    });
  });

  it('interpolates string fields, dropping empty ones', () => {
    const ds = createDataSource({ defaultIdleTimeoutMinutes: 10 });
    const q: ApiSessionsQuery = {
      refId: 'A',
      queryType: 'sessions',
      host: '$host',
      user: '$none',
      idle_timeout_minutes: 0,
    };
    expect(ds.applyTemplateVariables(q, {})).toEqual({
      refId: 'A',
      queryType: 'sessions',
      host: 'api.example.com',
      idle_timeout_minutes: 0,
    });
    expect(ds.applyTemplateVariables({ refId: 'B', queryType: 'requests', host: '$host' }, {})).toEqual({
      refId: 'B',
      queryType: 'requests',
      host: 'api.example.com',
    });
  });

  it('skips hidden and incomplete queries, judged after interpolation', () => {
    const ds = createDataSource();
    expect(ds.filterQuery({ refId: 'A', queryType: 'sessions' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'sessions', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeline', session_id: '$session' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeline', session_id: '$none' })).toBe(false);
  });

  it('offers annotations for attacked sessions by default', () => {
    expect(createDataSource().annotations.getDefaultQuery?.()).toEqual({
      queryType: 'sessions',
      attacked: true,
      sort: 'attacks',
      limit: 100,
    });
  });
});

describe('ad-hoc filters', () => {
  it('folds the dashboard filters into every filtered query, after migrating and interpolating it', () => {
    const ds = createDataSource();
    const saved = { refId: 'A', queryType: 'requests', host: '$host', sort: 'requests' } as unknown as ApiSessionsQuery;
    expect(ds.applyTemplateVariables(saved, {}, [{ key: 'client_ip', operator: '=', value: '203.0.113.9' }])).toEqual({
      refId: 'A',
      queryType: 'requests',
      host: 'api.example.com',
      client_ip: '203.0.113.9',
    });
  });

  it('offers every filter as a key, and values from the service for fields it lists', async () => {
    const ds = createDataSource();
    const keys = (await ds.getTagKeys()).map((k) => k.text);
    expect(keys).toEqual(expect.arrayContaining(['client_ip', 'session_id', 'host', 'attacked']));
    const calls: unknown[][] = [];
    jest.spyOn(ds, 'getResource').mockImplementation(async (...args: unknown[]) => {
      calls.push(args);
      return { values: [{ value: '203.0.113.9', count: 7 }] };
    });
    const values = await ds.getTagValues({ key: 'client_ip', filters: [] });
    expect(values).toEqual([{ text: '203.0.113.9', value: '203.0.113.9' }]);
    expect(calls[0][0]).toBe('values/client_ip');
    expect(await ds.getTagValues({ key: 'attacked', filters: [] })).toEqual([
      { text: 'true', value: 'true' },
      { text: 'false', value: 'false' },
    ]);
    expect(await ds.getTagValues({ key: 'request_id', filters: [] })).toEqual([]);
  });
});
