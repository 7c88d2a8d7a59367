/**
 * Session blocking end to end on the real OpenSearch node: the blocks API (create, list, end, history, labels,
 * validation), the decision endpoint (session from its cookie, IP ranges v4/v6, user, scopes, monitor mode, hit
 * counts, expiry), the `blocks` query type, and the blocks index living apart from request retention.
 */
import { createHmac } from 'node:crypto';
import { deleteExpiredIndices } from '../../src/storage/retention';
import { insertBlock } from '../../src/blocks/store';
import { parseSessionRules } from '../../src/session/rules';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, TEST_SESSION_SECRET } from '../service';
import { scrapeMetrics, TEST_METRICS_TOKEN } from '../metrics/scrape';
import { startBlockingService, TOKENS, until, type BlockingService } from './helpers';

const client = testClient();
const prefix = uniquePrefix('blocks');
// A user rule, so blocks on users have something to match (JWT `sub` of the Authorization header).
const rules = parseSessionRules('user: [{jwt: {header: authorization, claim: sub}}]');
let svc: BlockingService;

const jwtFor = (sub: string) => `Bearer h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.sig`;
const browser = (ip: string, cookie: string) => ({ 'x-real-ip': ip, cookie, 'user-agent': 'Mozilla/5.0 test' });

beforeAll(async () => {
  svc = await startBlockingService(prefix, { METRICS_TOKENS: TEST_METRICS_TOKEN }, rules);
});
afterAll(async () => {
  await svc.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

/** The session id the session list shows for a request carrying `PHPSESSID=<cookie>`. */
async function sessionIdOf(cookie: string): Promise<string> {
  const ingest = await svc.call(
    'POST',
    '/v1/requests',
    record({ id: `req-${cookie}`, identifiers: { cookies: { PHPSESSID: cookie } } }),
    TOKENS.ingest,
  );
  expect(ingest.json).toMatchObject({ accepted: 1 });
  await client.indices.refresh({ index: `${prefix}-requests-*` });
  const q = await svc.call('POST', '/v1/query', { queryType: 'sessions', limit: 100 }, TOKENS.query);
  expect(q.status).toBe(200);
  const frame = q.json.frames[0];
  const col = frame.schema.fields.findIndex((f: { name: string }) => f.name === 'session_id');
  const ids: string[] = frame.data.values[col];
  // The session list shows the session key: HMAC(SESSION_SECRET, cookie value) (docs/sessions.md).
  const key = createHmac('sha256', TEST_SESSION_SECRET).update(cookie).digest('hex');
  expect(ids).toContain(key);
  return key;
}

describe('blocks API', () => {
  it('creates a block with an expiry, names the token label, never the token', async () => {
    const res = await svc.call('POST', '/v1/blocks', {
      target: { client_ip: '198.51.100.77/24' },
      reason: 'scanner from this range',
      expires_in_minutes: 30,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      state: 'active',
      target: { type: 'client_ip', value: '198.51.100.0/24' },
      mode: 'block',
      reason: 'scanner from this range',
      created_by: 'soc',
      source: 'api',
      hits: { blocked: 0, monitored: 0 },
    });
    expect(res.json.id).toMatch(/^blk_[a-z2-7]{20}$/);
    const ttl = Date.parse(res.json.expires_at) - Date.parse(res.json.created_at);
    expect(ttl).toBe(30 * 60_000);
    const stored = await client.get({ index: `${prefix}-blocks`, id: res.json.id });
    expect(JSON.stringify(stored.body)).not.toContain(TOKENS.admin);
    expect(svc.logs.join('')).not.toContain(TOKENS.admin);
    expect(svc.logs.join('')).not.toContain('198.51.100');
  });

  it('applies the default expiry and refuses more than the maximum', async () => {
    const res = await svc.call('POST', '/v1/blocks', { target: { user: 'mallory' }, reason: 'fraud' });
    expect(res.status).toBe(201);
    expect(Date.parse(res.json.expires_at) - Date.parse(res.json.created_at)).toBe(60 * 60_000);
    const long = await svc.call('POST', '/v1/blocks', {
      target: { user: 'mallory' },
      reason: 'x',
      expires_in_minutes: 999_999,
    });
    expect(long.status).toBe(400);
    expect(long.json.error.details).toEqual([
      { field: 'expires_in_minutes', message: 'must be at most 43200 (BLOCK_MAX_MINUTES)' },
    ]);
  });

  it('names every bad field', async () => {
    const cases: [unknown, string][] = [
      [{ target: {}, reason: 'r' }, 'target'],
      [{ target: { user: 'a', client_ip: '1.2.3.4' }, reason: 'r' }, 'target'],
      [{ target: { client_ip: '300.1.1.1' }, reason: 'r' }, 'target.client_ip'],
      [{ target: { client_ip: '10.0.0.0/4' }, reason: 'r' }, 'target.client_ip'],
      [{ target: { session_id: 'abc' }, reason: 'r' }, 'target.session_id'],
      [{ target: { user: 'a' } }, 'reason'],
      [{ target: { user: 'a' }, reason: 'r', mode: 'drop' }, 'mode'],
      [{ target: { user: 'a' }, reason: 'r', extra: 1 }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await svc.call('POST', '/v1/blocks', body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_block');
      expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const notJson = await fetch(`${svc.url}/v1/blocks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: '{"target":',
    });
    expect(notJson.status).toBe(400);
  });

  it('lets admin tokens change blocks and query tokens only read them', async () => {
    const body = { target: { user: 'eve' }, reason: 'r' };
    expect((await svc.call('POST', '/v1/blocks', body, TOKENS.query)).status).toBe(401);
    expect((await svc.call('POST', '/v1/blocks', body, TOKENS.ingest)).status).toBe(401);
    expect((await svc.call('POST', '/v1/blocks', body, TOKENS.decision)).status).toBe(401);
    const list = await svc.call('GET', '/v1/blocks?state=all', undefined, TOKENS.query);
    expect(list.status).toBe(200);
    expect(list.json.total).toBeGreaterThan(0);
    expect(
      (await svc.call('DELETE', `/v1/blocks/${list.json.blocks[0].id}?reason=x`, undefined, TOKENS.query)).status,
    ).toBe(401);
    expect(
      (await svc.call('GET', '/v1/blocks?state=sometimes', undefined, TOKENS.query)).json.error.details[0].field,
    ).toBe('state');
  });

  it('ends a block early and keeps who created and ended it, and why', async () => {
    const created = await svc.call('POST', '/v1/blocks', {
      target: { user: 'trudy' },
      reason: 'credential stuffing',
      requested_by: 'grafana:alice',
    });
    const id = created.json.id;
    const ended = await svc.call(
      'DELETE',
      `/v1/blocks/${id}`,
      { reason: 'false positive', requested_by: 'grafana:bob' },
      TOKENS.alerts,
    );
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({
      state: 'ended',
      created_by: 'soc',
      requested_by: 'grafana:alice',
      reason: 'credential stuffing',
      ended_by: 'grafana-alerts',
      ended_requested_by: 'grafana:bob',
      end_reason: 'false positive',
    });
    const again = await svc.call('DELETE', `/v1/blocks/${id}?reason=again`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('block_not_active');
    expect((await svc.call('DELETE', '/v1/blocks/blk_doesnotexist?reason=x')).status).toBe(404);
    expect((await svc.call('DELETE', `/v1/blocks/${id}`)).json.error.details[0].field).toBe('reason');

    const active = await svc.call('GET', '/v1/blocks?state=active', undefined, TOKENS.query);
    expect(active.json.blocks.map((b: { id: string }) => b.id)).not.toContain(id);
    const expired = await svc.call('GET', '/v1/blocks?state=expired', undefined, TOKENS.query);
    expect(expired.json.blocks.find((b: { id: string }) => b.id === id)).toMatchObject({ state: 'ended' });
    expect((await svc.call('GET', `/v1/blocks/${id}`, undefined, TOKENS.query)).json.end_reason).toBe('false positive');
  });
});

describe('decision endpoint', () => {
  it('blocks the session of a cookie seen at ingest: 204 before, 403 with the block headers after', async () => {
    const sessionId = await sessionIdOf('sess-victim-1');
    const req = browser('192.0.2.10', 'theme=dark; PHPSESSID=sess-victim-1');
    expect((await svc.decide(req)).status).toBe(204);
    const block = await svc.call('POST', '/v1/blocks', {
      target: { session_id: sessionId },
      reason: 'account takeover\nattempt',
    });
    expect(block.status).toBe(201);
    const d = await svc.decide(req);
    expect(d.status).toBe(403);
    expect(d.headers.get('x-block-id')).toBe(block.json.id);
    expect(d.headers.get('x-block-reason')).toBe('account takeover?attempt');
    // Another session from the same IP is not affected.
    expect((await svc.decide(browser('192.0.2.10', 'PHPSESSID=someone-else'))).status).toBe(204);
  });

  it('blocks IPv4 and IPv6 ranges from X-Real-IP or the last X-Forwarded-For hop', async () => {
    await svc.call('POST', '/v1/blocks', { target: { client_ip: '203.0.113.0/24' }, reason: 'bad range' });
    await svc.call('POST', '/v1/blocks', { target: { client_ip: '2001:db8:bad::/48' }, reason: 'bad v6 range' });
    expect((await svc.decide({ 'x-real-ip': '203.0.113.200' })).status).toBe(403);
    expect((await svc.decide({ 'x-forwarded-for': '10.9.9.9, 203.0.113.5' })).status).toBe(403);
    expect((await svc.decide({ 'x-forwarded-for': '203.0.113.5, 10.9.9.9' })).status).toBe(204);
    expect((await svc.decide({ 'x-real-ip': '2001:db8:bad:1::7' })).status).toBe(403);
    expect((await svc.decide({ 'x-real-ip': '2001:db8:bae::7' })).status).toBe(204);
  });

  it('blocks a user named by the session rules, within its host and app scope', async () => {
    await svc.call('POST', '/v1/blocks', {
      target: { user: 'carol' },
      host: 'Shop.Example.com',
      app: 'shop',
      reason: 'abuse',
    });
    const base = { 'x-real-ip': '192.0.2.33', authorization: jwtFor('carol'), 'x-api-sessions-app': 'shop' };
    expect((await svc.decide({ ...base, 'x-forwarded-host': 'shop.example.com' })).status).toBe(403);
    expect((await svc.decide({ ...base, 'x-forwarded-host': 'shop.example.com:8443' })).status).toBe(403);
    expect((await svc.decide({ ...base, 'x-forwarded-host': 'api.example.com' })).status).toBe(204);
    expect(
      (await svc.decide({ ...base, 'x-forwarded-host': 'shop.example.com', 'x-api-sessions-app': 'x' })).status,
    ).toBe(204);
    expect(
      (await svc.decide({ ...base, authorization: jwtFor('dave'), 'x-forwarded-host': 'shop.example.com' })).status,
    ).toBe(204);
  });

  it('monitor mode allows, names the block and counts what it would have blocked', async () => {
    const before = svc.blocking.counters.snapshot();
    const m = await svc.call('POST', '/v1/blocks', {
      target: { client_ip: '100.64.1.1' },
      reason: 'watch this one',
      mode: 'monitor',
    });
    for (let i = 0; i < 3; i++) {
      const d = await svc.decide({ 'x-real-ip': '100.64.1.1' }, '/v1/decision/orders/1?x=1');
      expect(d.status).toBe(204);
      expect(d.headers.get('x-block-monitor')).toBe(m.json.id);
    }
    const after = svc.blocking.counters.snapshot();
    expect(after.monitored - before.monitored).toBe(3);
    await until(
      async () => (await svc.call('GET', `/v1/blocks/${m.json.id}`, undefined, TOKENS.query)).json.hits.monitored === 3,
      10_000,
      'monitored hits stored on the block',
    );
    const stored = (await svc.call('GET', `/v1/blocks/${m.json.id}`, undefined, TOKENS.query)).json;
    expect(stored.last_hit_at).toBeDefined();
  });

  it('counts blocked hits on the block, and every outcome in the counters and on /metrics', async () => {
    const b = await svc.call('POST', '/v1/blocks', { target: { client_ip: '100.64.2.2' }, reason: 'r' });
    const decisions = async () => {
      const m = await scrapeMetrics(svc.url);
      const of = (outcome: string) => m.get(`api_sessions_decisions_total{outcome="${outcome}"}`);
      return { allowed: of('allowed'), blocked: of('blocked'), monitored: of('monitored'), fail_open: of('fail_open') };
    };
    const before = svc.blocking.counters.snapshot();
    const scrapedBefore = await decisions();
    expect(scrapedBefore).toEqual(before);
    expect((await svc.decide({ 'x-real-ip': '100.64.2.2' })).status).toBe(403);
    expect((await svc.decide({ 'x-real-ip': '100.64.2.3' })).status).toBe(204);
    const after = svc.blocking.counters.snapshot();
    expect(after.blocked - before.blocked).toBe(1);
    expect(after.allowed - before.allowed).toBe(1);
    expect(after.fail_open).toBe(0);
    const scraped = await decisions();
    expect(scraped).toEqual(after);
    const m = await scrapeMetrics(svc.url);
    expect(m.get('api_sessions_blocks_active')).toBeGreaterThanOrEqual(1);
    expect(m.get('api_sessions_blocks_sync_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.get('api_sessions_blocks_sync_age_seconds')).toBeLessThan(5);
    await until(
      async () => (await svc.call('GET', `/v1/blocks/${b.json.id}`, undefined, TOKENS.query)).json.hits.blocked === 1,
      10_000,
      'blocked hits stored on the block',
    );
  });

  it('allows again after an early end, and after expiry', async () => {
    const b = await svc.call('POST', '/v1/blocks', { target: { client_ip: '100.64.3.3' }, reason: 'r' });
    expect((await svc.decide({ 'x-real-ip': '100.64.3.3' })).status).toBe(403);
    await svc.call('DELETE', `/v1/blocks/${b.json.id}?reason=done`);
    expect((await svc.decide({ 'x-real-ip': '100.64.3.3' })).status).toBe(204);

    // A block stored with a 2-second life (the API's minimum is a minute): loaded by the sync, then expired.
    const now = Date.now();
    await insertBlock(client, prefix, {
      id: 'blk_shortlivedtest000001',
      target: { type: 'client_ip', value: '100.64.4.4' },
      mode: 'block',
      reason: 'short',
      source: 'api',
      created_at: now,
      created_by: 'test',
      expires_at: now + 2000,
      hits: { blocked: 0, monitored: 0 },
      updated_at: now,
    });
    await until(async () => (await svc.decide({ 'x-real-ip': '100.64.4.4' })).status === 403, 5000, 'loaded');
    await until(async () => (await svc.decide({ 'x-real-ip': '100.64.4.4' })).status === 204, 5000, 'expired');
    expect(Date.now()).toBeGreaterThanOrEqual(now + 2000);
  });

  it('needs the decision token, answers any method and Envoy-style sub-paths, never reads the body', async () => {
    const noToken = await fetch(`${svc.url}/v1/decision`);
    expect(noToken.status).toBe(401);
    const wrong = await fetch(`${svc.url}/v1/decision`, { headers: { 'x-decision-token': TOKENS.query } });
    expect(wrong.status).toBe(401);
    await svc.call('POST', '/v1/blocks', { target: { client_ip: '100.64.5.5' }, reason: 'r' });
    const post = await fetch(`${svc.url}/v1/decision/api/orders`, {
      method: 'POST',
      headers: { 'x-decision-token': TOKENS.decision, 'x-real-ip': '100.64.5.5', 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(post.status).toBe(403);
    const del = await fetch(`${svc.url}/v1/decision/x`, {
      method: 'DELETE',
      headers: { 'x-decision-token': TOKENS.decision },
    });
    expect(del.status).toBe(204);
  });
});

describe('the Express decision handler', () => {
  it('answers like the fast path main.ts serves decisions with', async () => {
    const express = await startBlockingService(prefix, {}, rules, { expressOnly: true });
    try {
      await until(async () => express.blocking.sync.lastSyncedAt !== undefined, 10_000, 'loaded');
      const b = await express.call('POST', '/v1/blocks', { target: { client_ip: '100.64.7.7' }, reason: 'both paths' });
      for (const s of [express, svc]) {
        await until(async () => (await s.decide({ 'x-real-ip': '100.64.7.7' })).status === 403, 5000, 'blocked');
        const d = await s.decide({ 'x-real-ip': '100.64.7.7' }, '/v1/decision/x?y=1');
        expect([d.status, d.headers.get('x-block-id'), d.headers.get('cache-control')]).toEqual([
          403,
          b.json.id,
          'no-store',
        ]);
        expect((await s.decide({ 'x-real-ip': '100.64.7.8' })).status).toBe(204);
        expect((await fetch(`${s.url}/v1/decision`)).status).toBe(401);
      }
    } finally {
      await express.stop();
    }
  });
});

describe('blocks query type and storage', () => {
  it('answers the Blocks panel: blocks and their history as table frames', async () => {
    const res = await svc.call('POST', '/v1/query', { queryType: 'blocks', state: 'all', refId: 'B' }, TOKENS.query);
    expect(res.status).toBe(200);
    const frame = res.json.frames[0];
    expect(frame.schema.refId).toBe('B');
    const names = frame.schema.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['id', 'state', 'target', 'reason', 'created_by', 'expires_at', 'blocked_requests']),
    );
    const state = frame.data.values[names.indexOf('state')];
    expect(state).toEqual(expect.arrayContaining(['active', 'ended']));

    const hist = await svc.call(
      'POST',
      '/v1/query',
      { queryType: 'blocks', state: 'all', format: 'history' },
      TOKENS.query,
    );
    const h = hist.json.frames[0];
    const hn = h.schema.fields.map((f: { name: string }) => f.name);
    const events: string[] = h.data.values[hn.indexOf('event')];
    expect(events).toEqual(expect.arrayContaining(['created', 'ended']));
    const ended = events.indexOf('ended');
    expect(h.data.values[hn.indexOf('by')][ended]).toMatch(/^(soc|grafana-alerts)/);

    const bad = await svc.call('POST', '/v1/query', { queryType: 'blocks', state: 'x' }, TOKENS.query);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('state');
  });

  it('keeps blocks out of the request pattern and out of retention', async () => {
    const requests = await client.cat.indices({ index: `${prefix}-requests-*`, format: 'json' } as never);
    expect((requests.body as { index: string }[]).map((i) => i.index)).not.toContain(`${prefix}-blocks`);
    // Retention far in the future deletes every request index, never the blocks.
    await deleteExpiredIndices(client, prefix, Date.now() + 400 * 86_400_000, 7);
    expect((await client.indices.exists({ index: `${prefix}-blocks` })).body).toBe(true);
    const list = await svc.call('GET', '/v1/blocks?state=all&limit=1000', undefined, TOKENS.query);
    expect(list.json.total).toBeGreaterThan(5);
    const mapping = await client.indices.getMapping({ index: `${prefix}-blocks` });
    expect((mapping.body as any)[`${prefix}-blocks`].mappings.dynamic).toBe('strict');
  });
});
