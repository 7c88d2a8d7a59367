/**
 * OTLP/HTTP against the real service and the real OpenSearch node: exports encoded by protobufjs from the official
 * .proto files (and OTLP/JSON), answers decoded the same way. What an exporter sees: full and partial success,
 * the Status body of every failure, Retry-After, and what ends up stored (and what never does).
 */
import { gzipSync } from 'node:zlib';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { startTestService, storedDocs, TEST_TOKENS, type TestService } from '../service';
import { attr, decode, encode, nanos, types } from './reference';

const prefix = uniquePrefix('otlp-http');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { MAX_BODY_BYTES: String(256 * 1024) });
});
afterAll(async () => {
  await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

type Encoding = 'protobuf' | 'json';
const TYPES = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** POSTs an OTLP body; returns status, headers and the raw answer. */
async function postOtlp(
  url: string,
  path: string,
  body: Buffer | string,
  opts: { type?: string; token?: string | null; gzip?: boolean } = {},
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const headers: Record<string, string> = { 'content-type': opts.type ?? TYPES.protobuf };
  const token = opts.token === undefined ? TEST_TOKENS.ingest : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: Buffer = Buffer.from(body);
  if (opts.gzip) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
  }
  const res = await fetch(url + path, { method: 'POST', headers, body: payload });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const now = Date.now() - 60_000;

/** A server span in protobufjs object form; `over` replaces attributes by key (undefined removes one). */
function serverSpan(n: number, over: Record<string, string | number | string[] | undefined> = {}, kind = 2): object {
  const attrs: Record<string, string | number | string[] | undefined> = {
    'http.request.method': 'GET',
    'url.path': `/api/items/${n}`,
    'http.response.status_code': 200,
    'client.address': '203.0.113.50',
    'user_agent.original': 'otlp-test/1.0',
    'server.address': 'api.example.com',
    'http.request.header.cookie': ['PHPSESSID=otlp-secret-cookie-1; theme=dark'],
    ...over,
  };
  return {
    traceId: Buffer.from(hex(0xabc, 16), 'hex'),
    spanId: Buffer.from(hex(n, 8), 'hex'),
    name: 'GET',
    kind,
    startTimeUnixNano: nanos(now + n),
    endTimeUnixNano: `${BigInt(nanos(now + n)) + 7_250_000n}`,
    attributes: Object.entries(attrs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => attr(k, v!)),
  };
}

function traceExport(spans: object[], service = 'otlp-shop'): Buffer {
  return encode(types.traceRequest, {
    resourceSpans: [{ resource: { attributes: [attr('service.name', service)] }, scopeSpans: [{ spans }] }],
  });
}

/** The same export in OTLP/JSON (hex ids, int64 as strings), as an exporter would send it. */
function toJson(protoBody: Buffer): string {
  const obj = decode(types.traceRequest, protoBody);
  return JSON.stringify(obj);
}

describe('POST /otlp/v1/traces', () => {
  it('stores HTTP server spans (protobuf), ignores client spans, answers a full success and dedupes a resend', async () => {
    const body = traceExport([serverSpan(1), serverSpan(2), serverSpan(3, {}, 3)]);
    for (let i = 0; i < 2; i++) {
      const res = await postOtlp(svc.url, '/otlp/v1/traces', body);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
      expect(decode(types.traceResponse, res.body)).toEqual({}); // partial_success unset
    }
    const docs = await storedDocs(svc.client, prefix, hex(0xabc, 16));
    expect(docs.map((d) => d.id).sort()).toEqual([`${hex(0xabc, 16)}-${hex(1, 8)}`, `${hex(0xabc, 16)}-${hex(2, 8)}`]);
    expect(docs[0]).toMatchObject({
      ts: now + 1,
      duration_ms: 7.25,
      method: 'GET',
      path: '/api/items/1',
      endpoint: '/api/items/{int}',
      status: 200,
      client_ip: '203.0.113.50',
      host: 'api.example.com',
      app: 'otlp-shop',
      session: { key_source: 'cookie:PHPSESSID' },
    });
    // The captured cookie fed the session key and is stored nowhere.
    expect(JSON.stringify(docs)).not.toContain('otlp-secret-cookie-1');
    expect(docs[0].identifiers).toBeUndefined();
  });

  it('answers a partial success naming the rejected spans and the attributes to fix; stores the rest', async () => {
    const body = traceExport([
      serverSpan(11),
      serverSpan(12, { 'client.address': undefined }),
      serverSpan(13, { 'http.response.status_code': 'teapot' }),
      serverSpan(14, {}, 3),
    ]);
    const res = await postOtlp(svc.url, '/otlp/v1/traces', body);
    expect(res.status).toBe(200);
    const answer = decode(types.traceResponse, res.body);
    expect(answer.partialSuccess.rejectedSpans).toBe('2');
    expect(answer.partialSuccess.errorMessage).toContain('2 of 3 HTTP server spans rejected');
    expect(answer.partialSuccess.errorMessage).toContain(
      `resourceSpans[0].scopeSpans[0].spans[1] (span ${hex(12, 8)}): client_ip (from client.address`,
    );
    expect(answer.partialSuccess.errorMessage).toContain('status (from http.response.status_code, http.status_code)');
    const ids = (await storedDocs(svc.client, prefix, hex(0xabc, 16))).map((d) => d.id);
    expect(ids).toContain(`${hex(0xabc, 16)}-${hex(11, 8)}`);
    expect(ids).not.toContain(`${hex(0xabc, 16)}-${hex(12, 8)}`);
  });

  it('takes OTLP/JSON (hex ids, string int64) and answers in JSON; gzip works for both encodings', async () => {
    const proto = traceExport([serverSpan(21), serverSpan(22, { 'client.address': undefined })]);
    const res = await postOtlp(svc.url, '/otlp/v1/traces', toJson(proto), { type: TYPES.json });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(String(res.body))).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('1 of 2 HTTP server spans') },
    });
    const gz = await postOtlp(svc.url, '/otlp/v1/traces', traceExport([serverSpan(23)]), { gzip: true });
    expect(gz.status).toBe(200);
    const gzJson = await postOtlp(svc.url, '/otlp/v1/traces', toJson(traceExport([serverSpan(24)])), {
      type: TYPES.json,
      gzip: true,
    });
    expect(JSON.parse(String(gzJson.body))).toEqual({});
    const ids = (await storedDocs(svc.client, prefix, hex(0xabc, 16))).map((d) => d.id);
    for (const n of [21, 23, 24]) expect(ids).toContain(`${hex(0xabc, 16)}-${hex(n, 8)}`);
  });

  it("reads the older semantic-convention names (what nginx's otel module sends)", async () => {
    const nginx = serverSpan(41, {
      'http.request.method': undefined,
      'url.path': undefined,
      'http.response.status_code': undefined,
      'client.address': undefined,
      'user_agent.original': undefined,
      'server.address': undefined,
      'http.request.header.cookie': undefined,
      'http.method': 'DELETE',
      'http.target': '/api/carts/9?force=1',
      'http.route': '/api/carts/{cart}',
      'http.status_code': 204,
      'net.sock.peer.addr': '192.0.2.77',
      'http.user_agent': 'legacy-agent',
      'net.host.name': 'legacy.example.com',
      'http.flavor': '1.1',
      'http.response_content_length': 0,
    });
    expect((await postOtlp(svc.url, '/otlp/v1/traces', traceExport([nginx], 'nginx'))).status).toBe(200);
    const [doc] = await storedDocs(svc.client, prefix, `${hex(0xabc, 16)}-${hex(41, 8)}`);
    expect(doc).toMatchObject({
      method: 'DELETE',
      path: '/api/carts/9',
      query_params: ['force'],
      endpoint: '/api/carts/{cart}',
      status: 204,
      client_ip: '192.0.2.77',
      user_agent: 'legacy-agent',
      host: 'legacy.example.com',
      protocol: 'HTTP/1.1',
      response_bytes: 0,
      app: 'nginx',
      session: { key_source: 'ip+ua' },
    });
  });

  it('answers an empty export with success', async () => {
    for (const enc of ['protobuf', 'json'] as Encoding[]) {
      const res = await postOtlp(svc.url, '/otlp/v1/traces', '', { type: TYPES[enc] });
      expect(res.status).toBe(200);
    }
    const json = await postOtlp(svc.url, '/otlp/v1/traces', '{"resourceSpans":[]}', { type: TYPES.json });
    expect(JSON.parse(String(json.body))).toEqual({});
  });
});

