/**
 * Hostile input on the query API (`POST /v1/query`, `GET /v1/values/:field`), property-based, against the real
 * service and OpenSearch. Filters must be exact terms: a value with Lucene / query-DSL / regex syntax matches only
 * a record that has exactly that value. Records whose fields literally hold such syntax are stored first, and each
 * answer is checked against an oracle computed from the stored documents.
 */
import fc from 'fast-check';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { startTestService, storedDocs, type TestService } from '../service';
import { answerProblem, anyValue, fcOpts, freshRecord, hostileString } from './hostile';

jest.setTimeout(180_000);

const client = testClient();
const prefix = uniquePrefix('fuzz-query');
let svc: TestService;
let docs: any[] = [];
let from = 0;
let to = 0;

/** Values stored literally in the records (host is lower-cased by ingest, so they are lower-case already). */
const STORED = [
  'a*b',
  'a?b',
  'a',
  'ab',
  'a*',
  '" or 1=1',
  '\\',
  '{"match_all":{}}',
  'host:* or *',
  '/.*/',
  '<script>',
  '*',
  '/api/*x',
  '/api/v1/items',
  'a\r\nb',
  'a\u0000b',
];

const FILTERS = [
  'host',
  'app',
  'method',
  'user',
  'role',
  'endpoint',
  'attack_type',
  'bot',
  'client_ip',
  'session_id',
  'request_id',
] as const;
type Filter = (typeof FILTERS)[number];

beforeAll(async () => {
  svc = await startTestService(prefix, { LOG_LEVEL: 'silent' });
  const now = Date.now();
  const recs = STORED.map((v, i) =>
    freshRecord({
      id: v === '' ? `id-${i}` : v,
      ts: now - 60_000 - i * 1000,
      host: v,
      app: v,
      user: v,
      role: v,
      endpoint: v,
      session_id: `sess-${i}`, // one session per record, so session counts equal record counts
      attacks: [{ type: v }],
      bot: { type: v },
      client_ip: `198.51.100.${i + 1}`,
    }),
  );
  recs.push(
    freshRecord({
      id: 'plain',
      ts: now - 30_000,
      method: 'DELETE',
      session_id: 'sess-plain',
      client_ip: '2001:db8::1',
    }),
  );
  const res = await svc.post('/v1/requests', recs);
  expect(res.json.errors).toEqual([]);
  expect(res.status).toBe(200);
  docs = await storedDocs(svc.client, prefix);
  expect(docs).toHaveLength(recs.length);
  from = now - 3_600_000;
  to = now + 60_000;
});
afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});
afterEach(async () => {
  expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
});

/** The stored value(s) a filter compares with. */
function docValues(doc: any, f: Filter): string[] {
  switch (f) {
    case 'attack_type':
      return doc.attack_types ?? [];
    case 'bot':
      return doc.bot?.type !== undefined ? [doc.bot.type] : [];
    case 'session_id':
      return [doc.session.key];
    case 'request_id':
      return [doc.id];
    default:
      return doc[f] !== undefined ? [String(doc[f])] : [];
  }
}

/** Oracle: how many stored records a filter value selects (exact term; endpoint `x*` = prefix; bot `any`). */
function expectedCount(f: Filter, value: string): number {
  if (value === '') return docs.length; // empty = not set
  return docs.filter((d) => {
    const vals = docValues(d, f);
    if (f === 'endpoint' && value.endsWith('*')) return vals.some((v) => v.startsWith(value.slice(0, -1)));
    if (f === 'bot' && value === 'any') return vals.length > 0;
    return vals.includes(value);
  }).length;
}

const filterValue = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...STORED, ...STORED.map((s) => s.toUpperCase()), ...STORED.map((s) => `${s}*`)),
  },
);

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as on the wire). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const ok = (res: { status: number; json: any }) => answerProblem(res);

