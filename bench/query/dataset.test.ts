import { datasetPrefix, datasetSpec, generate, matchesSpec, type DatasetInfo } from './dataset';

describe('bench dataset size', () => {
  const env = process.env.BENCH_REQUESTS;
  afterEach(() => {
    if (env === undefined) delete process.env.BENCH_REQUESTS;
    else process.env.BENCH_REQUESTS = env;
  });

  it('defaults to 1M requests in 50,000 sessions and scales sessions (and keys) with BENCH_REQUESTS', () => {
    delete process.env.BENCH_REQUESTS;
    expect(datasetSpec()).toEqual({ requests: 1_000_000, sessions: 50_000, shards: 1, replicas: 0 });
    process.env.BENCH_REQUESTS = '10000000';
    expect(datasetSpec({ indexShards: 3, indexReplicas: 1 })).toEqual({
      requests: 10_000_000,
      sessions: 500_000,
      shards: 3,
      replicas: 1,
    });
    process.env.BENCH_REQUESTS = '5e3';
    expect(() => datasetSpec()).toThrow(/BENCH_REQUESTS/);
  });

  it('keeps each size in its own prefix (1M keeps the old one)', () => {
    expect(datasetPrefix(1_000_000)).toBe('bench-query');
    expect(datasetPrefix(10_000_000)).toBe('bench-query-10m');
    expect(datasetPrefix(2_500_000)).toBe('bench-query-2_5m');
  });

  it('reuses a stored dataset only when size and layout match (old markers = 1M, 1 shard, 0 replicas)', () => {
    const old = { version: 1, requests: 1_006_489, sessions: 50_001 } as DatasetInfo;
    const spec = { requests: 1_000_000, sessions: 50_000, shards: 1, replicas: 0 };
    expect(matchesSpec(old, spec)).toBe(true);
    expect(matchesSpec(old, { ...spec, shards: 3 })).toBe(false);
    expect(matchesSpec({ ...old, target: 10_000_000 }, spec)).toBe(false);
  });

  it('generates about the requested number of requests, with 0.8 × sessions keys', () => {
    const gen = generate(Date.UTC(2026, 0, 8), 20_000, 1_000);
    const keys = new Set<string>();
    let n = 0;
    let step = gen.next();
    while (!step.done) {
      keys.add(step.value.session.key);
      n++;
      step = gen.next();
    }
    expect(step.value.requests).toBe(n);
    expect(n).toBeGreaterThan(15_000);
    expect(n).toBeLessThan(25_000);
    expect(keys.size).toBe(800 + 1); // + the long session's key
  });
});
