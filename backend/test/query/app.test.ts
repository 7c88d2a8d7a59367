/**
 * End to end through the real app (auth, body parser, error middleware): ingest a few records, then query them.
 * The other query tests mount the router alone; this one proves the wiring.
 */
import { deletePrefix, uniquePrefix } from '../opensearch';
import { TEST_TOKENS, record, startTestService, storedDocs, type TestService } from '../service';
import { rows } from './fixtures';

let svc: TestService;
let prefix: string;

beforeAll(async () => {
  prefix = uniquePrefix('query-app');
  svc = await startTestService(prefix);
  const now = Date.now();
  const body = Array.from({ length: 5 }, (_, i) =>
    record({
      id: `app-${i}`,
      ts: now - 60_000 + i * 1000,
      status: i === 4 ? 500 : 200,
      identifiers: { cookies: { PHPSESSID: 'abc' } },
    }),
  );
  const res = await svc.post('/v1/requests', body);
  expect(res.status).toBe(200);
  await storedDocs(svc.client, prefix);
}, 120_000);

afterAll(async () => {
  await deletePrefix(svc.client, prefix);
  await svc.stop();
});

test('ingested requests form one session in the list, and its timeline has them all', async () => {
  const now = Date.now();
  const list = await svc.post('/v1/query', { queryType: 'sessions', from: now - 3600_000, to: now });
  expect(list.status).toBe(200);
  const [row] = rows((list.json as any).frames[0]);
  expect(row).toMatchObject({ requests: 5, status_5xx: 1 });
  const timeline = await svc.post('/v1/query', {
    queryType: 'timeline',
    from: now - 3600_000,
    to: now,
    session_id: row.session_id,
    start: row.start,
    end: row.end,
  });
  expect(rows((timeline.json as any).frames[0])).toHaveLength(6); // root span + 5 requests
});

test('auth scopes and errors go through the app', async () => {
  expect((await svc.post('/v1/query', { queryType: 'sessions' }, { token: TEST_TOKENS.ingest })).status).toBe(401);
  const bad = await svc.post('/v1/query', { queryType: 'sessions', limit: 0 });
  expect(bad.status).toBe(400);
  expect((bad.json as any).error.details[0].field).toBe('limit');
  const values = await svc.get('/v1/values/host');
  expect(values.status).toBe(200);
  expect((values.json as any).values).toEqual([{ value: 'api.example.com', count: 5 }]);
});
