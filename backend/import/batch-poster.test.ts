import { gunzipSync } from 'node:zlib';
import { BatchPoster } from './batch-poster';

type Call = { lines: string[] };

/** A fake ingest endpoint: answers from `answer(callNo, records)`; records are decoded from the gzip NDJSON body. */
function fakeFetch(
  answer: (n: number, records: any[]) => { status: number; body?: unknown; headers?: Record<string, string> },
  calls: Call[] = [],
) {
  let n = 0;
  let active = 0;
  const stats = { maxActive: 0 };
  const f = (async (_url: string, init: RequestInit) => {
    active++;
    stats.maxActive = Math.max(stats.maxActive, active);
    await new Promise((r) => setTimeout(r, 5));
    const text = gunzipSync(init.body as Buffer).toString('utf8');
    const records = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    calls.push({ lines: records.map((r) => r.id) });
    const a = answer(n++, records);
    active--;
    return new Response(a.body === undefined ? '' : JSON.stringify(a.body), { status: a.status, headers: a.headers });
  }) as unknown as typeof fetch;
  return { f, stats };
}

const opts = (f: typeof fetch, extra = {}) => ({
  url: 'http://127.0.0.1:1',
  token: 't',
  batchSize: 3,
  concurrency: 2,
  post: { fetch: f, sleep: async () => undefined },
  ...extra,
});

describe('BatchPoster', () => {
  it('posts batches with bounded concurrency and maps rejections to input lines', async () => {
    const { f, stats } = fakeFetch((_n, recs) => {
      const bad = recs.findIndex((r) => r.id === 'r5');
      return {
        status: 200,
        body: {
          accepted: recs.length - (bad >= 0 ? 1 : 0),
          rejected: bad >= 0 ? 1 : 0,
          errors: bad >= 0 ? [{ index: bad, field: 'ts', message: 'is older than the retention window (7 days)' }] : [],
        },
      };
    });
    const p = new BatchPoster(opts(f));
    for (let i = 0; i < 10; i++) await p.add({ id: `r${i}` }, 100 + i);
    await p.flush();
    expect(p.totals).toMatchObject({ posted: 10, accepted: 9, rejected: 1, batches: 4 });
    expect(p.rejections).toEqual([{ line: 105, field: 'ts', message: 'is older than the retention window (7 days)' }]);
    expect(stats.maxActive).toBeLessThanOrEqual(2);
  });

  it('retries 429/503 honouring Retry-After and counts retries', async () => {
    const waits: number[] = [];
    const { f } = fakeFetch((n, recs) =>
      n < 2
        ? { status: n === 0 ? 429 : 503, headers: { 'retry-after': '2' } }
        : { status: 200, body: { accepted: recs.length, rejected: 0, errors: [] } },
    );
    const p = new BatchPoster({
      ...opts(f),
      concurrency: 1,
      post: { fetch: f, sleep: async (ms: number) => void waits.push(ms) },
    });
    await p.add({ id: 'a' }, 1);
    await p.flush();
    expect(waits).toEqual([2000, 2000]);
    expect(p.totals).toMatchObject({ accepted: 1, retries: 2 });
  });

  it('stops on 401: add and flush throw the fatal error', async () => {
    const { f } = fakeFetch(() => ({ status: 401, body: { error: { code: 'unauthorized' } } }));
    const p = new BatchPoster(opts(f, { concurrency: 1 }));
    await p.add({ id: 'a' }, 1);
    await p.add({ id: 'b' }, 2);
    await p.add({ id: 'c' }, 3); // fills the batch: dispatched
    await expect(p.flush()).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(p.add({ id: 'd' }, 4)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('counts a batch answered 413 as rejected and goes on', async () => {
    const { f } = fakeFetch((n, recs) =>
      n === 0
        ? { status: 413, body: { error: { message: 'too large' } } }
        : { status: 200, body: { accepted: recs.length, rejected: 0, errors: [] } },
    );
    const p = new BatchPoster(opts(f, { concurrency: 1 }));
    for (let i = 0; i < 6; i++) await p.add({ id: `r${i}` }, i + 1);
    await p.flush();
    expect(p.totals).toMatchObject({ accepted: 3, rejected: 3, failedStatuses: [413] });
    expect(p.rejections[0]).toMatchObject({ line: 1, message: 'HTTP 413: too large' });
  });
});

describe('BatchPoster.flushIdle', () => {
  it('posts a partial batch once nothing was added for a while', async () => {
    const { f } = fakeFetch((_n, recs) => ({ status: 200, body: { accepted: recs.length, rejected: 0, errors: [] } }));
    const p = new BatchPoster(opts(f, { batchSize: 100 }));
    await p.add({ id: 'a' }, 1);
    await p.flushIdle(60_000);
    expect(p.totals.batches).toBe(0);
    await p.flushIdle(0);
    await p.settle();
    expect(p.totals).toMatchObject({ batches: 1, accepted: 1 });
    await p.flush();
    expect(p.totals.batches).toBe(1);
  });
});
