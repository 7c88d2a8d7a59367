/**
 * The session list against the real node, compared with the reference sessionizer on a generated
 * multi-day dataset (interleaved actors, out-of-order insertion, midnight crossing, gaps T − 1 ms and T,
 * one session of 20,000 requests).
 */
import { sessionDetailsLink } from '../../src/grafana';
import type { StoredRequest } from '../../src/storage/mappings';
import {
  BIG_KEY,
  DAY,
  EDGE,
  NOW,
  generateDataset,
  referenceSessions,
  rows,
  framesOf,
  useQueryServer,
  type RefPart,
} from './fixtures';

let docs: StoredRequest[];
const FROM = NOW - 5 * DAY;

const server = useQueryServer('query-sessions', () => (docs = generateDataset({ bigSession: 20_000 })), 180_000);

async function sessions(params: Record<string, unknown>) {
  const res = await server.query({ queryType: 'sessions', from: FROM, to: NOW, limit: 1000, ...params });
  const frame = framesOf(res)[0];
  return { rows: rows(frame), total: frame.schema.meta.custom.total as number, frame };
}

const project = (p: RefPart | Record<string, any>) =>
  'session_id' in p
    ? {
        key: p.session_id,
        start: p.start,
        end: p.end,
        requests: p.requests,
        attacks: p.attacks,
        blocked: p.blocked,
        s4: p.status_4xx,
        s5: p.status_5xx,
        max: p.latency_max_ms,
      }
    : {
        key: p.key,
        start: p.start,
        end: p.end,
        requests: p.requests,
        attacks: p.attacks,
        blocked: p.blocked,
        s4: p.status4xx,
        s5: p.status5xx,
        max: p.durMax,
      };

