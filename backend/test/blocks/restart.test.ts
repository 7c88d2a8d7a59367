/**
 * Blocks survive a restart: the real service as a child process (`node --import tsx backend/src/main.ts`) on the
 * real node; a block created before SIGTERM is listed and enforced by the next process, and so is an early end.
 * Hit counts are written every BLOCKS_HITS_FLUSH_MS (here longer than the test) and when the service stops, so the
 * decisions answered just before SIGTERM are on the block after the restart.
 */
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { testServiceEnv } from '../service';
import { spawnService, type ServiceProcess } from '../service-process';
import { blockingEnv, TOKENS, until } from './helpers';

const client = testClient();
const prefix = uniquePrefix('blocks-restart');
const env = testServiceEnv(prefix, blockingEnv({ BLOCKS_REFRESH_MS: '500', BLOCKS_HITS_FLUSH_MS: '300000' }));
let svc: ServiceProcess | undefined;

afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

const admin = (url: string, method: string, path: string, body?: unknown) =>
  fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
const decide = (url: string, ip: string) =>
  fetch(`${url}/v1/decision`, { headers: { 'x-decision-token': TOKENS.decision, 'x-real-ip': ip } }).then(
    (r) => r.status,
  );

it('keeps blocks, their history, their hit counts and their enforcement across a restart', async () => {
  svc = await spawnService(env);
  const kept = await admin(svc.url, 'POST', '/v1/blocks', { target: { client_ip: '192.0.2.0/28' }, reason: 'kept' });
  const ended = await admin(svc.url, 'POST', '/v1/blocks', { target: { client_ip: '192.0.2.100' }, reason: 'ended' });
  expect([kept.status, ended.status]).toEqual([201, 201]);
  await admin(svc.url, 'DELETE', `/v1/blocks/${ended.json.id}`, { reason: 'mistake' });
  const first = svc.url;
  await until(async () => (await decide(first, '192.0.2.3')) === 403, 10_000, 'enforced before restart');
  expect(await decide(first, '192.0.2.4')).toBe(403);
  expect(await decide(first, '192.0.2.5')).toBe(403);
  await svc.stop(); // SIGTERM: the three blocked decisions are written on the way out

  svc = await spawnService(env);
  const second = svc.url;
  const list = await admin(second, 'GET', '/v1/blocks?state=all');
  const byId = new Map(list.json.blocks.map((b: { id: string }) => [b.id, b]));
  expect(byId.get(kept.json.id)).toMatchObject({
    state: 'active',
    reason: 'kept',
    created_by: 'soc',
    hits: { blocked: 3, monitored: 0 },
  });
  expect(byId.get(ended.json.id)).toMatchObject({ state: 'ended', ended_by: 'soc', end_reason: 'mistake' });
  await until(async () => (await decide(second, '192.0.2.3')) === 403, 10_000, 'enforced after restart');
  expect(await decide(second, '192.0.2.100')).toBe(204);
  expect(svc.output.join('')).not.toContain(TOKENS.admin);
});
