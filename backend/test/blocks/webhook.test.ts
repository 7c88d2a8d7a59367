/**
 * Alert → block through HTTP on the real node: the recorded-shape Grafana webhook payload of the brute-force rule
 * (fixtures/grafana-webhook-brute-force.json) creates one block per firing alert, a re-delivery creates nothing new,
 * the resolved alert creates nothing, and the decision endpoint blocks the alerted addresses.
 */
import fixture from './fixtures/grafana-webhook-brute-force.json';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { startBlockingService, TOKENS, type BlockingService } from './helpers';

const client = testClient();
const prefix = uniquePrefix('blocks-webhook');
let svc: BlockingService;

beforeAll(async () => {
  svc = await startBlockingService(prefix);
});
afterAll(async () => {
  await svc.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

it('creates time-bound blocks from firing alerts, once per alert episode', async () => {
  expect((await svc.call('POST', '/v1/blocks/grafana-webhook', fixture, TOKENS.query)).status).toBe(401);

  const first = await svc.call('POST', '/v1/blocks/grafana-webhook', fixture, TOKENS.alerts);
  expect(first.status).toBe(201);
  expect(first.json.created).toHaveLength(2);
  expect(first.json.existing).toEqual([]);
  expect(first.json.skipped).toEqual([
    expect.objectContaining({
      fingerprint: '0c9d4e7f12ab3365',
      reason: 'alert is resolved: only firing alerts create blocks',
    }),
  ]);
  const block = first.json.created[0];
  expect(block).toMatchObject({
    state: 'active',
    target: { type: 'client_ip', value: '203.0.113.66' },
    mode: 'block',
    source: 'alert',
    created_by: 'grafana-alerts',
    alert: {
      fingerprint: '5b3c2f0a9e1d7c46',
      rule: 'Brute force on login endpoints',
      starts_at: '2026-01-10T12:04:00.000Z',
    },
  });
  expect(Date.parse(block.expires_at) - Date.parse(block.created_at)).toBe(60 * 60_000);

  expect((await svc.decide({ 'x-real-ip': '203.0.113.66' })).status).toBe(403);
  expect((await svc.decide({ 'x-forwarded-for': '2001:db8:4c::17' })).status).toBe(403);
  expect((await svc.decide({ 'x-real-ip': '198.51.100.23' })).status).toBe(204);

  // Grafana re-sends the same notification (repeat interval, retries): nothing new.
  const again = await svc.call('POST', '/v1/blocks/grafana-webhook', fixture, TOKENS.alerts);
  expect(again.status).toBe(200);
  expect(again.json.created).toEqual([]);
  expect(again.json.existing.map((b: { id: string }) => b.id).sort()).toEqual(
    first.json.created.map((b: { id: string }) => b.id).sort(),
  );
  const all = await svc.call('GET', '/v1/blocks?state=all', undefined, TOKENS.query);
  expect(all.json.total).toBe(2);
});

it('answers 400 naming the field for a body that is not a Grafana webhook payload', async () => {
  const res = await svc.call('POST', '/v1/blocks/grafana-webhook', { alerts: [{ labels: {} }] }, TOKENS.alerts);
  expect(res.status).toBe(400);
  expect(res.json.error).toMatchObject({ code: 'invalid_webhook', details: [{ field: 'alerts.0.status' }] });
});
