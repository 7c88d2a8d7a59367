import { buildInventoryBody, endpointLinks, toInventoryFrame, toInventoryRows, type InventoryCell } from './inventory';

const cell = (endpoint: string, api_status: string | null, requests: number, sessions: number, errors: number, last: number): InventoryCell => ({
  key: { host: 'api.example.com', method: 'GET', endpoint, api_status },
  doc_count: requests,
  sessions: { value: sessions },
  errors: { value: errors },
  first: { value: 1 },
  last: { value: last },
});

test('body: composite over host, method, endpoint, api_status with the filters', () => {
  const body = buildInventoryBody({ api_status: 'shadow,zombie', method: 'GET' }, { from: 0, to: 9 }, { host: 'h' });
  expect(body.query.bool.filter).toEqual([
    { range: { ts: { gte: 0, lte: 9, format: 'epoch_millis' } } },
    { term: { method: { value: 'GET' } } },
    { terms: { api_status: ['shadow', 'zombie'] } },
  ]);
  const composite = body.aggs.rows.composite as { sources: Record<string, unknown>[]; after?: unknown };
  expect(composite.sources.map((s) => Object.keys(s)[0])).toEqual(['host', 'method', 'endpoint', 'api_status']);
  expect(composite.after).toEqual({ host: 'h' });
});

test('rows: sorted by the chosen column, ties by requests then endpoint; missing status is unknown', () => {
  const cells = [cell('/a', 'shadow', 10, 1, 5, 100), cell('/b', 'zombie', 20, 4, 0, 50), cell('/c', null, 20, 2, 1, 70)];
  expect(toInventoryRows(cells, 'requests', 10).map((r) => r.endpoint)).toEqual(['/b', '/c', '/a']);
  expect(toInventoryRows(cells, 'sessions', 10).map((r) => r.endpoint)).toEqual(['/b', '/c', '/a']);
  expect(toInventoryRows(cells, 'error_rate', 10).map((r) => r.endpoint)).toEqual(['/a', '/c', '/b']);
  expect(toInventoryRows(cells, 'last_seen', 2).map((r) => r.endpoint)).toEqual(['/a', '/c']);
  expect(toInventoryRows(cells, 'requests', 10)[1]).toMatchObject({ apiStatus: 'unknown', errorRate: 0.05 });
});

test('frame: columns in order, endpoint links to the sessions that used it', () => {
  const frame = toInventoryFrame(toInventoryRows([cell('/a', 'shadow', 4, 2, 1, 9)], 'requests', 10), { refId: 'A', sort: 'requests', datasource_uid: 'ds' }, false);
  expect(frame.schema.fields.map((f) => f.name)).toEqual([
    'endpoint', 'method', 'host', 'api_status', 'requests', 'sessions', 'errors', 'error_rate', 'first_seen', 'last_seen',
  ]);
  expect(frame.data.values[3]).toEqual(['shadow']);
  expect(frame.data.values[7]).toEqual([0.25]);
  const links = frame.schema.fields[0].config.links ?? [];
  expect(links.map((l) => l.title)).toEqual(['Sessions that used this endpoint', 'Explore sessions']);
  expect(links[0].url).toContain('var-endpoint=${__value.raw:percentencode}');
  expect(endpointLinks()).toHaveLength(1);
});