describe('POST /otlp/v1/logs', () => {
  it('stores HTTP access-log records (Envoy-style string attributes) and ignores application logs', async () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'edge-envoy' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nanos(now + 500),
                  attributes: [
                    ['http.request.method', 'POST'],
                    ['url.path', '/api/login'],
                    ['http.response.status_code', '401'],
                    ['client.address', '198.51.100.23'],
                    ['user_agent.original', 'envoy-test'],
                    ['server.address', 'auth.example.com:443'],
                    ['duration_ms', '31'],
                    ['http.request.header.authorization', 'Bearer log-secret-token'],
                  ].map(([key, v]) => ({ key, value: { stringValue: v } })),
                },
                { timeUnixNano: nanos(now), body: { stringValue: 'cache warmed' } },
              ],
            },
          ],
        },
      ],
    };
    const res = await postOtlp(svc.url, '/otlp/v1/logs', JSON.stringify(body), { type: TYPES.json });
    expect(res.status).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({});
    const docs = (await storedDocs(svc.client, prefix, 'log-')).filter((d) => d.app === 'edge-envoy');
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      method: 'POST',
      path: '/api/login',
      status: 401,
      host: 'auth.example.com',
      duration_ms: 31,
      session: { key_source: 'header:authorization' },
    });
    expect(JSON.stringify(docs)).not.toContain('log-secret-token');
  });

  it('answers rejected_log_records in protobuf', async () => {
    const body = encode(types.logsRequest, {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: nanos(now), attributes: [attr('http.request.method', 'GET'), attr('url.path', '/x')] },
              ],
            },
          ],
        },
      ],
    });
    const res = await postOtlp(svc.url, '/otlp/v1/logs', body);
    expect(decode(types.logsResponse, res.body)).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: expect.stringMatching(
          /^1 of 1 HTTP access-log records rejected\. resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]/,
        ),
      },
    });
  });
});

