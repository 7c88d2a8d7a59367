/**
 * Real clients nobody here wrote: the OpenTelemetry JS SDK instruments a small HTTP app (a child process, see
 * instrumented-app.ts) and its OTLP exporters — protobuf and JSON, traces and logs — ship to the real service on
 * the real OpenSearch node, configured only by the standard OTEL_EXPORTER_OTLP_* variables. We then send the app
 * requests as five actors would (two browsers with session cookies, an API client with a bearer token, a login
 * whose response token is sent back later, an anonymous client) and check that the `sessions` query groups them
 * as the identity rules say, and that no cookie or token reached storage.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { startTestService, storedDocs, TEST_TOKENS, type TestService } from '../service';
import { rows } from '../query/fixtures';

const ROOT = path.resolve(__dirname, '../..', '..');
const APP = path.join(ROOT, 'backend/test/otlp/instrumented-app.ts');

/** The instrumented app, running. */
interface App {
  url: string;
  /** SIGTERM: the app flushes its exporter; resolves with each export's result code. */
  stop(): Promise<{ code: number; error?: string }[]>;
}

async function startApp(env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', APP], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`instrumented app exited: ${err.slice(-2000)}`));
      }
    }, 50);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      const m = /EXPORTS (.*)/.exec(out);
      if (code !== 0 || !m) throw new Error(`instrumented app failed (exit ${code}): ${err.slice(-2000)}`);
      return JSON.parse(m[1]);
    },
  };
}

/** The identifiers and user agents of one run (each run has its own, so runs never share a session). */
function actors(run: string) {
  return {
    browser: `Mozilla/5.0 (X11; Linux x86_64) test-browser ${run}`,
    api: `okhttp/4.12.0 ${run}`,
    mobile: `mobile-app/2.3 ${run}`,
    crawler: `anonymous-crawler/0.1 ${run}`,
    cookieA: `alpha-9f8e7d6c5b4a-${run}`,
    cookieB: `beta-0a1b2c3d4e5f-${run}`,
    bearer: `api-token-1234567890abcdef-${run}`,
    loginToken: `login-token-7f3a9c-${run}`,
  };
}

/** Requests as five actors make them (13 in all). */
async function browse(app: App, a: ReturnType<typeof actors>): Promise<void> {
  const get = (p: string, headers: Record<string, string>, method = 'GET') =>
    fetch(app.url + p, { method, headers }).then((r) => r.arrayBuffer());
  for (const p of ['/shop', '/shop/items/1', '/shop/cart'])
    await get(p, { cookie: `PHPSESSID=${a.cookieA}; theme=dark`, 'user-agent': a.browser });
  for (const p of ['/shop', '/admin/users'])
    await get(p, { cookie: `PHPSESSID=${a.cookieB}`, 'user-agent': a.browser });
  for (const p of ['/api/v1/orders', '/api/v1/orders/7', '/api/v1/orders/8'])
    await get(p, { authorization: `Bearer ${a.bearer}`, 'user-agent': a.api });
  await get('/login', { 'user-agent': a.mobile }, 'POST');
  for (const p of ['/api/v1/profile', '/api/v1/settings'])
    await get(p, { 'x-auth-token': a.loginToken, 'user-agent': a.mobile });
  for (const p of ['/robots.txt', '/sitemap.xml']) await get(p, { 'user-agent': a.crawler });
}

/** The sessions of a prefix, as the query API answers them. */
async function sessions(svc: TestService, app: string): Promise<Record<string, any>[]> {
  const res = await svc.post('/v1/query', {
    queryType: 'sessions',
    from: Date.now() - 3_600_000,
    to: Date.now() + 60_000,
    app,
    limit: 100,
  });
  if (res.status !== 200) throw new Error(`sessions query: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return rows(res.json.frames[0]);
}

const prefix = uniquePrefix('otlp-sdk');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix);
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

describe.each([
  ['traces', 'proto'],
  ['traces', 'json'],
  ['logs', 'proto'],
  ['logs', 'json'],
])('the OTel JS SDK exporting %s over OTLP/HTTP %s', (signal, protocol) => {
  const appName = `sdk-${signal}-${protocol}`;
  const a = actors(appName);

  it('ships every request, and the sessions query groups them as the identity rules say', async () => {
    const app = await startApp({
      OTLP_SIGNAL: signal,
      OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: appName,
      OTEL_EXPORTER_OTLP_ENDPOINT: `${svc.url}/otlp`,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${TEST_TOKENS.ingest}`,
      LOGIN_TOKEN: a.loginToken,
    });
    await browse(app, a);
    const exports = await app.stop();
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.filter((e) => e.code !== 0)).toEqual([]); // every export acknowledged (no partial success)

    const docs = (await storedDocs(svc.client, prefix)).filter((d) => d.app === appName);
    expect(docs).toHaveLength(13);
    if (signal === 'traces') {
      for (const d of docs) expect(d.id).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
      expect(docs.every((d) => d.duration_ms > 0)).toBe(true);
    }
    expect(docs.find((d) => d.path === '/admin/users')).toMatchObject({ status: 403, status_class: '4xx' });
    expect(docs.every((d) => d.client_ip === '127.0.0.1' && d.host === '127.0.0.1')).toBe(true);
    const stored = JSON.stringify(docs);
    for (const secret of [a.cookieA, a.cookieB, a.bearer, a.loginToken]) expect(stored).not.toContain(secret);

    const found = await sessions(svc, appName);
    const summary = found.map((s) => ({ requests: s.requests, key_source: s.key_source, user_agent: s.user_agent }));
    expect(summary).toHaveLength(5);
    expect(summary).toEqual(
      expect.arrayContaining([
        { requests: 2, key_source: 'cookie:PHPSESSID', user_agent: a.browser },
        { requests: 3, key_source: 'cookie:PHPSESSID', user_agent: a.browser },
        { requests: 3, key_source: 'header:authorization', user_agent: a.api },
        // The login's response token and the two requests sending it back: one session.
        { requests: 3, key_source: expect.stringMatching(/x-auth-token/), user_agent: a.mobile },
        { requests: 2, key_source: 'ip+ua', user_agent: a.crawler },
      ]),
    );
  });
});
