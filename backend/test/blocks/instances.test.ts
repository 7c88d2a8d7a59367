/**
 * Several instances and storage outages, on the real OpenSearch node:
 * - two service instances on one index prefix agree on a new and on an ended block within 5 s (default refresh);
 * - an instance whose storage goes away keeps its loaded blocks for BLOCKS_STALE_AFTER_SECONDS, then fails open
 *   (allows, counts `fail_open`), refuses block changes with 503, and enforces again once storage is back;
 * - an instance that never reached storage fails open from the start.
 */
import * as net from 'node:net';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { freePort } from '../service-process';
import { startBlockingService, until, type BlockingService } from './helpers';

const client = testClient();
const prefixes: string[] = [];
const services: BlockingService[] = [];

async function start(prefix: string, env: Record<string, string> = {}): Promise<BlockingService> {
  const svc = await startBlockingService(prefix, env);
  services.push(svc);
  return svc;
}

afterAll(async () => {
  for (const s of services) await s.stop().catch(() => undefined);
  for (const p of prefixes) await deletePrefix(client, p);
  await client.close();
});

/** A TCP proxy to the test node that can be cut and restored (an OpenSearch outage for one service). */
async function storageProxy(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const target = new URL(testOpenSearchUrl());
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((down) => {
        const up = net.connect(Number(target.port), target.hostname);
        for (const s of [down, up]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        down.pipe(up).pipe(down);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server!.close(r));
    },
    restore: listen,
  };
}

const ip = (addr: string) => ({ 'x-real-ip': addr });

it('two instances agree on a new block and on its early end within 5 s', async () => {
  const prefix = uniquePrefix('blocks-two');
  prefixes.push(prefix);
  // The default refresh interval (2 s), as in production.
  const a = await start(prefix, { BLOCKS_REFRESH_MS: '2000' });
  const b = await start(prefix, { BLOCKS_REFRESH_MS: '2000' });
  for (const s of [a, b]) await until(async () => s.blocking.sync.lastSyncedAt !== undefined, 10_000, 'loaded');
  expect((await b.decide(ip('198.18.0.1'))).status).toBe(204);

  const created = await a.call('POST', '/v1/blocks', { target: { client_ip: '198.18.0.0/16' }, reason: 'botnet' });
  expect(created.status).toBe(201);
  expect((await a.decide(ip('198.18.0.1'))).status).toBe(403);
  const seen = await until(async () => (await b.decide(ip('198.18.0.1'))).status === 403, 5000, 'b blocks');

  await a.call('DELETE', `/v1/blocks/${created.json.id}?reason=cleared`);
  const cleared = await until(async () => (await b.decide(ip('198.18.0.1'))).status === 204, 5000, 'b allows');
  expect(seen).toBeLessThan(5000);
  expect(cleared).toBeLessThan(5000);
});

it('keeps the loaded blocks for a short outage, then fails open, and enforces again when storage is back', async () => {
  const prefix = uniquePrefix('blocks-outage');
  prefixes.push(prefix);
  const proxy = await storageProxy();
  const svc = await start(prefix, {
    OPENSEARCH_URL: proxy.url,
    BLOCKS_REFRESH_MS: '200',
    BLOCKS_STALE_AFTER_SECONDS: '2',
  });
  await until(async () => svc.blocking.sync.lastSyncedAt !== undefined, 10_000, 'loaded');
  await svc.call('POST', '/v1/blocks', { target: { client_ip: '198.19.0.7' }, reason: 'r' });
  expect((await svc.decide(ip('198.19.0.7'))).status).toBe(403);

  await proxy.cut();
  const cutAt = Date.now();
  // Within the staleness window the last loaded set still answers.
  expect((await svc.decide(ip('198.19.0.7'))).status).toBe(403);
  const before = svc.blocking.counters.snapshot().fail_open;
  await until(async () => (await svc.decide(ip('198.19.0.7'))).status === 204, 10_000, 'fail open');
  expect(Date.now() - cutAt).toBeGreaterThanOrEqual(2000);
  expect(svc.blocking.counters.snapshot().fail_open).toBeGreaterThan(before);
  const refused = await svc.call('POST', '/v1/blocks', { target: { client_ip: '198.19.0.8' }, reason: 'r' });
  expect(refused.status).toBe(503);
  expect(refused.json.error.code).toBe('storage_unavailable');
  expect(svc.logs.join('')).toContain('decisions fail open once it is stale');

  await proxy.restore();
  try {
    await until(async () => (await svc.decide(ip('198.19.0.7'))).status === 403, 10_000, 'enforced again');
  } finally {
    await svc.stop();
    await proxy.cut();
  }
});

it('fails open when storage was never reachable', async () => {
  const prefix = uniquePrefix('blocks-down');
  const svc = await start(prefix, { OPENSEARCH_URL: `http://127.0.0.1:${await freePort()}`, BLOCKS_REFRESH_MS: '200' });
  const before = svc.blocking.counters.snapshot();
  expect((await svc.decide(ip('198.19.0.9'))).status).toBe(204);
  expect(svc.blocking.counters.snapshot().fail_open).toBe(before.fail_open + 1);
  expect((await svc.call('GET', '/v1/blocks')).status).toBe(503);
});
