/**
 * HTTP-level tests of the query router on a bare Express app: validation (400 naming the field), filter
 * injection (literal matching, never a 5xx), retention clamping, and every query type answering.
 */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, MIN, NOW, makeRequest, rows, useQueryServer } from './fixtures';

const FROM = NOW - 6 * DAY;

const TRICKY = [
  'a"b',
  "a'b",
  '*',
  'a*',
  '?',
  'a?c',
  'x OR y',
  'OR',
  '\\',
  'a\\*',
  '{"match_all":{}}',
  '" OR "1"="1',
  '(a)',
  '/api/*?x',
  'a b',
];

/** Documents whose values are the tricky strings themselves (exact matches must find exactly these). */
function trickyDocs(): StoredRequest[] {
  const base = NOW - DAY;
  return TRICKY.map((v, i) =>
    makeRequest(`tricky-${i}`, base + i * MIN, {
      host: v,
      app: v,
      method: v,
      user: v,
      role: v,
      endpoint: v,
      attack_types: [v],
      attack_count: 1,
      attacked: true,
      bot: { type: v },
      id: `tricky-id-${i}`,
    }),
  );
}

function plainDocs(): StoredRequest[] {
  const docs: StoredRequest[] = [];
  for (let i = 0; i < 50; i++)
    docs.push(
      makeRequest('plain-a', NOW - 2 * DAY + i * 1000, {
        status: i % 10 === 0 ? 500 : 200,
        endpoint: '/login',
        user: 'alice',
      }),
    );
  for (let i = 0; i < 30; i++)
    docs.push(
      makeRequest('plain-b', NOW - 3 * 3600_000 + i * 500, {
        status: i % 3 ? 401 : 200,
        endpoint: '/login',
        client_ip: '10.9.9.9',
      }),
    );
  // Outside retention (pinned clock, 7 days): must never be shown.
  for (let i = 0; i < 5; i++) docs.push(makeRequest('ancient', NOW - 20 * DAY + i * 1000));
  return docs;
}

const server = useQueryServer('query-api', () => [...trickyDocs(), ...plainDocs()]);

