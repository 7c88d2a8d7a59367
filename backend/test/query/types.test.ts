/** timeline, requests, breakdown, performance, patterns and values against the real node. */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, NOW, makeRequest, rows, framesOf, useQueryServer } from './fixtures';

const T0 = Math.floor((NOW - DAY) / 3600_000) * 3600_000; // an hour boundary yesterday
const FROM = T0 - 3600_000;
const TO = T0 + 6 * 3600_000;
const LONG = 12_345; // beyond the 10,000 result window

function dataset(): StoredRequest[] {
  const docs: StoredRequest[] = [];
  // "long": 12,345 requests, 100 ms apart, alternating endpoints.
  for (let i = 0; i < LONG; i++)
    docs.push(
      makeRequest('long', T0 + i * 100, {
        id: `long-${String(i).padStart(5, '0')}`,
        endpoint: i % 2 ? '/a' : '/b',
        duration_ms: i % 2 ? 10 : 30,
      }),
    );
  // "brute": 20 failed logins in the first minute of hour 2, then an attack.
  for (let i = 0; i < 20; i++)
    docs.push(
      makeRequest('brute', T0 + 2 * 3600_000 + i * 2000, {
        endpoint: '/api/login',
        status: 401,
        user: 'mallory',
        client_ip: '10.6.6.6',
      }),
    );
  docs.push(
    makeRequest('brute', T0 + 2 * 3600_000 + 50_000, {
      endpoint: '/api/login',
      status: 500,
      attack_types: ['sqli', 'xss'],
      attack_count: 2,
      attacked: true,
      blocked: true,
      user: 'mallory',
      client_ip: '10.6.6.6',
    }),
  );
  // "scanner": 8 distinct endpoints in hour 3, slow.
  for (let i = 0; i < 8; i++)
    docs.push(
      makeRequest('scanner', T0 + 3 * 3600_000 + i * 1000, {
        endpoint: `/scan/${i}`,
        duration_ms: 2000,
        user: 'eve',
        host: 'h2',
      }),
    );
  return docs;
}

const server = useQueryServer('query-types', () => dataset());

const q = async (body: Record<string, unknown>) => {
  const res = await server.query({ from: FROM, to: TO, ...body });
  return framesOf(res);
};

describe('timeline', () => {
  test('trace frame: root span + one child per request, in time order', async () => {
    const [frame] = await q({ queryType: 'timeline', session_id: 'brute' });
    expect(frame.schema.meta.preferredVisualisationType).toBe('trace');
    const r = rows(frame);
    expect(r).toHaveLength(22);
    expect(r[0].parentSpanID).toBe('');
    expect(r.slice(1).every((x) => x.parentSpanID === r[0].spanID && x.traceID === 'brute')).toBe(true);
    expect(r[1].operationName).toBe('GET /api/login');
    const last = r[21];
    expect(last.statusCode).toBe(2);
    expect(last.tags).toEqual(
      expect.arrayContaining([
        { key: 'error', value: true },
        { key: 'attack_types', value: 'sqli, xss' },
      ]),
    );
    const starts = r.slice(1).map((x) => x.startTime);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(frame.schema.meta.custom).toMatchObject({ total: 21, page: 0, page_size: 10000 });
  });

  test('pages past 10,000 with search_after, no gaps or duplicates', async () => {
    const ids: string[] = [];
    for (let page = 0; page < 3; page++) {
      const [frame] = await q({ queryType: 'timeline', session_id: 'long', format: 'table', page, page_size: 5000 });
      expect(frame.schema.meta.custom.total).toBe(LONG);
      ids.push(...rows(frame).map((x) => x.id));
    }
    expect(ids).toHaveLength(LONG);
    expect(ids).toEqual(Array.from({ length: LONG }, (_, i) => `long-${String(i).padStart(5, '0')}`));
    const [deep] = await q({ queryType: 'timeline', session_id: 'long', page: 1 });
    expect(rows(deep)).toHaveLength(1 + LONG - 10_000);
  });

  test('start/end select one part', async () => {
    const [frame] = await q({ queryType: 'timeline', session_id: 'long', format: 'table', start: T0, end: T0 + 999 });
    expect(rows(frame).map((x) => x.id)).toEqual([
      'long-00000',
      'long-00001',
      'long-00002',
      'long-00003',
      'long-00004',
      'long-00005',
      'long-00006',
      'long-00007',
      'long-00008',
      'long-00009',
    ]);
  });
});

