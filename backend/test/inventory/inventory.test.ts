/**
 * API inventory against the real node and the real HTTP service: spec loading (SPECS_DIR at start-up and
 * POST /v1/specs), versions, malformed specs, classification of every status, and flows stored per request.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { framesOf, rows } from '../query/fixtures';
import { record, startTestService, storedDocs, TEST_TOKENS, type TestService } from '../service';

const ADMIN = 'test-admin-token-0123456789';
const prefix = uniquePrefix('inventory');
const specsDir = mkdtempSync(path.join(tmpdir(), 'specs-'));
const flowsFile = path.join(specsDir, '..', `${path.basename(specsDir)}-flows.yaml`);
let svc: TestService;

// v1 of api.example.com, placed in SPECS_DIR before start-up: OpenAPI 3.0, YAML, base path /v2.
const V1_YAML = `openapi: 3.0.3
info: { title: Users API, version: "1.0" }
servers: [{ url: "https://api.example.com/v2" }]
paths:
  /users/{id}:
    get: { operationId: getUser }
  /old:
    get: {}
  /login:
    post: {}
`;
// v2, uploaded: OpenAPI 3.1, JSON; /old removed, reports added (tagged for a user flow).
const V2_JSON = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'Users API', version: '2.0' },
  servers: [{ url: 'https://api.example.com/v2' }],
  paths: {
    '/users/{id}': { get: { operationId: 'getUser' } },
    '/users/{id}/orders/{order}': { get: {} },
    '/login': { post: {} },
    '/reports/{id}': { get: { tags: ['Reports'] } },
    '/export': { post: { operationId: 'exportCsv' } },
  },
});
// An app spec, OpenAPI 3.1 YAML, no servers (root base path).
const SHOP_YAML = `openapi: 3.1.0
info: { title: Shop, version: "7" }
paths:
  /cart: { get: {} }
  /checkout: { post: {} }
`;

const postSpec = (query: string, text: string, token = ADMIN, contentType = 'application/yaml') =>
  svc.post(`/v1/specs?${query}`, null, { raw: text, token, headers: { 'content-type': contentType } });

beforeAll(async () => {
  mkdirSync(path.join(specsDir, 'hosts', 'api.example.com'), { recursive: true });
  writeFileSync(path.join(specsDir, 'hosts', 'api.example.com', '1.yaml'), V1_YAML);
  writeFileSync(
    flowsFile,
    'flows:\n  - flow: reporting\n    tags: [reports]\n    operation_ids: [exportCsv]\n  - flow: shop\n    endpoints: ["GET */cart*"]\n',
  );
  svc = await startTestService(prefix, { SPECS_DIR: specsDir, FLOWS_CONFIG: flowsFile, ADMIN_TOKENS: ADMIN });
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
  rmSync(specsDir, { recursive: true, force: true });
  rmSync(flowsFile, { force: true });
});

