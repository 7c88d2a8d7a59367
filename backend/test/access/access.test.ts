import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { record, startTestService, TEST_TOKENS, testServiceEnv } from '../service';
import { freePort, httpsGet, spawnService } from '../service-process';

const prefix = uniquePrefix('access');

afterAll(async () => {
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

describe('access', () => {
  it('needs a token on every endpoint but /healthz, and rate-limits failed authentication per IP', async () => {
    const svc = await startTestService(prefix);
    try {
      expect((await svc.get('/healthz', '')).status).toBe(200);
      for (const p of ['/readyz', '/v1/openapi.json', '/v1/values/host'])
        expect((await svc.get(p, '')).status).toBe(401);
      expect((await svc.post('/v1/query', { queryType: 'sessions' }, { token: 'wrong-token-0123456789' })).status).toBe(
        401,
      );
      let last = 0;
      for (let i = 0; i < 25; i++)
        last = (await svc.post('/v1/requests', record(), { token: `bad-token-${i}-0123456789` })).status;
      expect(last).toBe(429);
      const blocked = await svc.post('/v1/requests', record(), { token: 'another-bad-token-0123456789' });
      expect(blocked.status).toBe(429);
      expect(blocked.json.error.code).toBe('too_many_auth_failures');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await svc.get('/readyz', '')).status).toBe(429); // no token is a failure too
      expect(svc.logs.join('')).not.toContain('bad-token-');
    } finally {
      await svc.stop();
    }
  });

  it('never refuses a valid token, however many failures its address has (issue 13)', async () => {
    const svc = await startTestService(prefix);
    try {
      for (let i = 0; i < 60; i++) await svc.post('/v1/requests', record(), { token: `bad-token-${i}-0123456789` });
      expect((await svc.post('/v1/requests', record(), { token: 'bad-token-x-0123456789' })).status).toBe(429);
      const ingest = await svc.post('/v1/requests', record());
      expect([ingest.status, ingest.json.accepted]).toEqual([200, 1]);
      expect((await svc.post('/v1/query', { queryType: 'sessions' })).status).toBe(200);
      expect((await svc.get('/readyz')).status).toBe(200);
      expect((await svc.get('/readyz', TEST_TOKENS.ingest)).status).toBe(200);
    } finally {
      await svc.stop();
    }
  });

  it('keys the limiter on the client behind a trusted proxy (TRUST_PROXY)', async () => {
    const behindProxy = async (trust: string | undefined) => {
      const svc = await startTestService(prefix, trust === undefined ? {} : { TRUST_PROXY: trust });
      try {
        const from = (client: string) => ({ token: 'bad-token-0123456789', headers: { 'x-forwarded-for': client } });
        for (let i = 0; i < 25; i++) await svc.post('/v1/requests', record(), from('198.51.100.1'));
        const attacker = (await svc.post('/v1/requests', record(), from('198.51.100.1'))).status;
        const neighbour = (await svc.post('/v1/requests', record(), from('198.51.100.2'))).status;
        return { attacker, neighbour };
      } finally {
        await svc.stop();
      }
    };
    // The test client connects from 127.0.0.1, playing the load balancer.
    expect(await behindProxy('loopback')).toEqual({ attacker: 429, neighbour: 401 });
    expect(await behindProxy(undefined)).toEqual({ attacker: 429, neighbour: 429 }); // one key: the balancer's
  });

  it('counts failed admin and decision tokens in the same limiter, keyed on the client behind TRUST_PROXY', async () => {
    const svc = await startTestService(prefix, {
      TRUST_PROXY: 'loopback',
      ADMIN_TOKENS: 'soc:test-admin-token-0123456789',
      DECISION_TOKENS: 'test-decision-token-0123456789',
    });
    const call = (client: string, path: string, headers: Record<string, string>) =>
      fetch(svc.url + path, { headers: { 'x-forwarded-for': client, ...headers } });
    try {
      const attacker = '198.51.100.7';
      for (let i = 0; i < 10; i++)
        expect((await call(attacker, '/v1/blocks', { authorization: `Bearer bad-admin-${i}-0123456789` })).status).toBe(
          401,
        );
      for (let i = 0; i < 15; i++)
        await call(attacker, '/v1/decision', { 'x-decision-token': `bad-decision-${i}-0123456789` });
      const refused = await call(attacker, '/v1/decision', { 'x-decision-token': 'bad-decision-x-0123456789' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const admin = await call(attacker, '/v1/blocks', { authorization: 'Bearer another-bad-admin-0123456789' });
      expect([admin.status, ((await admin.json()) as { error: { code: string } }).error.code]).toEqual([
        429,
        'too_many_auth_failures',
      ]);
      // The neighbour behind the same proxy is not refused; valid tokens always pass.
      expect((await call('198.51.100.8', '/v1/blocks', { authorization: 'Bearer bad-admin-0123456789' })).status).toBe(
        401,
      );
      // A valid admin token passes (the blocks index may still be being created at start: 503 until it exists).
      let admitted = 0;
      for (let i = 0; i < 50 && admitted !== 200; i++) {
        admitted = (await call(attacker, '/v1/blocks', { authorization: 'Bearer test-admin-token-0123456789' })).status;
        if (admitted === 503) await new Promise((r) => setTimeout(r, 200));
        else break;
      }
      expect(admitted).toBe(200);
      expect(
        (await call(attacker, '/v1/decision', { 'x-decision-token': 'test-decision-token-0123456789' })).status,
      ).toBe(204);
    } finally {
      await svc.stop();
    }
  });

  it('serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const ca = readFileSync(cert);
    const env = testServiceEnv(prefix, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    const svc = await spawnService(env, { ca });
    try {
      expect(svc.url).toMatch(/^https:/);
      // Ready once the service has installed its index template after start-up (a few seconds under load).
      let ready = { status: 0, body: '' };
      for (let i = 0; i < 60 && ready.status !== 200; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 500));
        ready = await httpsGet(`${svc.url}/readyz`, ca, { authorization: `Bearer ${TEST_TOKENS.query}` });
      }
      expect(ready.status).toBe(200);
      await expect(fetch(svc.url.replace('https', 'http') + '/healthz')).rejects.toThrow();
    } finally {
      await svc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('never logs or answers the credentials inside OPENSEARCH_URL (issue 13)', async () => {
    const withCredentials = (url: string) => url.replace('://', '://apiuser:Op3nSearch-Pa55@');
    const live = await spawnService(testServiceEnv(prefix, { OPENSEARCH_URL: withCredentials(testOpenSearchUrl()) }));
    const dead = await spawnService(
      testServiceEnv(prefix, { OPENSEARCH_URL: withCredentials(`http://127.0.0.1:${await freePort()}`) }),
    );
    try {
      const answers: string[] = [];
      for (const svc of [live, dead]) {
        await new Promise((r) => setTimeout(r, 1500)); // template install (or its first failed attempt) logged
        const res = await fetch(`${svc.url}/readyz`, { headers: { authorization: `Bearer ${TEST_TOKENS.query}` } });
        answers.push(await res.text());
        await fetch(`${svc.url}/v1/requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_TOKENS.ingest}`, 'content-type': 'application/json' },
          body: JSON.stringify(record()),
        });
      }
      const everything = [...live.output, ...dead.output, ...answers].join('\n');
      expect(everything).toContain('127.0.0.1'); // the URL is logged, without its credentials
      expect(everything).not.toContain('Op3nSearch-Pa55');
    } finally {
      await live.stop();
      await dead.stop();
    }
  }, 120_000);

  it('refuses to start with a clear message when configuration is missing', () => {
    let out = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
        env: { PATH: process.env.PATH ?? '' },
        stdio: 'pipe',
      });
    } catch (err) {
      out = String((err as { stderr: Buffer }).stderr);
      expect((err as { status: number }).status).toBe(2);
    }
    expect(out).toContain('refusing to start');
    for (const v of ['INGEST_TOKENS', 'QUERY_TOKENS', 'SESSION_SECRET']) expect(out).toContain(v);
    expect(out.split('\n').filter((line) => /^\s+at /.test(line))).toEqual([]); // no stack trace
  });
});
