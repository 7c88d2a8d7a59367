import {
  buildInventoryBody,
  buildRowSessionsBody,
  toInventoryFrame,
  toInventoryRows,
  type InventoryCell,
} from './inventory';

const cell = (
  endpoint: string,
  api_status: string | null,
  requests: number,
  sessions: number,
  errors: number,
  last: number,
): InventoryCell => ({
  key: { host: 'api.example.com', method: 'GET', endpoint, api_status },
  doc_count: requests,
  sessions: { value: sessions },
  errors: { value: errors },
  first: { value: 1 },
  last: { value: last },
});

test('body: composite over host, method, endpoint, api_status with the filters; sessions only when asked', () => {
  expect(Object.keys(buildInventoryBody({}, { from: 0, to: 9 }, undefined, false).aggs.rows.aggs)).toEqual([
    'errors',
    'first',
    'last',
  ]);
  const body = buildInventoryBody(
    { api_status: 'shadow,zombie', method: 'GET' },
    { from: 0, to: 9 },
    { host: 'h' },
    true,
  );
  expect(Object.keys(body.aggs.rows.aggs)).toEqual(['errors', 'first', 'last', 'sessions']);
  expect(body.query.bool.filter).toEqual([
    { range: { ts: { gte: 0, lte: 9, format: 'epoch_millis' } } },
    { term: { method: { value: 'GET' } } },
    { terms: { api_status: ['shadow', 'zombie'] } },
  ]);
  const composite = body.aggs.rows.composite as { sources: Record<string, unknown>[]; after?: unknown };
  expect(composite.sources.map((s) => Object.keys(s)[0])).toEqual(['host', 'method', 'endpoint', 'api_status']);
  expect(composite.after).toEqual({ host: 'h' });
});

test('sessions of the chosen rows: one exact filter per row (a missing status is "field absent"), same filters', () => {
  const body = buildRowSessionsBody(
    [cell('/a', 'shadow', 1, 1, 0, 1).key, cell('/a', null, 1, 1, 0, 1).key, cell('/b', 'zombie', 1, 1, 0, 1).key],
    { client_ip: '10.0.0.0/8' },
    { from: 0, to: 9 },
  );
  expect(body.query.bool.filter.slice(1)).toEqual([
    { term: { client_ip: { value: '10.0.0.0/8' } } },
    { terms: { endpoint: ['/a', '/b'] } },
  ]);
  const filters = body.aggs.rows.filters.filters as Record<string, any>;
  expect(Object.keys(filters)).toEqual(['r0', 'r1', 'r2']);
  expect(filters.r0.bool.filter).toContainEqual({ term: { api_status: 'shadow' } });
  expect(filters.r1.bool).toMatchObject({ must_not: [{ exists: { field: 'api_status' } }] });
  expect(filters.r1.bool.filter).toEqual([
    { term: { host: 'api.example.com' } },
    { term: { method: 'GET' } },
    { term: { endpoint: '/a' } },
  ]);
});

test('rows: sorted by the chosen column, ties by requests then endpoint; missing status is unknown', () => {
  const cells = [
    cell('/a', 'shadow', 10, 1, 5, 100),
    cell('/b', 'zombie', 20, 4, 0, 50),
    cell('/c', null, 20, 2, 1, 70),
  ];
  expect(toInventoryRows(cells, 'requests', 10).map((r) => r.endpoint)).toEqual(['/b', '/c', '/a']);
  expect(toInventoryRows(cells, 'sessions', 10).map((r) => r.endpoint)).toEqual(['/b', '/c', '/a']);
  expect(toInventoryRows(cells, 'error_rate', 10).map((r) => r.endpoint)).toEqual(['/a', '/c', '/b']);
  expect(toInventoryRows(cells, 'last_seen', 2).map((r) => r.endpoint)).toEqual(['/a', '/c']);
  expect(toInventoryRows(cells, 'requests', 10)[1]).toMatchObject({
    apiStatus: 'unknown',
    errorRate: 0.05,
    sessions: 2,
  });
  const { sessions: _, ...withoutSessions } = cells[0];
  expect(toInventoryRows([withoutSessions], 'requests', 10)[0].sessions).toBeNull();
});

test('frame: columns in order, endpoint links to the sessions that used it', () => {
  const frame = toInventoryFrame(toInventoryRows([cell('/a', 'shadow', 4, 2, 1, 9)], 'requests', 10), {
    refId: 'A',
    sort: 'requests',
    datasource_uid: 'ds',
  });
  expect(frame.schema.fields.map((f) => f.name)).toEqual([
    'endpoint',
    'method',
    'host',
    'api_status',
    'requests',
    'sessions',
    'errors',
    'error_rate',
    'first_seen',
    'last_seen',
  ]);
  expect(frame.data.values[3]).toEqual(['shadow']);
  expect(frame.data.values[7]).toEqual([0.25]);
  const links = frame.schema.fields[0].config.links ?? [];
  expect(links.map((l) => l.title)).toEqual(['Sessions that used this endpoint', 'Explore sessions']);
  expect(links[0].url).toContain('var-endpoint=${__value.raw:percentencode}');
});
