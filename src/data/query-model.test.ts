import type { ApiSessionsQuery } from '../types';
import { applyAdHocFilters, GRAFANA_ENVELOPE_KEYS, migrateQuery, unknownKeys } from './query-model';

describe('migrateQuery', () => {
  it("drops other query types' parameters and empty values, keeps Grafana's keys and unknown keys", () => {
    const saved = {
      refId: 'A',
      queryType: 'timeline',
      datasource: { uid: 'x' },
      session_id: 's',
      sort: 'requests',
      host: '',
      page_size: 50,
      hots: 'typo',
    } as unknown as ApiSessionsQuery;
    expect(migrateQuery(saved)).toEqual({
      refId: 'A',
      queryType: 'timeline',
      datasource: { uid: 'x' },
      session_id: 's',
      page_size: 50,
      hots: 'typo',
    });
  });

  it('keeps every parameter a query type takes, filters included', () => {
    const q: ApiSessionsQuery = { refId: 'A', queryType: 'sessions', host: 'a', client_ip: '10.0.0.1', limit: 5 };
    expect(migrateQuery(q)).toEqual(q);
  });
});

describe('unknownKeys', () => {
  it("names keys that neither the query type nor Grafana knows; Grafana's envelope is not unknown", () => {
    const q = {
      refId: 'A',
      queryType: 'sessions',
      hide: false,
      intervalMs: 1000,
      maxDataPoints: 500,
      datasource: { uid: 'x' },
      hots: 'a',
      by: 'status',
    } as unknown as ApiSessionsQuery;
    expect(unknownKeys(q)).toEqual(['hots', 'by']);
  });
});

describe('applyAdHocFilters', () => {
  const sessions: ApiSessionsQuery = { refId: 'A', queryType: 'sessions', host: 'panel-host' };

  it('sets the filters named by the dashboard, replacing the panel value; on/off filters become booleans', () => {
    const out = applyAdHocFilters(sessions, [
      { key: 'client_ip', operator: '=', value: '203.0.113.9' },
      { key: 'host', operator: '=', value: 'api.example.com' },
      { key: 'attacked', operator: '=', value: 'true' },
    ]);
    expect(out).toEqual({
      refId: 'A',
      queryType: 'sessions',
      host: 'api.example.com',
      client_ip: '203.0.113.9',
      attacked: true,
    });
  });

  it('leaves query types without filters alone', () => {
    const timeline: ApiSessionsQuery = { refId: 'A', queryType: 'timeline', session_id: 's' };
    expect(applyAdHocFilters(timeline, [{ key: 'host', operator: '=', value: 'a' }])).toBe(timeline);
  });

  it('refuses other operators and keys that are not filters, with a readable error', () => {
    expect(() => applyAdHocFilters(sessions, [{ key: 'host', operator: '!=', value: 'a' }])).toThrow(
      'ad-hoc filter "host != a": only "=" is supported',
    );
    expect(() => applyAdHocFilters(sessions, [{ key: 'colour', operator: '=', value: 'a' }])).toThrow(
      /"colour": not a filter/,
    );
  });
});

describe('GRAFANA_ENVELOPE_KEYS', () => {
  it('equals the keys the plugin backend strips (pkg/plugin/query.go grafanaEnvelopeKeys)', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const go = readFileSync(`${__dirname}/../../pkg/plugin/query.go`, 'utf8');
    const list = /grafanaEnvelopeKeys = \[\]string\{([^}]*)\}/.exec(go)?.[1] ?? '';
    const goKeys = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect([...goKeys].sort()).toEqual([...GRAFANA_ENVELOPE_KEYS].sort());
  });
});
