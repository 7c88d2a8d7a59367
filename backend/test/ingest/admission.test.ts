/**
 * Admission by in-flight bytes (issue 13, item 4): a gzip body reserves its decompressed bound, not its compressed
 * length, while it is read and inflated; afterwards only what it really holds.
 */
import { request, type ClientRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, TEST_TOKENS, type TestService } from '../service';
import { scrapeMetrics, TEST_METRICS_TOKEN } from '../metrics/scrape';

const prefix = uniquePrefix('admission');
const MAX_BODY = 1024 * 1024; // the in-flight budget is 4 bodies' worth
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { MAX_BODY_BYTES: String(MAX_BODY), METRICS_TOKENS: TEST_METRICS_TOKEN });
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

/** Starts a gzip upload that declares `length` bytes and sends only its first half, then waits. */
function heldUpload(length: number): ClientRequest {
  const req = request(`${svc.url}/v1/requests`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_TOKENS.ingest}`,
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'content-length': String(length),
    },
  });
  req.on('error', () => {});
  req.write(Buffer.alloc(length / 2));
  return req;
}

describe('in-flight admission', () => {
  it('reserves the decompressed bound of gzip bodies while they are read', async () => {
    const gz = gzipSync(JSON.stringify(record({ id: 'adm-1' })));
    // Four small gzip uploads in progress could each still inflate to MAX_BODY_BYTES: the budget is taken.
    const held = [0, 1, 2, 3].map(() => heldUpload(2048));
    await new Promise((r) => setTimeout(r, 300));
    const refused = await svc.post('/v1/requests', null, {
      raw: gz,
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    });
    expect([refused.status, refused.json.error?.code]).toEqual([429, 'overloaded']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const during = await scrapeMetrics(svc.url); // the in-flight work and the refusal are visible (item 8)
    expect(during.get('api_sessions_ingest_inflight_bytes')).toBe(4 * MAX_BODY);
    expect(during.get('api_sessions_ingest_refusals_total{budget="bytes"}')).toBe(1);
    held.forEach((r) => r.destroy());
    await new Promise((r) => setTimeout(r, 300));
    expect((await scrapeMetrics(svc.url)).get('api_sessions_ingest_inflight_bytes')).toBe(0);
    // Once they are gone (and after a body is inflated, it holds only its real size) bodies are admitted again.
    for (let i = 0; i < 6; i++) {
      const ok = await svc.post('/v1/requests', null, {
        raw: gz,
        headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      });
      expect([ok.status, ok.json.accepted]).toEqual([200, 1]);
    }
  });

  it('still reserves only the declared length of an uncompressed body', async () => {
    const plain = [0, 1, 2, 3].map(() => {
      const req = request(`${svc.url}/v1/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_TOKENS.ingest}`,
          'content-type': 'application/json',
          'content-length': '4096',
        },
      });
      req.on('error', () => {});
      req.write('[');
      return req;
    });
    await new Promise((r) => setTimeout(r, 300));
    const res = await svc.post('/v1/requests', record({ id: 'adm-2' }));
    expect([res.status, res.json.accepted]).toEqual([200, 1]);
    plain.forEach((r) => r.destroy());
  });
});
