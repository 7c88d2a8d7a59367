import {
  DASHBOARDS,
  ENDPOINT_SESSIONS_LINK,
  SESSION_DETAILS_LINK,
  dashboardPath,
  endpointLinks,
  sessionLinks,
} from './grafana';

test('dashboard paths carry the uid, the slug and the parameters as given', () => {
  expect(dashboardPath(DASHBOARDS.performance)).toBe('/d/api-sessions-performance/api-performance');
  expect(dashboardPath(DASHBOARDS.sessions, ['a=${x}', 'b=1'])).toBe(
    '/d/api-sessions-overview/api-sessions?a=${x}&b=1',
  );
});

test('the session-details link opens the clicked part and keeps the time range', () => {
  expect(SESSION_DETAILS_LINK.url).toBe(
    '/d/api-sessions-details/session-details?var-session=${__value.raw}&var-start=${__data.fields.start.numeric}' +
      '&var-end=${__data.fields.end.numeric}&${__url_time_range}',
  );
});

test('session links: the dashboard always, Explore (the part as a table) only with a data source uid', () => {
  expect(sessionLinks()).toEqual([SESSION_DETAILS_LINK]);
  const [, explore] = sessionLinks('ds-1');
  expect(explore).toEqual({
    title: 'Explore requests',
    url: '',
    internal: {
      datasourceUid: 'ds-1',
      query: { queryType: 'timeline', session_id: '${__value.raw}', format: 'table' },
    },
  });
});

test('endpoint links: the inventory dashboard always, Explore of its sessions only with a data source uid', () => {
  expect(endpointLinks()).toEqual([ENDPOINT_SESSIONS_LINK]);
  expect(ENDPOINT_SESSIONS_LINK.url.startsWith('/d/api-sessions-inventory/api-inventory?var-endpoint=')).toBe(true);
  const [, explore] = endpointLinks('ds-2');
  expect(explore.internal).toEqual({
    datasourceUid: 'ds-2',
    query: {
      queryType: 'sessions',
      endpoint: '${__value.raw}',
      method: '${__data.fields.method}',
      host: '${__data.fields.host}',
    },
  });
});
