/**
 * API inventory in queries, against the real node: `api_status` / `flow` filters and breakdowns, the session list's
 * shadow/zombie/flows columns, the `shadow_or_zombie` patterns condition and the `inventory` query type.
 */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, NOW, makeRequest, rows, framesOf, useQueryServer } from './fixtures';

const T0 = NOW - DAY;

function dataset(): StoredRequest[] {
  const docs: StoredRequest[] = [];
  for (let i = 0; i < 6; i++)
    docs.push(
      makeRequest('login-user', T0 + i * 1000, {
        endpoint: '/api/login',
        api_status: 'documented',
        flows: ['authentication'],
      }),
    );
  for (let i = 0; i < 3; i++)
    docs.push(
      makeRequest('shadow-user', T0 + i * 1000, {
        endpoint: '/internal/debug',
        api_status: 'shadow',
        flows: [],
        status: i === 0 ? 500 : 200,
      }),
    );
  docs.push(
    makeRequest('shadow-user', T0 + 5000, { endpoint: '/api/pay', api_status: 'zombie', flows: ['billing', 'admin'] }),
  );
  return docs;
}

const server = useQueryServer('query-inventory', () => dataset());

const q = async (body: Record<string, unknown>) => {
  const res = await server.query({ from: T0 - 60_000, to: T0 + 60_000, ...body });
  return framesOf(res);
};

describe('API inventory fields in queries', () => {
  test('requests filtered by api_status and by flow, exact values only', async () => {
    expect(rows((await q({ queryType: 'requests', api_status: 'shadow' }))[0])).toHaveLength(3);
    expect(rows((await q({ queryType: 'requests', flow: 'billing' }))[0]).map((r) => r.endpoint)).toEqual(['/api/pay']);
    expect(rows((await q({ queryType: 'requests', flow: 'auth*' }))[0])).toHaveLength(0);
  });

  test('sessions that called a shadow or zombie endpoint', async () => {
    const sessions = rows((await q({ queryType: 'sessions', api_status: 'zombie' }))[0]);
    expect(sessions.map((s) => s.session_id)).toEqual(['shadow-user']);
    expect(sessions[0].requests).toBe(4); // the whole session, not only the matching request
  });

  test('api_status takes a comma-separated list; an unknown status is a 400 naming the field', async () => {
    const sessions = rows((await q({ queryType: 'sessions', api_status: 'shadow,zombie' }))[0]);
    expect(sessions.map((s) => s.session_id)).toEqual(['shadow-user']);
    const bad = await server.query({ queryType: 'sessions', api_status: 'shadow,ghost' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({
      field: 'api_status',
      message: expect.stringContaining('documented, zombie, shadow, unknown'),
    });
  });

  test('session list: shadow and zombie request counts, flows with their shares', async () => {
    const byKey = Object.fromEntries(rows((await q({ queryType: 'sessions' }))[0]).map((s) => [s.session_id, s]));
    expect(byKey['shadow-user']).toMatchObject({
      shadow_requests: 3,
      zombie_requests: 1,
      flows: 'admin 25%, billing 25%',
    });
    expect(byKey['login-user']).toMatchObject({ shadow_requests: 0, zombie_requests: 0, flows: 'authentication 100%' });
  });

  test('patterns: sessions that called a shadow or zombie endpoint, per interval; threshold counts their requests', async () => {
    const values = async (threshold: number) => {
      const [frame] = await q({
        queryType: 'patterns',
        condition: 'shadow_or_zombie',
        threshold,
        interval_ms: 120_000,
      });
      return (frame.data.values[1] as number[]).reduce((a, b) => a + b, 0);
    };
    expect(await values(1)).toBe(1);
    expect(await values(4)).toBe(1);
    expect(await values(5)).toBe(0);
  });

  test('inventory: one row per endpoint and status with requests, sessions, error rate, last seen', async () => {
    const [frame] = await q({ queryType: 'inventory' });
    expect(frame.schema.name).toBe('inventory');
    const table = rows(frame);
    expect(table.map((r) => [r.endpoint, r.api_status, r.requests, r.sessions])).toEqual([
      ['/api/login', 'documented', 6, 1],
      ['/internal/debug', 'shadow', 3, 1],
      ['/api/pay', 'zombie', 1, 1],
    ]);
    expect(table[1]).toMatchObject({
      method: 'GET',
      host: 'api.example.com',
      errors: 1,
      last_seen: T0 + 2000,
      first_seen: T0,
    });
    expect(table[1].error_rate).toBeCloseTo(1 / 3);
    const undocumented = rows((await q({ queryType: 'inventory', api_status: 'shadow,zombie', sort: 'last_seen' }))[0]);
    expect(undocumented.map((r) => r.endpoint)).toEqual(['/api/pay', '/internal/debug']);
    expect(rows((await q({ queryType: 'inventory', sort: 'error_rate', limit: 1 }))[0]).map((r) => r.endpoint)).toEqual(
      ['/internal/debug'],
    );
    // sort by sessions counts them for every row in one pass; the other sorts count them for the chosen rows after
    const sessionsOf = (t: Record<string, unknown>[]) => Object.fromEntries(t.map((r) => [r.endpoint, r.sessions]));
    const bySessions = rows((await q({ queryType: 'inventory', sort: 'sessions' }))[0]);
    expect(sessionsOf(bySessions)).toEqual(sessionsOf(table));
  });

  test('values of flow and api_status for template variables', async () => {
    const values = async (field: string) => {
      const res = await server.get(`/v1/values/${field}?from=${T0 - 60_000}&to=${T0 + 60_000}`);
      expect(res.status).toBe(200);
      return Object.fromEntries((res.json.values as { value: string; count: number }[]).map((v) => [v.value, v.count]));
    };
    expect(await values('flow')).toEqual({ authentication: 6, admin: 1, billing: 1 });
    expect(await values('api_status')).toEqual({ documented: 6, shadow: 3, zombie: 1 });
  });

  test('breakdown by flow and by api_status', async () => {
    const byFlow = Object.fromEntries(
      rows((await q({ queryType: 'breakdown', by: 'flow' }))[0]).map((r) => [r.value, r.count]),
    );
    expect(byFlow).toEqual({ authentication: 6, billing: 1, admin: 1 });
    const byStatus = Object.fromEntries(
      rows((await q({ queryType: 'breakdown', by: 'api_status' }))[0]).map((r) => [r.value, r.count]),
    );
    expect(byStatus).toEqual({ documented: 6, shadow: 3, zombie: 1 });
  });
});