describe('requests', () => {
  test('table, newest first, paged', async () => {
    const [p0] = await q({ queryType: 'requests', user: 'mallory', page_size: 5 });
    const [p1] = await q({ queryType: 'requests', user: 'mallory', page_size: 5, page: 1 });
    const a = rows(p0);
    expect(a).toHaveLength(5);
    expect(a[0].status).toBe(500);
    expect(p0.schema.meta.custom.total).toBe(21);
    const times = [...a, ...rows(p1)].map((x) => x.time);
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  test('logs frame', async () => {
    const [frame] = await q({ queryType: 'requests', session_id: 'brute', format: 'logs', page_size: 2 });
    expect(frame.schema.meta).toMatchObject({ preferredVisualisationType: 'logs', type: 'log-lines' });
    expect(frame.schema.fields.map((f: any) => f.name)).toEqual(['timestamp', 'body', 'severity', 'id', 'labels']);
    const [first] = rows(frame);
    expect(first.severity).toBe('error');
    expect(first.labels).toMatchObject({ session_id: 'brute', user: 'mallory', status: '500' });
  });
});

describe('breakdown', () => {
  test('global by status with shares', async () => {
    const [frame] = await q({ queryType: 'breakdown', by: 'status', user: 'mallory' });
    expect(rows(frame)).toEqual([
      { value: '401', count: 20, share: 20 / 21 },
      { value: '500', count: 1, share: 1 / 21 },
    ]);
  });

  test('scoped to one session part; attack types', async () => {
    const [frame] = await q({
      queryType: 'breakdown',
      by: 'attack_type',
      session_id: 'brute',
      start: T0 + 2 * 3600_000,
      end: T0 + 3 * 3600_000,
    });
    expect(rows(frame).map((r) => [r.value, r.count])).toEqual([
      ['sqli', 1],
      ['xss', 1],
    ]);
    const [ep] = await q({
      queryType: 'breakdown',
      by: 'endpoint',
      session_id: 'long',
      start: T0,
      end: T0 + 999,
      limit: 1,
    });
    expect(rows(ep)).toEqual([{ value: '/a', count: 5, share: 0.5 }]);
  });
});

describe('performance', () => {
  test('timeseries: five series with zero-filled intervals', async () => {
    const frames = await q({ queryType: 'performance', interval_ms: 3600_000, session_id: 'long' });
    expect(frames.map((f) => f.schema.name)).toEqual([
      'latency_p50',
      'latency_p95',
      'latency_p99',
      'rate',
      'error_rate',
    ]);
    const rate = rows(frames[3]);
    expect(rate).toHaveLength(8); // FROM .. TO hourly
    expect(rate[1].rate).toBeCloseTo(LONG / 3600, 6);
    expect(rate[0].rate).toBe(0);
    expect(rows(frames[0])[0].latency_p50).toBeNull();
    expect(frames[0].schema.fields[1]).toMatchObject({
      typeInfo: { frame: 'float64', nullable: true },
      config: { unit: 'ms' },
    });
  });

  test('by_endpoint labels', async () => {
    const frames = await q({
      queryType: 'performance',
      interval_ms: 3600_000,
      by_endpoint: true,
      limit: 2,
      session_id: 'long',
    });
    expect(frames).toHaveLength(10);
    expect(frames.map((f) => f.schema.fields[1].labels.endpoint).sort()).toEqual([
      ...Array(5).fill('/a'),
      ...Array(5).fill('/b'),
    ]);
  });

  test('slowest endpoints', async () => {
    const [frame] = await q({ queryType: 'performance', view: 'slowest_endpoints', limit: 3 });
    const r = rows(frame);
    expect(r[0]).toMatchObject({
      endpoint: expect.stringMatching(/^\/scan\//),
      method: 'GET',
      requests: 1,
      p95_ms: 2000,
    });
    expect(r).toHaveLength(3);
  });

  test('session rates: percentiles of each session peak minute', async () => {
    const [frame] = await q({ queryType: 'performance', view: 'session_rates' });
    // peaks: long = 600/min, brute = 21 in its minute… brute spans 0–50 s (one minute bucket), scanner 8.
    expect(rows(frame)).toEqual([
      { percentile: 'p50', requests_per_minute: 21 },
      { percentile: 'p90', requests_per_minute: 600 },
      { percentile: 'p99', requests_per_minute: 600 },
    ]);
  });
});

describe('patterns', () => {
  const hour = 3600_000;
  const series = async (body: Record<string, unknown>) =>
    await q({ queryType: 'patterns', interval_ms: hour, ...body });
  const values = (frame: any) => rows(frame).map((r) => r.value);

  test.each([
    [{ condition: 'auth_failures', threshold: 20 }, [0, 0, 0, 1, 0, 0, 0, 0]],
    [{ condition: 'auth_failures', threshold: 21 }, [0, 0, 0, 0, 0, 0, 0, 0]],
    [{ condition: 'attacks', threshold: 2 }, [0, 0, 0, 1, 0, 0, 0, 0]],
    [{ condition: 'distinct_endpoints', threshold: 8 }, [0, 0, 0, 0, 1, 0, 0, 0]],
    [{ condition: 'distinct_endpoints', threshold: 2 }, [0, 1, 0, 0, 1, 0, 0, 0]],
    [{ condition: 'rate', threshold: 500 }, [0, 1, 0, 0, 0, 0, 0, 0]],
    [{ condition: 'rate', threshold: 21 }, [0, 1, 0, 1, 0, 0, 0, 0]],
    [{ condition: 'blocked' }, [0, 0, 0, 1, 0, 0, 0, 0]],
    [{ condition: 'endpoint', endpoint_pattern: '/scan/*' }, [0, 0, 0, 0, 1, 0, 0, 0]],
  ])('%j', async (params, expected) => {
    const frames = await series(params);
    expect(frames).toHaveLength(1);
    expect(values(frames[0])).toEqual(expected);
    expect(frames[0].schema.fields[1]).toMatchObject({ name: 'value', typeInfo: { frame: 'int64' } });
  });

  test('group_by: one series per label, zeros elsewhere', async () => {
    const frames = await series({ condition: 'distinct_endpoints', threshold: 1, group_by: 'user' });
    const byLabel = Object.fromEntries(frames.map((f) => [f.schema.fields[1].labels?.user, values(f)]));
    expect(byLabel).toEqual({
      '': [0, 1, 0, 0, 0, 0, 0, 0],
      mallory: [0, 0, 0, 1, 0, 0, 0, 0],
      eve: [0, 0, 0, 0, 1, 0, 0, 0],
    });
  });

  test('no match → one zero series (alerts reduce cleanly)', async () => {
    const frames = await series({ condition: 'attacks', threshold: 99, group_by: 'host' });
    expect(frames).toHaveLength(1);
    expect(values(frames[0])).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('values', () => {
  test('terms with counts, prefix, status, attack_type', async () => {
    const users = await server.get(`/v1/values/user?from=${FROM}&to=${TO}`);
    expect(users.json.values).toEqual([
      { value: 'mallory', count: 21 },
      { value: 'eve', count: 8 },
    ]);
    const scan = await server.get(`/v1/values/endpoint?from=${FROM}&to=${TO}&prefix=/scan/&limit=3`);
    expect(scan.json.values).toHaveLength(3);
    const status = await server.get(`/v1/values/status?from=${FROM}&to=${TO}&prefix=4`);
    expect(status.json.values).toEqual([{ value: '401', count: 20 }]);
    const attacks = await server.get(`/v1/values/attack_type?from=${FROM}&to=${TO}`);
    expect(attacks.json.values.map((v: any) => v.value)).toEqual(['sqli', 'xss']);
  });
});
