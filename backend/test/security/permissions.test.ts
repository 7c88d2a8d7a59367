/**
 * The role of docs/operations.md "OpenSearch permissions", proven live (issue 20): a security-enabled OpenSearch
 * (2.19.4 with the security plugin, opensearch-local/security.ts), the role parsed from the doc's YAML and created as
 * admin through the security REST API, a user mapped to it, and the real service (`backend/src/main.ts`, a child
 * process) running as that user with basic auth: start-up (template, inventory mapping of an older daily index, the
 * ISM probe, retention deleting an expired index), readiness, ingest, a sessions and a timeline query, blocks
 * (create, list, end, a decision), a spec upload. backend/src/storage/permissions.test.ts checks that the table
 * and the role name exactly the calls of the code; this checks that OpenSearch grants those calls with that role.
 *
 * Not proven here: the four ISM permissions (Maven Central serves no ISM plugin for the node, so the service takes
 * its "no ISM" path).
 *
 * A second user whose role lacks one permission of the table (`indices:data/write/bulk*` on the daily indices) shows
 * what a missing permission looks like: nothing is lost — the records are not stored and the sender is told to
 * resend them (503 `storage_unavailable`, `retry: true`, the reason names the action: the role is wrong, not the
 * record), and the service logs the denial. Its other permissions are the doc's, so its instance also proves the spec copy between
 * instances (search and get on `<prefix>-specs`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startOpenSearch, type OpenSearchHandle } from '../../../opensearch-local/runner';
import { basicAuthHeader } from '../../../opensearch-local/security';
import { rows } from '../query/fixtures';
import { spawnService, type ServiceProcess } from '../service-process';
import { record, TEST_SESSION_SECRET, TEST_TOKENS } from '../service';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../..');
/** The prefix the doc's role is written for (its index patterns name it). */
const PREFIX = 'api-sessions';
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const DECISION_TOKEN = 'test-decision-token-0123456789';

type Role = {
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
};

/** The role of docs/operations.md: the YAML block of the "OpenSearch permissions" section. */
function documentedRole(): { name: string; role: Role } {
  const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const section = doc.split('\n## OpenSearch permissions\n')[1]?.split('\n## ')[0] ?? '';
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!yaml) throw new Error('no ```yaml block in docs/operations.md "OpenSearch permissions"');
  const roles = parse(yaml) as Record<string, Role>;
  const [name, role] = Object.entries(roles)[0];
  return { name, role };
}

let node: OpenSearchHandle;
const services: ServiceProcess[] = [];
const specsDirs: string[] = [];