describe('query filters are exact terms, never syntax', () => {
  it('requests and sessions: a filter selects exactly the records holding that value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILTERS), filterValue, async (f, value) => {
        const body = { queryType: 'requests', from, to, page_size: 1000, [f]: value };
        const res = await svc.post('/v1/query', body);
        expect(ok(res)).toBeUndefined();
        if (res.status === 400) {
          // only a value over 1024 chars or a non-IP client_ip may be refused, and the answer names the field
          expect(f === 'client_ip' || value.length > 1024).toBe(true);
          expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(f);
          return;
        }
        expect(res.status).toBe(200);
        const total = res.json.frames[0].schema.meta.custom.total;
        if (f !== 'client_ip') expect({ f, value, total }).toEqual({ f, value, total: expectedCount(f, value) });

        const sessions = await svc.post('/v1/query', {
          ...body,
          queryType: 'sessions',
          page_size: undefined,
          limit: 1000,
        });
        expect(ok(sessions)).toBeUndefined();
        expect(sessions.status).toBe(200);
        if (f !== 'client_ip')
          expect({ f, value, sessions: sessions.json.frames[0].schema.meta.custom.total }).toEqual({
            f,
            value,
            sessions: expectedCount(f, value),
          });
      }),
      fcOpts(150),
    );
  });

  it('literal syntax values find exactly their own record', async () => {
    for (const v of ['a*b', 'a?b', '" or 1=1', '\\', '{"match_all":{}}', 'host:* or *', '/.*/', '*']) {
      const res = await svc.post('/v1/query', { queryType: 'requests', from, to, host: v });
      expect({ v, total: res.json.frames[0].schema.meta.custom.total }).toEqual({ v, total: 1 });
    }
    // `a*` as host is a literal (one record has host "a*"), not a wildcard over a, ab, a*b, a?b
    const star = await svc.post('/v1/query', { queryType: 'requests', from, to, host: 'a*' });
    expect(star.json.frames[0].schema.meta.custom.total).toBe(1);
    // endpoint with a trailing * is a prefix: a, ab, a*b, a?b, a*
    const prefixRes = await svc.post('/v1/query', { queryType: 'requests', from, to, endpoint: 'a*' });
    expect(prefixRes.json.frames[0].schema.meta.custom.total).toBe(expectedCount('endpoint', 'a*'));
    expect(expectedCount('endpoint', 'a*')).toBeGreaterThanOrEqual(5);
  });

  it('breakdown, performance, patterns and timeline take hostile filters without a 5xx', async () => {
    const variant = fc.constantFrom<Record<string, unknown>>(
      { queryType: 'breakdown', by: 'endpoint' },
      { queryType: 'breakdown', by: 'user' },
      { queryType: 'performance' },
      { queryType: 'performance', view: 'slowest_endpoints' },
      { queryType: 'performance', view: 'session_rates' },
      { queryType: 'performance', by_endpoint: true },
      { queryType: 'patterns', condition: 'attacks' },
      { queryType: 'patterns', condition: 'rate', group_by: 'host' },
    );
    await fc.assert(
      fc.asyncProperty(variant, fc.constantFrom(...FILTERS), filterValue, async (v, f, value) => {
        const res = await svc.post('/v1/query', { ...v, from, to, [f]: value });
        expect(ok(res)).toBeUndefined();
      }),
      fcOpts(100),
    );
    await fc.assert(
      fc.asyncProperty(hostileString, fc.constantFrom('trace', 'table'), async (sid, format) => {
        const res = await svc.post('/v1/query', { queryType: 'timeline', from, to, session_id: sid, format });
        expect(ok(res)).toBeUndefined();
        if (res.status === 200) expect(res.json.frames[0].schema.meta.custom.total).toBe(0);
      }),
      fcOpts(60),
    );
  });

  it('patterns endpoint_pattern: only * is a wildcard; ?, \\, regex and DSL are literal; refusals are a 400 naming it', async () => {
    const toRegex = (p: string) =>
      new RegExp(
        `^${p
          .split('*')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
          .join('[\\s\\S]*')}$`,
      );
    const pattern = fc.oneof(
      hostileString.filter((s) => s.length > 0 && s.length <= 1024),
      fc.constantFrom(
        '*',
        '**',
        'a*',
        '*b',
        'a?b',
        'a\\*b',
        '*a*b*',
        '/.*/',
        '{"match_all":{}}',
        '*'.repeat(200),
        '*a'.repeat(50),
        '*a'.repeat(300),
        '*a*b*c*d*e*f*g*h',
        '?'.repeat(200),
      ),
    );
    await fc.assert(
      fc.asyncProperty(pattern, async (p) => {
        const res = await svc.post('/v1/query', {
          queryType: 'patterns',
          condition: 'endpoint',
          endpoint_pattern: p,
          from,
          to,
          interval_ms: 3_600_000,
        });
        expect(ok(res)).toBeUndefined();
        if (res.status === 400) {
          // refused patterns (too long, too many wildcards, too complex for OpenSearch) name the parameter
          expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain('endpoint_pattern');
          return;
        }
        expect(res.status).toBe(200);
        const sum = res.json.frames.reduce(
          (acc: number, fr: any) => acc + fr.data.values[1].reduce((a: number, b: number) => a + b, 0),
          0,
        );
        const re = toRegex(p);
        const expected = docs.filter((d) => d.endpoint.length <= 1024 && re.test(d.endpoint)).length;
        // an interval of 1 h may split the records over two grid cells; sessions are distinct per record
        expect({ p, sum }).toEqual({ p, sum: expected });
      }),
      fcOpts(100),
    );
  });

  it('values: a hostile prefix lists only values that start with it (the prefix is not a regex)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('host', 'app', 'endpoint', 'user', 'role', 'attack_type', 'method', 'status'),
        fc.oneof(hostileString, fc.constantFrom(...STORED)),
        async (field, p) => {
          const res = await svc.get(`/v1/values/${field}?prefix=${pct(p)}&from=${from}&to=${to}&limit=1000`);
          expect(ok(res)).toBeUndefined();
          if (res.status === 400) {
            expect(p.length).toBeGreaterThan(256);
            return;
          }
          expect(res.status).toBe(200);
          for (const v of res.json.values) expect(v.value.startsWith(p)).toBe(true);
          if (field === 'host' || field === 'user') {
            const expected = new Set(docs.map((d) => d[field]).filter((x) => typeof x === 'string' && x.startsWith(p)));
            expect(new Set(res.json.values.map((v: { value: string }) => v.value))).toEqual(expected);
          }
        },
      ),
      fcOpts(100),
    );
  });
});