const byStart = (a: { key: string; start: number }, b: { key: string; start: number }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.start - b.start;

describe.each([
  [30, true],
  [30, false],
  [0, true],
  [0, false],
  [1, true],
  [7, true],
  [45, true],
  [180, false],
])('idle %i min, split_by_day %s', (idle, split) => {
  test('agrees exactly with the reference sessionizer', async () => {
    const ref = referenceSessions(docs, idle * 60_000, split);
    const { rows: got, total } = await sessions({ idle_timeout_minutes: idle, split_by_day: split, sort: 'start' });
    expect(total).toBe(ref.length);
    // The top 1000 by start (newest first): compare as sets of exact parts.
    const expected = [...ref].sort((a, b) => b.start - a.start || byStart(a, b)).slice(0, 1000);
    expect(got.map(project).sort(byStart)).toEqual(expected.map(project).sort(byStart));
  });

  test.each([1000, 7])('last_activity (pruned search), limit %i: same parts, same order', async (limit) => {
    const ref = referenceSessions(docs, idle * 60_000, split);
    const { rows: got, total } = await sessions({ idle_timeout_minutes: idle, split_by_day: split, limit });
    expect(total).toBe(ref.length);
    const expected = [...ref]
      .sort((a, b) => b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.start - a.start)
      .slice(0, limit);
    expect(got.map(project)).toEqual(expected.map(project));
  });
});

test('gap T − 1 ms joins, gap T splits, midnight cuts when split_by_day', async () => {
  const get = async (key: string, split = true) =>
    (await sessions({ session_id: key, split_by_day: split })).rows.map((r) => [r.start, r.end, r.requests]);
  const joined = docs.filter((d) => d.session.key === EDGE.joined).map((d) => d.ts);
  expect(await get(EDGE.joined)).toEqual([[joined[0], joined[2], 3]]);
  const split = docs.filter((d) => d.session.key === EDGE.split).map((d) => d.ts);
  expect((await get(EDGE.split)).sort()).toEqual(
    [
      [split[0], split[1], 2],
      [split[2], split[2], 1],
    ].sort(),
  );
  const mid = docs.filter((d) => d.session.key === EDGE.midnight).map((d) => d.ts);
  expect((await get(EDGE.midnight)).sort()).toEqual(
    [
      [mid[0], mid[1], 2],
      [mid[2], mid[3], 2],
    ].sort(),
  );
  expect(await get(EDGE.midnight, false)).toEqual([[mid[0], mid[3], 4]]);
});

test('the 20,000-request session is one exact part with its details', async () => {
  const { rows: got } = await sessions({ session_id: BIG_KEY });
  expect(got).toHaveLength(1);
  const big = docs.filter((d) => d.session.key === BIG_KEY);
  expect(got[0].requests).toBe(20_000);
  expect(got[0].start).toBe(Math.min(...big.map((d) => d.ts)));
  expect(got[0].end).toBe(Math.max(...big.map((d) => d.ts)));
  expect(got[0].client_ips).toBe('172.16.5.5');
  expect(got[0].endpoints).toBe(new Set(big.map((d) => d.endpoint)).size);
  expect(got[0].latency_mean_ms).toBeCloseTo(5, 5);
});

describe('sort, limit, total', () => {
  const ref = () => referenceSessions(docs, 30 * 60_000, true);
  const value: Record<string, (p: RefPart) => number> = {
    last_activity: (p) => p.end,
    start: (p) => p.start,
    requests: (p) => p.requests,
    attacks: (p) => p.attacks,
    duration: (p) => p.end - p.start,
    errors: (p) => p.status4xx + p.status5xx,
  };
  test.each(Object.keys(value))('sort=%s returns the top parts in order', async (sort) => {
    const { rows: got, total } = await sessions({ sort, limit: 25 });
    const all = ref();
    expect(total).toBe(all.length);
    expect(got).toHaveLength(25);
    const f = value[sort];
    const expected = all
      .sort((a, b) => f(b) - f(a) || b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.start - a.start)
      .slice(0, 25);
    expect(got.map(project)).toEqual(expected.map(project));
  });

  test('limit caps rows, total counts all parts', async () => {
    const { rows: got, total } = await sessions({ limit: 3 });
    expect(got).toHaveLength(3);
    expect(total).toBe(ref().length);
  });

  test('min_requests and min_attacks filter parts', async () => {
    const all = ref();
    const a = await sessions({ min_requests: 20 });
    expect(a.total).toBe(all.filter((p) => p.requests >= 20).length);
    expect(a.rows.every((r) => r.requests >= 20)).toBe(true);
    const b = await sessions({ min_attacks: 3 });
    expect(b.total).toBe(all.filter((p) => p.attacks >= 3).length);
    const c = await sessions({ min_attacks: 2, min_requests: 30 });
    expect(c.total).toBe(all.filter((p) => p.attacks >= 2 && p.requests >= 30).length);
  });
});

describe('filters select parts containing a matching request; columns describe the whole part', () => {
  const sample = () => docs.find((d) => d.user && d.attack_types?.length && d.session.key.startsWith('key'))!;
  const cases: [string, () => Record<string, unknown>, (d: StoredRequest) => boolean][] = [
    ['host', () => ({ host: 'shop.example.com' }), (d) => d.host === 'shop.example.com'],
    ['app', () => ({ app: 'billing' }), (d) => d.app === 'billing'],
    ['method', () => ({ method: 'DELETE' }), (d) => d.method === 'DELETE'],
    ['user', () => ({ user: sample().user }), (d) => d.user === sample().user],
    ['role', () => ({ role: 'admin' }), (d) => d.role === 'admin'],
    ['endpoint exact', () => ({ endpoint: '/login' }), (d) => d.endpoint === '/login'],
    ['endpoint prefix', () => ({ endpoint: '/api/v1/*' }), (d) => d.endpoint.startsWith('/api/v1/')],
    ['status', () => ({ status: 503 }), (d) => d.status === 503],
    ['status class', () => ({ status: '4xx' }), (d) => d.status >= 400 && d.status < 500],
    ['attack_type', () => ({ attack_type: 'rce' }), (d) => (d.attack_types ?? []).includes('rce')],
    ['attacked', () => ({ attacked: true }), (d) => d.attacked],
    ['blocked', () => ({ blocked: true }), (d) => d.blocked],
    ['bot any', () => ({ bot: 'any' }), (d) => d.bot !== undefined],
    ['bot type', () => ({ bot: 'scraper' }), (d) => d.bot?.type === 'scraper'],
    ['client_ip', () => ({ client_ip: sample().client_ip }), (d) => d.client_ip === sample().client_ip],
    ['client_ip CIDR', () => ({ client_ip: '10.1.0.0/16' }), (d) => d.client_ip.startsWith('10.1.')],
    ['client_ip CIDR /24', () => ({ client_ip: '192.168.3.0/24' }), (d) => d.client_ip.startsWith('192.168.3.')],
    ['session_id', () => ({ session_id: sample().session.key }), (d) => d.session.key === sample().session.key],
    ['request_id', () => ({ request_id: sample().id }), (d) => d.id === sample().id],
    [
      'combined',
      () => ({ host: 'api.example.com', status: '5xx', attacked: false }),
      (d) => d.host === 'api.example.com' && d.status >= 500 && !d.attacked,
    ],
  ];
  test.each(cases)('%s', async (_name, params, match) => {
    const ref = referenceSessions(docs, 30 * 60_000, true, match).filter((p) => p.matched > 0);
    expect(ref.length).toBeGreaterThan(0);
    const { rows: got, total } = await sessions({ ...params(), sort: 'start' });
    expect(total).toBe(ref.length);
    const expected = ref.sort((a, b) => b.start - a.start || byStart(a, b)).slice(0, 1000);
    expect(got.map(project).sort(byStart)).toEqual(expected.map(project).sort(byStart));
  });
});

test('frame shape: typeInfo on every field, data links on session_id, total in meta', async () => {
  const { frame } = await sessions({ limit: 2, datasource_uid: 'abc' });
  for (const f of frame.schema.fields) expect(f.typeInfo).toEqual({ frame: expect.any(String), nullable: true });
  const names = frame.schema.fields.map((f: { name: string }) => f.name);
  expect(names).toEqual([
    'session_id',
    'start',
    'end',
    'duration_ms',
    'requests',
    'attacks',
    'attack_types',
    'blocked',
    'status_4xx',
    'status_5xx',
    'endpoints',
    'top_endpoints',
    'user',
    'role',
    'client_ips',
    'user_agent',
    'host',
    'app',
    'key_source',
    'shadow_requests',
    'zombie_requests',
    'flows',
    'latency_mean_ms',
    'latency_max_ms',
  ]);
  const links = frame.schema.fields[0].config.links;
  // The service default idle timeout (30): the link reopens the part with the timeout that cut it.
  expect(links[0]).toEqual(sessionDetailsLink(30));
  expect(links[1].internal.datasourceUid).toBe('abc');
  expect(frame.schema.fields[1]).toMatchObject({ type: 'time', typeInfo: { frame: 'time.Time' } });
});

test('details merged from cells (pruned path) equal the filters-aggregation details (full path)', async () => {
  const { rows: top } = await sessions({ limit: 15 });
  const detail = [
    'endpoints',
    'top_endpoints',
    'attack_types',
    'user',
    'role',
    'client_ips',
    'user_agent',
    'host',
    'app',
    'key_source',
    'latency_mean_ms',
    'latency_max_ms',
  ];
  for (const row of top) {
    const { rows: same } = await sessions({ session_id: row.session_id });
    const match = same.find((r) => r.start === row.start)!;
    for (const col of detail) expect([col, row[col]]).toEqual([col, match[col]]);
  }
});