/** A request to the node as `user` (admin by default). */
async function os(
  method: string,
  route: string,
  body?: unknown,
  user = node.security!.admin,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${node.url}/${route}`, {
    method,
    headers: { authorization: basicAuthHeader(user), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: res.status, json };
}

/** Creates (as admin) the role `name` and a user mapped to it; returns the user. */
async function createUser(name: string, role: Role): Promise<{ username: string; password: string }> {
  const user = { username: `${name}-user`, password: `Pw-${name}-9f3Kq!x7Lm2#Zr8t` };
  const put = async (route: string, body: unknown) => {
    const res = await os('PUT', `_plugins/_security/api/${route}`, body);
    if (res.status >= 300) throw new Error(`PUT ${route}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  };
  await put(`roles/${name}`, role);
  await put(`internalusers/${user.username}`, { password: user.password });
  await put(`rolesmapping/${name}`, { users: [user.username] });
  return user;
}

/** The service as `user`, on the doc's prefix, with blocking and specs on (its own SPECS_DIR). */
async function startService(user: { username: string; password: string }): Promise<ServiceProcess> {
  const specsDir = mkdtempSync(path.join(tmpdir(), 'specs-'));
  specsDirs.push(specsDir);
  const svc = await spawnService({
    OPENSEARCH_URL: node.url,
    OPENSEARCH_USERNAME: user.username,
    OPENSEARCH_PASSWORD: user.password,
    INDEX_PREFIX: PREFIX,
    INDEX_SHARDS: '1',
    INDEX_REPLICAS: '0',
    INGEST_TOKENS: TEST_TOKENS.ingest,
    QUERY_TOKENS: TEST_TOKENS.query,
    ADMIN_TOKENS: `soc:${ADMIN_TOKEN}`,
    DECISION_TOKENS: DECISION_TOKEN,
    BLOCKS_REFRESH_MS: '200',
    BLOCKS_HITS_FLUSH_MS: '200',
    SESSION_SECRET: TEST_SESSION_SECRET,
    SPECS_DIR: specsDir,
  });
  services.push(svc);
  return svc;
}

/** Waits until the service's log has a line matching `re` (JSON log lines, `msg`). */
async function logLine(svc: ServiceProcess, re: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = svc.output
      .join('')
      .split('\n')
      .find((l) => re.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no log line ${re} within ${timeoutMs / 1000} s:\n${svc.output.join('').slice(-3000)}`);
}

/** Log lines at warn level or above (pino: level ≥ 40). */
function warnings(svc: ServiceProcess): string[] {
  return svc.output
    .join('')
    .split('\n')
    .filter((l) => {
      try {
        return (JSON.parse(l) as { level: number }).level >= 40;
      } catch {
        return l.trim() !== '';
      }
    });
}

async function call(
  svc: ServiceProcess,
  method: string,
  route: string,
  body?: unknown,
  token = TEST_TOKENS.query,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(svc.url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

beforeAll(async () => {
  node = await startOpenSearch({ security: true, port: 0, ephemeral: true });
});
afterAll(async () => {
  for (const svc of services) await svc.stop();
  await node?.stop();
  for (const dir of specsDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the security-enabled node', () => {
  it('is OpenSearch 2.19.4 with the security plugin; an unknown user gets 401', async () => {
    const root = await os('GET', '');
    expect(root.status).toBe(200);
    expect(root.json.version.number).toBe('2.19.4');
    expect((await fetch(node.url)).status).toBe(401);
    expect((await os('GET', '', undefined, { username: 'nobody', password: 'x' })).status).toBe(401);
    const plugins = await os('GET', '_cat/plugins?format=json');
    expect(plugins.json.map((p: { component: string }) => p.component)).toContain(
      'org.opensearch.security.OpenSearchSecurityPlugin',
    );
  });
});

describe('the documented role', () => {
  let svc: ServiceProcess;
  let user: { username: string; password: string };

  beforeAll(async () => {
    const { name, role } = documentedRole();
    user = await createUser(name, role);
    // An expired daily index from an older version (no inventory fields), made by admin: start-up adds the inventory
    // fields to it (putMapping), then retention deletes it (cat.indices, indices.delete).
    const created = await os('PUT', `${PREFIX}-requests-2020.01.01`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { ts: { type: 'date' } } },
    });
    expect(created.status).toBe(200);
    svc = await startService(user);
  });

  it('has only the permissions of the role (not admin)', async () => {
    const who = await os('GET', '_plugins/_security/authinfo', undefined, user);
    expect(who.status).toBe(200);
    expect(who.json.roles).toEqual([documentedRole().name]);
    expect((await os('GET', '_cat/indices', undefined, user)).status).toBe(403);
  });

  it('starts: template, inventory fields on older indices, ISM probe, retention', async () => {
    await logLine(svc, /"msg":"index template installed"/);
    await logLine(svc, /ISM plugin not present/);
    const deleted = await logLine(svc, /"msg":"deleted indices past retention"/);
    expect(deleted).toContain(`${PREFIX}-requests-2020.01.01`);
    expect((await os('GET', `_index_template/${PREFIX}-requests`)).status).toBe(200);
    expect(warnings(svc)).toEqual([]);
  });

  it('is ready (cluster health, template check, count)', async () => {
    const res = await call(svc, 'GET', '/readyz');
    expect([res.status, res.text]).toEqual([200, expect.any(String)]);
  });

  let sessionId: string;
  it('ingests a batch (a new daily index from the template) and stores it', async () => {
    const batch = Array.from({ length: 5 }, (_, i) =>
      record({ id: `sec-${i}`, ts: Date.now() - 60_000 + i, identifiers: { cookies: { PHPSESSID: 'sec-cookie' } } }),
    );
    const res = await call(svc, 'POST', '/v1/requests', batch, TEST_TOKENS.ingest);
    expect([res.status, res.json]).toEqual([200, { accepted: 5, rejected: 0, errors: [] }]);
    await os('POST', `${PREFIX}-requests-*/_refresh`);
    const stored = await os('GET', `${PREFIX}-requests-*/_count`);
    expect(stored.json.count).toBe(5);
  });

  it('answers a sessions query and a timeline query', async () => {
    const sessions = await call(svc, 'POST', '/v1/query', { queryType: 'sessions', limit: 100 });
    expect(sessions.status).toBe(200);
    const list = rows(sessions.json.frames[0]);
    expect(list.length).toBe(1);
    sessionId = list[0].session_id;
    const timeline = await call(svc, 'POST', '/v1/query', { queryType: 'timeline', session_id: sessionId });
    expect(timeline.status).toBe(200);
    expect(rows(timeline.json.frames[0]).length).toBe(6); // the session's root span + its 5 requests
    // The per-day cache key (indices.stats) falls back silently when refused: ask as the role's user directly.
    const stats = await os('GET', `${PREFIX}-requests-2*/_stats/docs`, undefined, user);
    expect([stats.status, stats.json._all?.primaries?.docs?.count]).toEqual([200, 5]);
  });

  it('creates, lists and ends a block; the decision endpoint sees it', async () => {
    const block = await call(
      svc,
      'POST',
      '/v1/blocks',
      { target: { client_ip: '198.51.100.7' }, reason: 'permission test' },
      ADMIN_TOKEN,
    );
    expect(block.status).toBe(201);
    const list = await call(svc, 'GET', '/v1/blocks?state=active');
    expect([list.status, list.json.blocks.map((b: { id: string }) => b.id)]).toEqual([200, [block.json.id]]);
    await new Promise((r) => setTimeout(r, 500)); // BLOCKS_REFRESH_MS
    const decision = await fetch(`${svc.url}/v1/decision`, {
      headers: { 'x-decision-token': DECISION_TOKEN, 'x-real-ip': '198.51.100.7' },
    });
    expect(decision.status).toBe(403);
    const end = await call(svc, 'DELETE', `/v1/blocks/${block.json.id}?reason=done`, undefined, ADMIN_TOKEN);
    expect([end.status, end.json.state]).toEqual([200, 'ended']);
    // The hit flush (BLOCKS_HITS_FLUSH_MS) writes the decision's hit count (a bulk of scripted updates; failures are
    // only retried).
    let hits: unknown;
    for (let i = 0; i < 50 && hits !== 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      hits = (await os('GET', `${PREFIX}-blocks/_doc/${block.json.id}`)).json._source?.hits?.blocked;
    }
    expect(hits).toBe(1);
    expect(warnings(svc)).toEqual([]);
  });

  it('stores an uploaded spec', async () => {
    const spec = 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n  /items/{id}:\n    get: {}\n';
    const res = await call(svc, 'POST', '/v1/specs?host=api.example.com', spec, ADMIN_TOKEN, {
      'content-type': 'application/yaml',
    });
    expect(res.status).toBe(201);
    await os('POST', `${PREFIX}-specs/_refresh`);
    expect((await os('GET', `${PREFIX}-specs/_count`)).json.count).toBe(1);
    expect(warnings(svc)).toEqual([]);
  });
});

describe('a role without one permission of the table', () => {
  it('without indices:data/write/bulk* on the daily indices, ingest is refused with a clear error', async () => {
    const { name, role } = documentedRole();
    const crippled: Role = {
      ...role,
      index_permissions: role.index_permissions.map((p) =>
        p.index_patterns.includes(`${PREFIX}-requests-2*`)
          ? { ...p, allowed_actions: p.allowed_actions.filter((a) => a !== 'indices:data/write/bulk*') }
          : p,
      ),
    };
    expect(crippled).not.toEqual(role);
    const user = await createUser(`${name}-no-bulk`, crippled);
    const svc = await startService(user);
    await logLine(svc, /"msg":"index template installed"/);
    // Its specs permissions are the doc's: at start it copies the spec the first instance uploaded (search, get).
    await logLine(svc, /"added":1,.*"msg":"specs copied from other instances"/);
    const res = await call(svc, 'POST', '/v1/requests', [record({ id: 'no-bulk-1' })], TEST_TOKENS.ingest);
    // The role is wrong, not the record: a 503 telling the sender to resend it (docs/api.md), the action named.
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ accepted: 0, rejected: 0, not_stored: 1, error: { code: 'storage_unavailable' } });
    expect(res.json.errors[0]).toMatchObject({ retry: true });
    expect(res.json.error.message).toMatch(
      /^storage denied the write \(security_exception: no permissions for \[indices:data\/write\/bulk\[s\]\]/,
    );
    await logLine(svc, /"level":50,.*"msg":"OpenSearch denies ingest writes/);
    expect(res.text).not.toContain('\n    at '); // no stack trace
    await os('POST', `${PREFIX}-requests-*/_refresh`);
    expect((await os('GET', `${PREFIX}-requests-*/_count`)).json.count).toBe(5); // only the first user's batch
  });
});