describe('query bodies: wrong types, unknown keys, malformed JSON', () => {
  const PARAMS = [
    'from',
    'to',
    'refId',
    'interval_ms',
    'max_data_points',
    'datasource_uid',
    'limit',
    'page',
    'page_size',
    'sort',
    'format',
    'idle_timeout_minutes',
    'split_by_day',
    'min_requests',
    'min_attacks',
    'by',
    'view',
    'by_endpoint',
    'condition',
    'threshold',
    'endpoint_pattern',
    'group_by',
    'session_id',
    'start',
    'end',
    'status',
    'attacked',
    'blocked',
    ...FILTERS,
    '__proto__',
    'constructor',
  ];
  const TYPES = ['sessions', 'timeline', 'requests', 'breakdown', 'performance', 'patterns'];

  it('any parameter with any value: 200, or a 400 whose details name a field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: anyValue }),
        fc.dictionary(fc.constantFrom(...PARAMS), anyValue, { maxKeys: 4 }),
        async (queryType, params) => {
          const res = await svc.post('/v1/query', { from, to, ...params, queryType });
          expect(ok(res)).toBeUndefined();
          if (typeof queryType !== 'string' || !TYPES.includes(queryType)) {
            expect(res.status).toBe(400);
            expect(res.json.error.details[0].field).toBe('queryType');
          }
        },
      ),
      fcOpts(250),
    );
  });

  it('huge, negative, fractional and unsafe numbers in time and paging parameters', async () => {
    const num = fc.constantFrom(
      1e308,
      -1e308,
      2 ** 53 + 1,
      -0,
      0,
      0.5,
      -1,
      8.64e15,
      8.64e15 + 1,
      1e21,
      Number.MAX_SAFE_INTEGER,
      5e-324,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'from',
          'to',
          'interval_ms',
          'max_data_points',
          'page',
          'page_size',
          'limit',
          'start',
          'end',
          'threshold',
          'idle_timeout_minutes',
        ),
        num,
        fc.constantFrom(...TYPES),
        async (k, n, t) => {
          const res = await svc.post('/v1/query', {
            queryType: t,
            from,
            to,
            session_id: 'x',
            by: 'status',
            condition: 'rate',
            [k]: n,
          });
          expect(ok(res)).toBeUndefined();
        },
      ),
      fcOpts(150),
    );
  });

  it('NaN / Infinity literals, deep nesting, malformed and non-JSON bodies', async () => {
    const bodies = [
      '{"queryType":"sessions","from":NaN}',
      '{"queryType":"sessions","limit":Infinity}',
      '{"queryType":"sessions","limit":-Infinity}',
      '{"queryType":"sessions","limit":1e309}',
      '{"queryType":"sessions",}',
      '{"queryType":"sessions"',
      '',
      'null',
      '[]',
      '"sessions"',
      '1',
      '{"queryType":"sessions","__proto__":{"polluted":1}}',
      '{"queryType":"sessions","constructor":{"prototype":{"polluted":1}}}',
      '{"queryType":"__proto__"}',
      '{"queryType":"constructor"}',
      '{"queryType":"toString"}',
      '{"queryType":"sessions","host":"\ud800"}',
      '{"queryType":"sessions","host":"\\ud800"}',
      '{"queryType":"sessions","host":"a\\u0000b"}',
      `{"queryType":"sessions","host":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"queryType":"sessions","x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
      `{"queryType":"sessions","host":"${'x'.repeat(900_000)}"}`,
      `{"queryType":"sessions","host":"${'x'.repeat(1_100_000)}"}`,
    ];
    for (const b of bodies) {
      const res = await svc.post('/v1/query', undefined, { raw: b });
      const label = b.slice(0, 60);
      expect({ label, problem: ok(res) }).toEqual({ label, problem: undefined });
    }
    const bytes = Buffer.concat([
      Buffer.from('{"queryType":"sessions","host":"'),
      Buffer.from([0xff, 0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expect(ok(await svc.post('/v1/query', undefined, { raw: bytes }))).toBeUndefined();
    for (const type of ['text/plain', 'application/x-ndjson', 'application/xml']) {
      const res = await svc.post('/v1/query', undefined, {
        raw: '{"queryType":"sessions"}',
        headers: { 'content-type': type },
      });
      expect({ type, problem: ok(res) }).toEqual({ type, problem: undefined });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('values endpoint: hostile field names and query strings', async () => {
    // Node's HTTP parser answers 431 (no body) for a request line over 16 KB: keep the URL under it.
    const inUrl = hostileString.filter((s) => s.length <= 1000);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('host', 'status', '__proto__', 'constructor', 'toString', '..', '%00', '*'), inUrl),
        fc.dictionary(fc.constantFrom('prefix', 'from', 'to', 'limit', '__proto__', 'constructor'), inUrl, {
          maxKeys: 3,
        }),
        async (field, q) => {
          const qs = Object.entries(q)
            .map(([k, v]) => `${pct(k)}=${pct(v)}`)
            .join('&');
          const res = await svc.get(`/v1/values/${pct(field)}?${qs}&limit=5&limit=7`).catch(() => undefined);
          if (!res) return;
          expect(ok(res)).toBeUndefined();
        },
      ),
      fcOpts(100),
    );
  });
});
