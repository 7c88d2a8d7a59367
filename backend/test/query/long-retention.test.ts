/**
 * RETENTION_DAYS=365 against the real node (issue 13 item 5): a year-long query names one index pattern per month,
 * not 366 daily indices (whose names overflow OpenSearch's 4 KB request line), so every query type and
 * /v1/values answer over the whole year and find data from its first days.
 */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, NOW, framesOf, makeRequest, rows, useQueryServer } from './fixtures';

const YEAR_AGO = NOW - 365 * DAY;
const OLD = NOW - 360 * DAY;

/** A few requests on 16 days spread over the year; the oldest from a host seen nowhere else. */
function dataset(): StoredRequest[] {
  const docs: StoredRequest[] = [];
  for (let d = 0; d < 16; d++) {
    const t = OLD + d * 23 * DAY + 3600_000;
    const host = d === 0 ? 'old.example.com' : 'api.example.com';
    for (let i = 0; i < 5; i++)
      docs.push(makeRequest(`year-key-${d}`, t + i * 1000, { host, status: i === 4 ? 500 : 200, duration_ms: 10 + i }));
  }
  return docs;
}

const server = useQueryServer('query-long-retention', dataset, 180_000, { retentionDays: 365 });
const year = { from: YEAR_AGO, to: NOW };

test('sessions over the year find the oldest session', async () => {
  const [frame] = framesOf(await server.query({ queryType: 'sessions', ...year, limit: 100 }));
  expect(frame.schema.meta.custom.total).toBe(16);
  expect(rows(frame).find((r) => r.session_id === 'year-key-0')).toMatchObject({
    requests: 5,
    host: 'old.example.com',
  });
});

test.each([
  ['timeline (root span + 5 requests)', { queryType: 'timeline', session_id: 'year-key-0' }, 6],
  ['requests', { queryType: 'requests', host: 'old.example.com' }, 5],
  ['breakdown', { queryType: 'breakdown', by: 'status' }, 2],
  ['inventory', { queryType: 'inventory' }, 2],
  ['slowest endpoints', { queryType: 'performance', view: 'slowest_endpoints' }, 1],
  ['session rates', { queryType: 'performance', view: 'session_rates' }, 3],
])('%s over the year answers with the old data', async (_name, body, n) => {
  const [frame] = framesOf(await server.query({ ...body, ...year }));
  expect(rows(frame)).toHaveLength(n);
});

test('time series over the year: performance and patterns', async () => {
  const perf = framesOf(await server.query({ queryType: 'performance', ...year }));
  const rate = perf.find((f) => f.schema.name === 'rate');
  expect(rate.data.values[1].filter((v: number) => v > 0).length).toBeGreaterThanOrEqual(16);
  const [pattern] = framesOf(await server.query({ queryType: 'patterns', condition: 'rate', threshold: 1, ...year }));
  expect(pattern.data.values[1].reduce((a: number, b: number) => a + b, 0)).toBe(16);
});

test('/v1/values lists values of the whole year by default', async () => {
  const res = await server.get('/v1/values/host');
  expect(res.status).toBe(200);
  expect(res.json.values.map((v: { value: string }) => v.value).sort()).toEqual(['api.example.com', 'old.example.com']);
});
