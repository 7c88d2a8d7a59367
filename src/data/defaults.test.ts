import type { ApiSessionsQuery } from '../types';
import { changeQueryType, DEFAULT_QUERY, incompleteReason, pickFilters, withDefaults } from './defaults';

describe('DEFAULT_QUERY', () => {
  it('shows the latest 100 sessions', () => {
    expect(DEFAULT_QUERY).toEqual({ queryType: 'sessions', sort: 'last_activity', limit: 100 });
  });
});

describe('withDefaults', () => {
  it('turns a query without a type into the default query', () => {
    expect(withDefaults({ refId: 'A' })).toEqual({
      refId: 'A',
      queryType: 'sessions',
      sort: 'last_activity',
      limit: 100,
    });
  });

  it('fills in the defaults of the type without overriding what is set', () => {
    expect(withDefaults({ refId: 'B', queryType: 'breakdown', by: 'user' } as ApiSessionsQuery)).toEqual({
      refId: 'B',
      queryType: 'breakdown',
      by: 'user',
      limit: 10,
    });
    expect(withDefaults({ refId: 'D', queryType: 'inventory' } as ApiSessionsQuery)).toEqual({
      refId: 'D',
      queryType: 'inventory',
      sort: 'requests',
      limit: 100,
    });
    expect(withDefaults({ refId: 'C', queryType: 'timeline', session_id: 's1' } as ApiSessionsQuery)).toEqual({
      refId: 'C',
      queryType: 'timeline',
      session_id: 's1',
      format: 'trace',
    });
  });

  it('gives patterns the default threshold only where the condition compares against one', () => {
    const patterns = (q: object) => withDefaults({ refId: 'P', queryType: 'patterns', ...q } as ApiSessionsQuery);
    expect(patterns({ condition: 'auth_failures' })).toMatchObject({ threshold: 1 });
    for (const condition of ['blocked', 'endpoint', 'skipped_step']) {
      expect(patterns({ condition })).not.toHaveProperty('threshold');
    }
    expect(patterns({ condition: 'endpoint', threshold: 4 })).toMatchObject({ threshold: 4 });
  });
});

describe('changeQueryType', () => {
  const requests: ApiSessionsQuery = {
    refId: 'A',
    datasource: { type: 'apisessions-sessions-datasource', uid: 'api-sessions' },
    queryType: 'requests',
    host: 'api.example.com',
    attacked: true,
    page: 3,
    format: 'logs',
  };

  it('keeps filters between filtered types and drops type-specific fields', () => {
    expect(changeQueryType(requests, 'patterns')).toEqual({
      refId: 'A',
      datasource: requests.datasource,
      queryType: 'patterns',
      condition: 'attacks',
      threshold: 1,
      host: 'api.example.com',
      attacked: true,
    });
  });

  it('keeps the API status and flow filters when switching to the inventory, with its defaults', () => {
    const sessions: ApiSessionsQuery = {
      refId: 'A',
      queryType: 'sessions',
      api_status: 'shadow,zombie',
      flow: 'billing',
      limit: 5,
    };
    expect(changeQueryType(sessions, 'inventory')).toEqual({
      refId: 'A',
      queryType: 'inventory',
      sort: 'requests',
      limit: 100,
      api_status: 'shadow,zombie',
      flow: 'billing',
    });
    const inventory: ApiSessionsQuery = {
      refId: 'A',
      queryType: 'inventory',
      sort: 'error_rate',
      host: 'h',
      flow: 'admin',
    };
    expect(changeQueryType(inventory, 'requests')).toEqual({
      refId: 'A',
      queryType: 'requests',
      format: 'table',
      page_size: 100,
      host: 'h',
      flow: 'admin',
    });
  });

  it('carries a session id filter into a timeline, and nothing else', () => {
    const sessions: ApiSessionsQuery = { refId: 'A', queryType: 'sessions', session_id: 'abc', host: 'h', limit: 5 };
    expect(changeQueryType(sessions, 'timeline')).toEqual({
      refId: 'A',
      queryType: 'timeline',
      session_id: 'abc',
      format: 'trace',
    });
  });

  it('carries a timeline session id into a breakdown as the session filter', () => {
    const timeline: ApiSessionsQuery = { refId: 'A', queryType: 'timeline', session_id: 'abc', start: 1, end: 2 };
    expect(changeQueryType(timeline, 'breakdown')).toEqual({
      refId: 'A',
      queryType: 'breakdown',
      by: 'attack_type',
      limit: 10,
      session_id: 'abc',
    });
  });
});

describe('incompleteReason', () => {
  it.each<[Partial<ApiSessionsQuery>, boolean]>([
    [{ queryType: 'sessions' }, true],
    [{ queryType: 'requests' }, true],
    [{ queryType: 'performance' }, true],
    [{ queryType: 'inventory' }, true],
    [{ queryType: 'timeline', session_id: '' }, false],
    [{ queryType: 'timeline', session_id: 'abc' }, true],
    [{ queryType: 'breakdown' } as Partial<ApiSessionsQuery>, false],
    [{ queryType: 'breakdown', by: 'status' }, true],
    [{ queryType: 'patterns' } as Partial<ApiSessionsQuery>, false],
    [{ queryType: 'patterns', condition: 'rate' }, true],
    [{ queryType: 'patterns', condition: 'skipped_step', endpoint_pattern: '/api/checkout' }, false],
    [{ queryType: 'patterns', condition: 'skipped_step', endpoint_pattern: '/a', predecessor_pattern: '/b' }, true],
    [{}, false],
  ])('%j runnable: %s', (query, runnable) => {
    expect(incompleteReason(query) === undefined).toBe(runnable);
  });
});

describe('pickFilters', () => {
  it('returns only the set filters', () => {
    expect(pickFilters({ queryType: 'sessions', host: 'h', app: '', blocked: false, limit: 3, status: 404 })).toEqual({
      host: 'h',
      blocked: false,
      status: 404,
    });
  });

  it('includes the API status and flow filters', () => {
    expect(
      pickFilters({ queryType: 'inventory', api_status: 'shadow', flow: 'authentication', sort: 'requests' }),
    ).toEqual({
      api_status: 'shadow',
      flow: 'authentication',
    });
  });
});
