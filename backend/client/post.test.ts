import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { PostError, ingestUrl, parseRetryAfter, postRecords } from './post';

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  records: unknown[];
}

/** A throw-away HTTP server; `respond` decides each answer. */
async function fakeService(
  respond: (seen: Seen, n: number, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      const records =
        req.headers['content-type'] === 'application/x-ndjson'
          ? text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l))
          : JSON.parse(text);
      const s = { url: req.url ?? '', headers: req.headers, records };
      seen.push(s);
      respond(s, seen.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const recs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    ts: 1,
    host: 'h',
    method: 'GET',
    path: '/',
    status: 200,
    client_ip: '192.0.2.1',
  }));
const noSleep = async () => undefined;

describe('postRecords', () => {
  it('sends NDJSON+gzip batches (first one as a JSON array) and sums the answers', async () => {
    const svc = await fakeService((s, _n, res) =>
      json(res, 200, {
        accepted: s.records.length - 1,
        rejected: 1,
        errors: [{ index: 0, field: 'ts', message: 'bad' }],
      }),
    );
    try {
      const progress: number[] = [];
      const out = await postRecords(svc.url, 'ingest-token-1234567890', recs(1200), {
        batchSize: 500,
        jsonArrayBatches: 1,
        onProgress: (p) => progress.push(p.posted),
      });
      expect(svc.seen).toHaveLength(3);
      expect(svc.seen.every((s) => s.url === '/v1/requests')).toBe(true);
      expect(svc.seen.every((s) => s.headers.authorization === 'Bearer ingest-token-1234567890')).toBe(true);
      expect(svc.seen[0].headers['content-type']).toBe('application/json');
      expect(svc.seen[0].headers['content-encoding']).toBeUndefined();
      expect(svc.seen[1].headers['content-type']).toBe('application/x-ndjson');
      expect(svc.seen[1].headers['content-encoding']).toBe('gzip');
      expect(svc.seen.map((s) => s.records.length)).toEqual([500, 500, 200]);
      expect((svc.seen[2].records[0] as { id: string }).id).toBe('r1000');
      expect(progress).toEqual([500, 1000, 1200]);
      expect(out).toMatchObject({ accepted: 1197, rejected: 3, batches: 3, retries: 0 });
      expect(out.errors.map((e) => e.index)).toEqual([0, 500, 1000]);
    } finally {
      await svc.close();
    }
  });

  it('retries 429/503 honoring Retry-After, resending the same batch', async () => {
    const svc = await fakeService((s, n, res) =>
      n === 1
        ? json(res, 429, { error: { code: 'overloaded' } }, { 'retry-after': '2' })
        : n === 2
          ? json(res, 503, { error: { code: 'storage_unavailable' } }, { 'retry-after': '1' })
          : json(res, 200, { accepted: s.records.length, rejected: 0, errors: [] }),
    );
    try {
      const waits: number[] = [];
      const out = await postRecords(svc.url, 'tok-tok-tok-tok-tok', recs(10), {
        sleep: async (ms) => void waits.push(ms),
      });
      expect(waits).toEqual([2000, 1000]);
      expect(out).toMatchObject({ accepted: 10, rejected: 0, retries: 2 });
      expect(svc.seen[0].records).toEqual(svc.seen[2].records);
    } finally {
      await svc.close();
    }
  });

  it('gives up after maxRetries with an overloaded PostError, capping each wait', async () => {
    const svc = await fakeService((_s, _n, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    try {
      const waits: number[] = [];
      const err = await postRecords(svc.url, 'tok-tok-tok-tok-tok', recs(3), {
        maxRetries: 2,
        maxRetryWaitMs: 5000,
        sleep: async (ms) => void waits.push(ms),
      }).catch((e) => e);
      expect(err).toBeInstanceOf(PostError);
      expect(err.code).toBe('overloaded');
      expect(waits).toEqual([5000, 5000]);
    } finally {
      await svc.close();
    }
  });

  it('aborts on 401', async () => {
    const svc = await fakeService((_s, _n, res) => json(res, 401, { error: { code: 'unauthorized' } }));
    try {
      const err = await postRecords(svc.url, 'wrong-wrong-wrong-wrong', recs(1200), { sleep: noSleep }).catch((e) => e);
      expect(err).toBeInstanceOf(PostError);
      expect(err.code).toBe('unauthorized');
      expect(svc.seen).toHaveLength(1);
    } finally {
      await svc.close();
    }
  });

  it('counts 400 and 413 batches as rejected and goes on', async () => {
    const svc = await fakeService((s, n, res) =>
      n === 1
        ? json(res, 400, {
            accepted: 0,
            rejected: s.records.length,
            errors: [{ index: 3, field: 'status', message: 'x' }],
          })
        : n === 2
          ? json(res, 413, { error: { code: 'payload_too_large', message: 'too big' } })
          : json(res, 200, { accepted: s.records.length, rejected: 0, errors: [] }),
    );
    try {
      const out = await postRecords(svc.url, 'tok-tok-tok-tok-tok', recs(25), { batchSize: 10, sleep: noSleep });
      expect(out).toMatchObject({ accepted: 5, rejected: 20, failedStatuses: [400, 413] });
      expect(out.errors[0]).toEqual({ index: 3, field: 'status', message: 'x' });
      expect(out.errors[1].message).toMatch(/413.*too big/);
    } finally {
      await svc.close();
    }
  });

  it('throws an unreachable PostError when nothing listens', async () => {
    const svc = await fakeService(() => undefined);
    const url = svc.url;
    await svc.close();
    const err = await postRecords(url, 'tok-tok-tok-tok-tok', recs(1), { sleep: noSleep }).catch((e) => e);
    expect(err).toBeInstanceOf(PostError);
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(url);
  });
});

describe('post helpers', () => {
  it('ingestUrl accepts a base URL or the full ingest URL', () => {
    expect(ingestUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1/requests');
    expect(ingestUrl('http://svc:8080/prefix/')).toBe('http://svc:8080/prefix/v1/requests');
    expect(ingestUrl('http://svc:8080/v1/requests')).toBe('http://svc:8080/v1/requests');
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    const now = Date.parse('2026-11-28T08:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 08:00:05 GMT', now)).toBe(5000);
  });
});