describe('specs', () => {
  it('loads SPECS_DIR at start-up and lists its versions to an admin token only', async () => {
    const res = await svc.get('/v1/specs', ADMIN);
    expect(res.status).toBe(200);
    expect(res.json.scopes).toEqual([
      {
        kind: 'host',
        name: 'api.example.com',
        versions: [
          expect.objectContaining({
            version: 1,
            file: '1.yaml',
            openapi: '3.0.3',
            info_version: '1.0',
            operations: 3,
            base_paths: ['/v2'],
            current: true,
          }),
        ],
      },
    ]);
    expect((await svc.get('/v1/specs', TEST_TOKENS.query)).status).toBe(401);
    expect((await postSpec('host=api.example.com', V2_JSON, TEST_TOKENS.ingest)).status).toBe(401);
    expect((await svc.post('/v1/requests', record(), { token: ADMIN })).status).toBe(401);
  });

  it('takes a new version as JSON (3.1) and an app spec as YAML (3.1), persisted as files', async () => {
    const v2 = await postSpec('host=API.example.com', V2_JSON, ADMIN, 'application/json');
    expect(v2.status).toBe(201);
    expect(v2.json).toMatchObject({
      host: 'api.example.com',
      version: 2,
      file: '2.json',
      openapi: '3.1.0',
      info_version: '2.0',
      operations: 5,
      base_paths: ['/v2'],
    });
    const shop = await postSpec('app=shop', SHOP_YAML);
    expect(shop.status).toBe(201);
    expect(shop.json).toMatchObject({ app: 'shop', version: 1, file: '1.yaml', base_paths: [''] });
    expect(readdirSync(path.join(specsDir, 'hosts', 'api.example.com')).sort()).toEqual(['1.yaml', '2.json']);
    expect(readdirSync(path.join(specsDir, 'apps', 'shop'))).toEqual(['1.yaml']);
    const json30 = await postSpec(
      'app=pay',
      JSON.stringify({
        openapi: '3.0.0',
        info: { title: 'Pay', version: '1' },
        servers: [{ url: '/pay' }],
        paths: { '/charges': { post: {} } },
      }),
      ADMIN,
      'application/json',
    );
    expect(json30.json).toMatchObject({
      app: 'pay',
      version: 1,
      file: '1.json',
      openapi: '3.0.0',
      base_paths: ['/pay'],
    });
  });

  it('rejects a malformed spec with the parser message and keeps the last good version', async () => {
    const broken = await postSpec('host=api.example.com', 'openapi: 3.1.0\ninfo: [oops\n');
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatchObject({
      code: 'invalid_spec',
      message: expect.stringMatching(/^invalid OpenAPI document: not valid YAML: /),
    });
    const wrong = await postSpec(
      'host=api.example.com',
      '{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}',
      ADMIN,
      'application/json',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toMatch(/Swagger 2.0 is not supported/);
    const noVersion = await postSpec('host=api.example.com', 'openapi: 3.0.1\ninfo: {title: t}\npaths: {}');
    expect(noVersion.json.error.details).toEqual([
      { field: '(body)', message: expect.stringMatching(/^info\.version: /) },
    ]);
    expect((await postSpec('host=../etc', SHOP_YAML)).status).toBe(400);
    expect((await postSpec('', SHOP_YAML)).json.error.message).toMatch(/exactly one of \?host= or \?app=/);
    const list = await svc.get('/v1/specs', ADMIN);
    const host = list.json.scopes.find((s: any) => s.name === 'api.example.com');
    expect(host.versions.map((v: any) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(readdirSync(path.join(specsDir, 'hosts', 'api.example.com'))).toHaveLength(2);
  });
});

describe('classification and flows at ingest', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'documented, templated path under the base path',
      { method: 'GET', path: '/v2/users/42?x=1' },
      { api_status: 'documented', endpoint: '/v2/users/{id}', flows: [] },
    ],
    [
      'documented, two parameters',
      { method: 'GET', path: '/v2/users/7/orders/ab-9' },
      { api_status: 'documented', endpoint: '/v2/users/{id}/orders/{order}' },
    ],
    [
      'documented with a default flow',
      { method: 'POST', path: '/v2/login' },
      { api_status: 'documented', endpoint: '/v2/login', flows: ['authentication'] },
    ],
    ['zombie: only v1 had it', { method: 'GET', path: '/v2/old' }, { api_status: 'zombie', endpoint: '/v2/old' }],
    [
      'shadow: no version has it',
      { method: 'GET', path: '/v2/admin/users/3' },
      { api_status: 'shadow', endpoint: '/v2/admin/users/{int}', flows: ['admin'] },
    ],
    [
      'shadow: outside the base path',
      { method: 'GET', path: '/users/42' },
      { api_status: 'shadow', endpoint: '/users/{int}' },
    ],
    ['shadow: method not in the spec', { method: 'DELETE', path: '/v2/users/42' }, { api_status: 'shadow' }],
    [
      'user flow by tag',
      { method: 'GET', path: '/v2/reports/9' },
      { api_status: 'documented', endpoint: '/v2/reports/{id}', flows: ['reporting'] },
    ],
    [
      'user flow by operation id',
      { method: 'POST', path: '/v2/export' },
      { api_status: 'documented', flows: ['reporting'] },
    ],
    [
      'app spec first',
      { host: 'www.example.org', app: 'shop', method: 'GET', path: '/cart' },
      { api_status: 'documented', endpoint: '/cart', flows: ['shop'] },
    ],
    [
      'app spec + default billing flow',
      { host: 'www.example.org', app: 'shop', method: 'POST', path: '/checkout' },
      { api_status: 'documented', flows: ['billing'] },
    ],
    [
      'documented, app spec with a relative server URL (3.0 JSON)',
      { host: 'x.example.org', app: 'pay', method: 'POST', path: '/pay/charges' },
      { api_status: 'documented', endpoint: '/pay/charges', flows: [] },
    ],
    [
      'unknown: no spec for the host',
      { host: 'other.example.net', method: 'POST', path: '/api/signup' },
      { api_status: 'unknown', endpoint: '/api/signup', flows: ['account_creation'] },
    ],
    [
      'unknown with a user endpoint flow',
      { host: 'other.example.net', method: 'GET', path: '/cart/5' },
      { api_status: 'unknown', flows: ['shop'] },
    ],
  ];

  it('stores api_status, the spec endpoint and flows on every record', async () => {
    const res = await svc.post(
      '/v1/requests',
      cases.map(([, over], i) => record({ id: `cls-${i}`, ...over })),
    );
    expect(res.json).toMatchObject({ accepted: cases.length, rejected: 0 });
    const docs = await storedDocs(svc.client, prefix, 'cls-');
    const byId = new Map(docs.map((d) => [d.id, d]));
    cases.forEach(([name, , expected], i) => {
      expect({ name, ...byId.get(`cls-${i}`) }).toMatchObject({ name, ...expected });
    });
  });

  it('indexes the new fields, so the query side can filter and aggregate them', async () => {
    await storedDocs(svc.client, prefix);
    const res = await svc.client.search({
      index: `${prefix}-requests-*`,
      body: {
        size: 0,
        query: { prefix: { id: 'cls-' } },
        aggs: { s: { terms: { field: 'api_status' } }, f: { terms: { field: 'flows' } } },
      },
    } as never);
    const aggs = (res.body as any).aggregations;
    const counts = (a: any) => Object.fromEntries(a.buckets.map((b: any) => [b.key, b.doc_count]));
    expect(counts(aggs.s)).toEqual({ documented: 8, shadow: 3, unknown: 2, zombie: 1 });
    expect(counts(aggs.f)).toMatchObject({
      authentication: 1,
      reporting: 2,
      shop: 2,
      billing: 1,
      admin: 1,
      account_creation: 1,
    });
  });

  it('answers the query side end to end: the inventory of shadow and zombie endpoints, the session flags and flows', async () => {
    const now = Date.now();
    const query = async (body: Record<string, unknown>) => {
      const res = await svc.post('/v1/query', { from: now - 3_600_000, to: now, ...body });
      return rows(framesOf(res)[0]);
    };
    const undocumented = await query({ queryType: 'inventory', api_status: 'shadow,zombie' });
    expect(undocumented.map((r) => `${r.api_status} ${r.method} ${r.endpoint}`).sort()).toEqual(
      [
        'shadow DELETE /v2/users/{int}',
        'shadow GET /users/{int}',
        'shadow GET /v2/admin/users/{int}',
        'zombie GET /v2/old',
      ].sort(),
    );
    const [session] = await query({ queryType: 'sessions', api_status: 'zombie' });
    expect(session).toMatchObject({ requests: cases.length, shadow_requests: 3, zombie_requests: 1 });
    expect(session.flows).toBe('reporting 14%, shop 14%, account_creation 7%, admin 7%, authentication 7%, billing 7%');
  });

  it('keeps the history across a restart: a second service on the same SPECS_DIR classifies the same way', async () => {
    const p2 = uniquePrefix('inventory-restart');
    const again = await startTestService(p2, { SPECS_DIR: specsDir, ADMIN_TOKENS: ADMIN });
    try {
      const list = await again.get('/v1/specs', ADMIN);
      expect(list.json.scopes.map((s: any) => [s.kind, s.name, s.versions.length])).toEqual([
        ['app', 'pay', 1],
        ['app', 'shop', 1],
        ['host', 'api.example.com', 2],
      ]);
      await again.post('/v1/requests', [
        record({ id: 'rs-0', path: '/v2/old' }),
        record({ id: 'rs-1', path: '/v2/users/1' }),
      ]);
      const docs = await storedDocs(again.client, p2, 'rs-');
      expect(docs.map((d) => d.api_status)).toEqual(expect.arrayContaining(['zombie', 'documented']));
    } finally {
      await again.stop();
      const client = testClient();
      await deletePrefix(client, p2);
      await client.close();
    }
  });

  it('skips a malformed file in SPECS_DIR at start-up, keeping the older versions, and reports it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'specs-bad-'));
    mkdirSync(path.join(dir, 'hosts', 'api.example.com'), { recursive: true });
    writeFileSync(path.join(dir, 'hosts', 'api.example.com', '1.yaml'), V1_YAML);
    writeFileSync(path.join(dir, 'hosts', 'api.example.com', '2.yaml'), 'openapi: 3.0.0\npaths: {}\n');
    const p3 = uniquePrefix('inventory-bad');
    const bad = await startTestService(p3, { SPECS_DIR: dir, ADMIN_TOKENS: ADMIN });
    try {
      const list = await bad.get('/v1/specs', ADMIN);
      expect(list.json.scopes[0].versions).toHaveLength(1);
      expect(list.json.problems).toEqual([
        { file: expect.stringMatching(/2\.yaml$/), message: expect.stringMatching(/^info: /) },
      ]);
      expect(bad.logs.join('')).toContain('spec file skipped');
      // Fixed on disk, then reloaded without a restart.
      writeFileSync(
        path.join(dir, 'hosts', 'api.example.com', '2.yaml'),
        V1_YAML.replace('  /old:\n    get: {}\n', ''),
      );
      const reloaded = await bad.post('/v1/specs/reload', null, { token: ADMIN, raw: '' });
      expect(reloaded.json.problems).toEqual([]);
      await bad.post('/v1/requests', record({ id: 'bad-0', path: '/v2/old' }));
      expect((await storedDocs(bad.client, p3, 'bad-'))[0].api_status).toBe('zombie');
    } finally {
      await bad.stop();
      const client = testClient();
      await deletePrefix(client, p3);
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses uploads without SPECS_DIR (409) and stores unknown + default flows', async () => {
    const p4 = uniquePrefix('inventory-none');
    const none = await startTestService(p4, { ADMIN_TOKENS: ADMIN });
    try {
      const res = await none.post('/v1/specs?host=a.example.com', null, { token: ADMIN, raw: SHOP_YAML });
      expect(res.status).toBe(409);
      expect(res.json.error.message).toMatch(/SPECS_DIR is not set/);
      await none.post('/v1/requests', record({ id: 'none-0', method: 'POST', path: '/api/v1/login' }));
      expect((await storedDocs(none.client, p4, 'none-'))[0]).toMatchObject({
        api_status: 'unknown',
        flows: ['authentication'],
      });
    } finally {
      await none.stop();
      const client = testClient();
      await deletePrefix(client, p4);
      await client.close();
    }
  });
});
