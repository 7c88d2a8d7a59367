/**
 * GET /healthz/ready, the load balancer's readiness check (issue 20): no token, `200 ok` / `503 not ready` in plain
 * text, nothing else (no versions, node names or counts), and never counted as a failed authentication.
 */
import packageJson from '../../../package.json';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService } from '../service';

const prefix = uniquePrefix('ready-lb');

afterAll(async () => {
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

const probe = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/healthz/ready`, { headers });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
};

describe('GET /healthz/ready', () => {
  it('answers 503 "not ready" while OpenSearch is unreachable', async () => {
    const down = await startTestService(prefix, { OPENSEARCH_URL: 'http://127.0.0.1:9' });
    try {
      expect(await probe(down.url)).toEqual({ status: 503, body: 'not ready\n', type: 'text/plain; charset=utf-8' });
    } finally {
      await down.stop();
    }
  });

  it('answers 503 until the index template is installed, then 200 "ok" revealing nothing', async () => {
    const svc = await startTestService(prefix);
    try {
      expect((await probe(svc.url)).status).toBe(503);
      expect((await svc.post('/v1/requests', record())).status).toBe(200); // installs the template
      await new Promise((r) => setTimeout(r, 1100)); // the probe reuses an answer for 1 s
      const ready = await probe(svc.url);
      expect(ready).toEqual({ status: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' });
      // What the token-protected /readyz tells (cluster status, counts) is not in it, nor the service's version.
      const details = await svc.get('/readyz');
      expect(details.json.status).toBe('ok');
      for (const secret of [packageJson.version, 'green', 'yellow', 'requests_24h', 'opensearch'])
        expect(ready.body).not.toContain(secret);
    } finally {
      await svc.stop();
    }
  });

  it('needs no token, ignores a wrong one, and is never counted as a failed authentication', async () => {
    const svc = await startTestService(prefix);
    try {
      await svc.post('/v1/requests', record());
      await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 40; i++)
        expect((await probe(svc.url, { authorization: `Bearer wrong-token-${i}-0123456789` })).status).toBe(200);
      // 40 probes with bad tokens did not trip the failed-authentication limiter (25 failures would).
      expect((await svc.get('/readyz', '')).status).toBe(401);
    } finally {
      await svc.stop();
    }
  });
});