describe('validation', () => {
  test.each([
    [{ queryType: 'nope' }, 'queryType'],
    [{}, 'queryType'],
    [{ queryType: 'sessions', limit: 5000 }, 'limit'],
    [{ queryType: 'sessions', limit: 0 }, 'limit'],
    [{ queryType: 'sessions', idle_timeout_minutes: -1 }, 'idle_timeout_minutes'],
    [{ queryType: 'sessions', idle_timeout_minutes: 0.5 }, 'idle_timeout_minutes'],
    [{ queryType: 'sessions', sort: 'random' }, 'sort'],
    [{ queryType: 'sessions', from: 'yesterday' }, 'from'],
    [{ queryType: 'sessions', from: NOW, to: NOW - 1000 }, 'to'],
    [{ queryType: 'sessions', client_ip: '10.0.0.300' }, 'client_ip'],
    [{ queryType: 'sessions', client_ip: '10.0.0.0/33' }, 'client_ip'],
    [{ queryType: 'sessions', status: '6xx' }, 'status'],
    [{ queryType: 'sessions', attacked: 'maybe' }, 'attacked'],
    [{ queryType: 'timeline' }, 'session_id'],
    [{ queryType: 'timeline', session_id: 'x', page_size: 20000 }, 'page_size'],
    [{ queryType: 'requests', page_size: 5000 }, 'page_size'],
    [{ queryType: 'breakdown', by: 'color' }, 'by'],
    [{ queryType: 'performance', view: 'pie' }, 'view'],
    [{ queryType: 'patterns' }, 'condition'],
    [{ queryType: 'patterns', condition: 'attacks', group_by: 'color' }, 'group_by'],
    [{ queryType: 'patterns', condition: 'endpoint', endpoint_pattern: '*a'.repeat(9) }, 'endpoint_pattern'],
    [{ queryType: 'inventory', sort: 'color' }, 'sort'],
    [{ queryType: 'inventory', limit: 0 }, 'limit'],
    [{ queryType: 'inventory', api_status: 'ghost' }, 'api_status'],
  ])('%j → 400 naming %s', async (body, field) => {
    const res = await server.query(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_query');
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  test('an unknown or misspelled parameter → 400 naming it (never dropped: it would answer every session)', async () => {
    const res = await server.query({ queryType: 'sessions', clientip: '10.9.9.9', hots: 'api.example.com' });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([
      { field: 'clientip', message: 'unknown parameter of queryType sessions; did you mean client_ip?' },
      { field: 'hots', message: 'unknown parameter of queryType sessions; did you mean host?' },
    ]);
    // A parameter of another query type is unknown here too.
    const other = await server.query({ queryType: 'timeline', session_id: 'plain-a', sort: 'requests' });
    expect([other.status, other.json.error.details[0].field]).toEqual([400, 'sort']);
  });

  test('values: client_ip and session_id list the top values; an IPv4 start is the range it names', async () => {
    const ips = await server.get(`/v1/values/client_ip?from=${FROM}&to=${NOW}&prefix=10.9.`);
    expect(ips.json.values).toEqual([{ value: '10.9.9.9', count: 30 }]);
    const ids = await server.get(`/v1/values/session_id?from=${FROM}&to=${NOW}&prefix=plain-`);
    expect(ids.json.values.map((v: { value: string }) => v.value).sort()).toEqual(['plain-a', 'plain-b']);
    const bad = await server.get(`/v1/values/client_ip?prefix=10.x`);
    expect([bad.status, bad.json.error.details[0].field]).toEqual([400, 'prefix']);
  });

  test('unknown values field → 404, bad limit → 400', async () => {
    expect((await server.get('/v1/values/password')).status).toBe(404);
    const bad = await server.get('/v1/values/host?limit=abc');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('limit');
  });
});

describe('injection: every string filter matches literally', () => {
  const filters = [
    'host',
    'app',
    'method',
    'user',
    'role',
    'endpoint',
    'attack_type',
    'bot',
    'session_id',
    'request_id',
  ];
  const types = ['sessions', 'requests', 'breakdown', 'performance', 'patterns'];
  const extra: Record<string, object> = { breakdown: { by: 'method' }, patterns: { condition: 'attacks' } };

  test.each(filters)('%s', async (filter) => {
    for (const [i, v] of TRICKY.entries()) {
      const value = filter === 'session_id' ? `tricky-${i}` : filter === 'request_id' ? `tricky-id-${i}` : v;
      // endpoint values ending with * are prefixes by contract; everything else is exact.
      const res = await server.query({ queryType: 'requests', from: FROM, to: NOW, [filter]: value });
      expect(res.status).toBe(200);
      const got = rows(res.json.frames[0]).map((r) => r.id);
      if (filter === 'endpoint' && v.endsWith('*')) {
        const pre = v.slice(0, -1);
        const found = rows(res.json.frames[0]);
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((r) => r.endpoint.startsWith(pre))).toBe(true);
      } else {
        expect(got).toEqual([`tricky-id-${i}`]);
      }
      // A value that exists nowhere returns nothing, for every type, and never a 5xx.
      for (const queryType of types) {
        const miss = await server.query({ queryType, from: FROM, to: NOW, ...extra[queryType], [filter]: `${v}-nope` });
        expect(miss.status).toBe(200);
        if (queryType === 'sessions' || queryType === 'requests') expect(rows(miss.json.frames[0])).toHaveLength(0);
      }
    }
  });

  test('values prefix is literal too', async () => {
    for (const v of TRICKY) {
      const res = await server.get(`/v1/values/host?from=${FROM}&to=${NOW}&prefix=${encodeURIComponent(v)}`);
      expect(res.status).toBe(200);
      expect(res.json.values.every((x: { value: string }) => x.value.startsWith(v))).toBe(true);
      expect(res.json.values.map((x: { value: string }) => x.value)).toContain(v);
    }
  });

  test('patterns endpoint_pattern with the most wildcards allowed still runs', async () => {
    const res = await server.query({
      queryType: 'patterns',
      from: FROM,
      to: NOW,
      condition: 'endpoint',
      endpoint_pattern: '*a'.repeat(8),
    });
    expect(res.status).toBe(200);
  });

  test('patterns endpoint_pattern: only * is a wildcard', async () => {
    const res = await server.query({
      queryType: 'patterns',
      from: NOW - DAY - MIN,
      to: NOW,
      condition: 'endpoint',
      endpoint_pattern: 'a?c',
      interval_ms: DAY * 2,
    });
    expect(res.status).toBe(200);
    const values = rows(res.json.frames[0]).map((r) => r.value);
    expect(values.reduce((a: number, b: number) => a + b, 0)).toBe(1);
  });
});

describe('retention clamp', () => {
  test('a range starting 30 days ago returns only in-retention data', async () => {
    const res = await server.query({ queryType: 'requests', from: NOW - 30 * DAY, to: NOW, session_id: 'ancient' });
    expect(res.status).toBe(200);
    expect(rows(res.json.frames[0])).toHaveLength(0);
    const all = await server.query({ queryType: 'sessions', from: NOW - 30 * DAY, to: NOW });
    expect(rows(all.json.frames[0]).map((r) => r.session_id)).not.toContain('ancient');
  });

  test('a range entirely before retention is empty, not an error', async () => {
    const res = await server.query({ queryType: 'sessions', from: NOW - 30 * DAY, to: NOW - 20 * DAY });
    expect(res.status).toBe(200);
    expect(res.json.frames[0].schema.meta.custom.total).toBe(0);
  });

  test('RFC 3339 times are accepted', async () => {
    const res = await server.query({
      queryType: 'requests',
      from: new Date(NOW - 3 * DAY).toISOString(),
      to: new Date(NOW).toISOString(),
      session_id: 'plain-a',
    });
    expect(res.status).toBe(200);
    expect(rows(res.json.frames[0])).toHaveLength(50);
  });
});
