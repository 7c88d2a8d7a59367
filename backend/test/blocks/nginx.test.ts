/**
 * A real proxy in front of a small upstream: Debian's nginx (installed by `npm test`, scripts/lib.sh ensure_nginx)
 * runs on loopback with the shipped configuration docs/integrations/nginx-blocking.conf (addresses, port and token
 * swapped in), in a temporary prefix (`daemon off`, pid, logs and temp files there; nothing under /etc or /var).
 * Every request asks our decision endpoint first (auth_request). Checks what a client of the proxy sees:
 * 200 before any block; 403 (with X-Block-Id) once the session of its cookie is blocked, or its IP range; 200 again
 * after an early end or the expiry; and 200 (fail open) when the decision service is down.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insertBlock } from '../../src/blocks/store';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, TEST_SESSION_SECRET } from '../service';
import { freePort } from '../service-process';
import { startBlockingService, TOKENS, until, type BlockingService } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const SNIPPET = path.join(ROOT, 'docs/integrations/nginx-blocking.conf');
const client = testClient();
const prefix = uniquePrefix('blocks-nginx');
let svc: BlockingService;
let upstream: http.Server;
let nginx: ChildProcess | undefined;
let dir: string;
let proxyUrl: string;
let nginxLog = '';

/** The nginx binary: Debian installs it in /usr/sbin, which a non-root PATH may lack. */
function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx']).toString().trim();
  } catch {
    throw new Error(
      'nginx is not installed: `npm test` installs it (scripts/lib.sh ensure_nginx), or apt-get install nginx',
    );
  }
}

/** The shipped snippet with this test's addresses, port and token, inside a self-contained main configuration. */
function nginxConf(port: number, servicePort: number, upstreamPort: number): string {
  const snippet = readFileSync(SNIPPET, 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${servicePort};`)
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${upstreamPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('CHANGE-ME-decision-token-0123456789', TOKENS.decision);
  const t = (name: string) => path.join(dir, name);
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${t('nginx.pid')};`,
    `error_log ${t('error.log')} info;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${t('access.log')};`,
    `  client_body_temp_path ${t('client_body')};`,
    `  proxy_temp_path ${t('proxy')};`,
    `  fastcgi_temp_path ${t('fastcgi')};`,
    `  uwsgi_temp_path ${t('uwsgi')};`,
    `  scgi_temp_path ${t('scgi')};`,
    snippet,
    '}',
  ].join('\n');
}

beforeAll(async () => {
  const binary = nginxBinary();
  svc = await startBlockingService(prefix);
  await until(async () => svc.blocking.sync.lastSyncedAt !== undefined, 10_000, 'blocks loaded');
  upstream = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('app ok\n'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(path.join(tmpdir(), 'api-sessions-nginx-'));
  // Workers run as an unprivileged user when the test runs as root: they must reach the temp folders.
  chmodSync(dir, 0o755);
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, d), { mode: 0o777 });
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(port, Number(new URL(svc.url).port), (upstream.address() as AddressInfo).port));
  execFileSync(binary, ['-t', '-q', '-p', dir, '-e', 'stderr', '-c', conf], { stdio: 'pipe' });
  nginx = spawn(binary, ['-p', dir, '-e', 'stderr', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr!.on('data', (d) => (nginxLog += String(d)));
  proxyUrl = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (nginx!.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}`);
      return fetch(`${proxyUrl}/`).then(
        () => true,
        () => false,
      );
    },
    15_000,
    'nginx listening',
  );
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await new Promise((r) => upstream?.close(r));
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A client of the proxy: its address as the load balancer reports it, plus a cookie. */
async function get(
  clientIp: string,
  cookie?: string,
): Promise<{ status: number; blockId: string | null; body: string }> {
  const res = await fetch(`${proxyUrl}/api/v1/cart?item=7`, {
    headers: { 'x-forwarded-for': clientIp, 'user-agent': 'Mozilla/5.0 nginx-test', ...(cookie ? { cookie } : {}) },
  });
  return { status: res.status, blockId: res.headers.get('x-block-id'), body: await res.text() };
}

it('nginx answers 200 before any block, 403 once the session of the cookie is blocked, 200 after the early end', async () => {
  const cookie = 'PHPSESSID=nginx-session-1; theme=dark';
  expect(await get('192.0.2.10', cookie)).toMatchObject({ status: 200, body: 'app ok\n' });

  // The analyst's path: the session appears in the session list, and that id is what gets blocked.
  await svc.call(
    'POST',
    '/v1/requests',
    record({ identifiers: { cookies: { PHPSESSID: 'nginx-session-1' } } }),
    TOKENS.ingest,
  );
  await client.indices.refresh({ index: `${prefix}-requests-*` });
  const sessions = await svc.call('POST', '/v1/query', { queryType: 'sessions' }, TOKENS.query);
  const fields = sessions.json.frames[0].schema.fields.map((f: { name: string }) => f.name);
  const sessionId: string = sessions.json.frames[0].data.values[fields.indexOf('session_id')][0];
  expect(sessionId).toBe(createHmac('sha256', TEST_SESSION_SECRET).update('nginx-session-1').digest('hex'));

  const block = await svc.call('POST', '/v1/blocks', { target: { session_id: sessionId }, reason: 'takeover' });
  expect(block.status).toBe(201);
  expect(await get('192.0.2.10', cookie)).toMatchObject({ status: 403, blockId: block.json.id });
  expect((await get('192.0.2.10', 'PHPSESSID=another-session')).status).toBe(200);

  await svc.call('DELETE', `/v1/blocks/${block.json.id}?reason=resolved`);
  expect((await get('192.0.2.10', cookie)).status).toBe(200);
});

it('nginx answers 403 for a blocked IP range (client address from the load balancer), 200 after expiry', async () => {
  const range = await svc.call('POST', '/v1/blocks', { target: { client_ip: '203.0.113.0/24' }, reason: 'scanner' });
  expect(await get('203.0.113.77')).toMatchObject({ status: 403, blockId: range.json.id });
  expect((await get('203.0.114.1')).status).toBe(200);
  await svc.call('DELETE', `/v1/blocks/${range.json.id}?reason=done`);

  // Expiry: a block stored with a 2-second life (the API's minimum is one minute).
  const now = Date.now();
  await insertBlock(client, prefix, {
    id: 'blk_nginxexpiry0000000001',
    target: { type: 'client_ip', value: '198.51.100.0/24' },
    mode: 'block',
    reason: 'short',
    source: 'api',
    created_at: now,
    created_by: 'test',
    expires_at: now + 2000,
    hits: { blocked: 0, monitored: 0 },
    updated_at: now,
  });
  await until(async () => (await get('198.51.100.9')).status === 403, 5000, 'nginx blocks the range');
  await until(async () => (await get('198.51.100.9')).status === 200, 5000, 'nginx allows after expiry');
  expect(Date.now()).toBeGreaterThanOrEqual(now + 2000);
});

it('nginx lets requests through when the decision service is down (fail open in the snippet)', async () => {
  await svc.call('POST', '/v1/blocks', { target: { client_ip: '100.64.9.9' }, reason: 'r' });
  expect((await get('100.64.9.9')).status).toBe(403);
  await svc.stop();
  expect(await get('100.64.9.9')).toMatchObject({ status: 200, body: 'app ok\n' });
});
