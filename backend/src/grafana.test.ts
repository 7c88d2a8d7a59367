import {
  DASHBOARDS,
  ENDPOINT_SESSIONS_LINK,
  breakdownLinks,
  dashboardPath,
  endpointLinks,
  requestLinks,
  sessionDetailsLink,
  sessionLinks,
  sessionListLink,
} from './grafana';

test('dashboard paths carry the uid, the slug and the parameters as given', () => {
  expect(dashboardPath(DASHBOARDS.performance)).toBe('/d/api-sessions-performance/api-performance');
  expect(dashboardPath(DASHBOARDS.sessions, ['a=${x}', 'b=1'])).toBe(
    '/d/api-sessions-overview/api-sessions?a=${x}&b=1',
  );
});

test('the session-details link opens the clicked part with its idle timeout and keeps the time range', () => {
  expect(sessionDetailsLink(45).url).toBe(
    '/d/api-sessions-details/session-details?var-session=${__value.raw}&var-start=${__data.fields.start.numeric}' +
      '&var-end=${__data.fields.end.numeric}&var-idle_timeout=45&${__url_time_range}',
  );
});

test('session links: the dashboard always, Explore (the part as a table) only with a data source uid', () => {
  expect(sessionLinks(30)).toEqual([sessionDetailsLink(30)]);
  const [, explore] = sessionLinks(30, 'ds-1');
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

test('a value links to the session list filtered to it, keeping the time range', () => {
  expect(sessionListLink('client_ip')).toEqual({
    title: 'Sessions from this IP',
    url: '/d/api-sessions-overview/api-sessions?var-client_ip=${__value.raw:percentencode}&${__url_time_range}',
  });
  expect(breakdownLinks('user')).toEqual([sessionListLink('user')]);
  expect(breakdownLinks('attack_type')).toEqual([sessionListLink('attack_type')]);
  expect(breakdownLinks('endpoint')).toEqual([sessionListLink('endpoint')]);
  // No session-list variable for these: no link rather than one that filters nothing.
  expect(breakdownLinks('status')).toEqual([]);
  expect(breakdownLinks('method')).toEqual([]);
});

test('a request links to its session (the known part, or the session in the kept range), its IP and endpoint', () => {
  const known = requestLinks({ start: 1000, end: 2000 });
  expect(known.session_id[0].url).toBe(
    '/d/api-sessions-details/session-details?var-session=${__value.raw}&var-start=1000&var-end=2000&${__url_time_range}',
  );
  expect(requestLinks().session_id[0].url).toBe(
    '/d/api-sessions-details/session-details?var-session=${__value.raw}&var-start=&var-end=&${__url_time_range}',
  );
  expect(Object.keys(known).sort()).toEqual(['client_ip', 'endpoint', 'session_id']);
  expect(known.client_ip).toEqual([sessionListLink('client_ip')]);
});