describe('OTLP failures: a google.rpc.Status in the request encoding, the OTLP status codes', () => {
  const body = () => traceExport([serverSpan(31)]);

  it('401 without an ingest token (a query token does not do)', async () => {
    for (const token of [null, 'wrong-token', TEST_TOKENS.query]) {
      const res = await postOtlp(svc.url, '/otlp/v1/traces', body(), { token });
      expect(res.status).toBe(401);
      expect(decode(types.status, res.body)).toEqual({ code: 16, message: 'missing or invalid bearer token' });
    }
  });

  it('415 for a content type that is not OTLP, 400 naming where an export is malformed', async () => {
    const plain = await postOtlp(svc.url, '/otlp/v1/traces', 'hello', { type: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(JSON.parse(String(plain.body)).message).toMatch(/application\/x-protobuf or application\/json/);

    const truncated = body().subarray(0, 40);
    const bad = await postOtlp(svc.url, '/otlp/v1/traces', truncated);
    expect(bad.status).toBe(400);
    expect(decode(types.status, bad.body).message).toMatch(
      /^invalid OTLP protobuf export: resourceSpans\[0\].*truncated/,
    );

    const badJson = await postOtlp(
      svc.url,
      '/otlp/v1/traces',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"7uGbfsPBsXQ="}]}]}]}',
      {
        type: TYPES.json,
      },
    );
    expect(badJson.status).toBe(400);
    expect(JSON.parse(String(badJson.body))).toEqual({
      code: 3,
      message: expect.stringContaining('resourceSpans[0].scopeSpans[0].spans[0].spanId: must be a hex string'),
    });
  });

  it('413 for a body over MAX_BODY_BYTES (also after gunzip)', async () => {
    const big = traceExport(Array.from({ length: 1200 }, (_, i) => serverSpan(1000 + i)));
    expect(big.length).toBeGreaterThan(256 * 1024);
    for (const gzip of [false, true]) {
      const res = await postOtlp(svc.url, '/otlp/v1/traces', big, { gzip });
      expect(res.status).toBe(413);
      expect(decode(types.status, res.body).message).toMatch(/larger than 262144 bytes/);
    }
  });

  it('429 with Retry-After when the export holds more requests than the in-flight budget', async () => {
    const small = await startTestService(prefix, { MAX_INFLIGHT_RECORDS: '1000' });
    try {
      const spans = Array.from({ length: 1001 }, (_, i) =>
        serverSpan(5000 + i, { 'http.request.header.cookie': undefined }),
      );
      const res = await postOtlp(small.url, '/otlp/v1/traces', traceExport(spans));
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(decode(types.status, res.body).code).toBe(8);
    } finally {
      await small.stop();
    }
  });

  it('503 with Retry-After when OpenSearch cannot be reached (nothing stored; the resend is safe)', async () => {
    const down = await startTestService(prefix, { OPENSEARCH_URL: 'http://127.0.0.1:9' });
    try {
      const res = await postOtlp(down.url, '/otlp/v1/traces', toJson(body()), { type: TYPES.json });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(String(res.body))).toMatchObject({ code: 14, message: expect.stringMatching(/retry later/) });
    } finally {
      await down.stop();
    }
  });
});
