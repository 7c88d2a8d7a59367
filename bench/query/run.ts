/**
 * Query benchmark (one command: `npm run bench:query`).
 *
 * Uses OPENSEARCH_URL (one or more nodes) when set, else starts BENCH_NODES local nodes (default 1; data kept in
 * .data/bench-opensearch[-3][-<n>nodes] so the dataset is reused). Generates the 7-day dataset of BENCH_REQUESTS
 * requests (default 1,000,000; prefix bench-query, bench-query-10m, …) once, then prints three tables:
 * 1. p50/p95 over BENCH_RUNS runs of each query in the service's query handler (in-process, no HTTP), with the
 *    cells it read; for the session lists the baseline (one terms aggregation on session.key ordered by max ts,
 *    size 100), for the endpoint inventory one terms aggregation on endpoint, for sequences the raw scan of the same
 *    requests in the same order and pages with no tally (the read alone) — run in turn with the query each
 *    round, the ratio being the median of the rounds' ratios (robust to the machine's load changing).
 * 2. the default list with its exact total step by step (scan layout, page size, day cache, block cache), side by
 *    side;
 * 3. the service process's RSS while it answers the heaviest queries (peak per query, from /proc).
 * OpenSearch's request cache is off for every measured search (and each run shifts `to` by 1 ms), so repeats are
 * measured, not answered from cache. The service's own cache (whole past days' session counts, and the part starts
 * of settled 15-minute blocks of the other days) is on unless a row says otherwise: a row after its first run is
 * what a refreshing dashboard gets; the rows without it are the cold cost. BENCH_ONLY=<text>[,<text>…] runs only
 * the first table's rows whose name contains one of them (e.g. `sequences,skipped_step`); BENCH_SKIP=<text>[,…]
 * leaves such rows out and keeps the other tables (e.g. `across sessions` at 10M requests, where that row reads
 * every request of a day); `steps` among them leaves out the second table.
 * Print the machine's load next to the figures: they move with it.
 */
import * as os from 'node:os';
import type { Client } from '@opensearch-project/opensearch';
import {
  benchClient,
  benchDataDir,
  benchLayout,
  benchNodes,
  benchOpenSearchCluster,
  type BenchOpenSearch,
} from '../lib/opensearch';
import { indicesForRange } from '../../backend/src/storage/indices';
import { parseQuery } from '../../backend/src/query/registry';
import { searchIndices } from '../../backend/src/query/indices';
import { clampRange } from '../../backend/src/query/time';
import { unlimitedBudget } from '../../backend/src/query/budget';
import type { QueryContext, ScanTuning } from '../../backend/src/query/context';
import { DAY, LONG_SESSION_KEY, datasetPrefix, datasetSpec, ensureDataset, type DatasetInfo } from './dataset';
import { WARMUP, fmt, measureSideBySide, printMarkdown } from './measure';
import { measureServiceMemory } from './service-memory';

const SPEC = datasetSpec(benchLayout(benchNodes()));
const PREFIX = process.env.BENCH_PREFIX ?? datasetPrefix(SPEC.requests);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
/** BENCH_ONLY=<text>[,<text>…]: only the latency rows whose name contains one of them (case-insensitive), no other table. */
const ONLY = process.env.BENCH_ONLY?.toLowerCase().split(',');
/** BENCH_SKIP=<text>[,<text>…]: leave out the latency rows whose name contains one of them; the other tables stay. */
const SKIP = process.env.BENCH_SKIP?.toLowerCase().split(',');

/** OPENSEARCH_URL (one or more nodes), else BENCH_NODES local nodes with 2 GB heap each, data kept per size. */
async function connect(): Promise<{ client: Client; cluster: BenchOpenSearch }> {
  process.env.OPENSEARCH_JAVA_OPTS ??=
    '-Xms2g -Xmx2g -XX:+UseG1GC -XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30';
  const cluster = await benchOpenSearchCluster({ dataDir: benchDataDir('bench-opensearch') });
  return { client: benchClient(cluster.url), cluster };
}

/** Runs a query body in the service's handler with the request cache off; returns the cells it read. */
function runner(client: Client, info: DatasetInfo) {
  return async (body: Record<string, unknown>, shift: number, scan?: ScanTuning) => {
    const { handler, params } = parseQuery(body);
    const range = clampRange({ from: body.from as number, to: (body.to as number) + shift }, 7, info.end + DAY);
    const ctx: QueryContext = {
      client,
      config: { indexPrefix: PREFIX, retentionDays: 7 },
      range,
      index: searchIndices(PREFIX, range.from, range.to),
      now: info.end,
      budget: unlimitedBudget(),
      requestCache: false,
      scan,
    };
    await handler.run(params, ctx);
    return ctx.budget.totalCells;
  };
}

/** A raw OpenSearch aggregation over [from, to + shift] (request cache off): the baseline of a row. */
function rawAgg(client: Client, from: number, to: number, aggs: Record<string, unknown>) {
  return (shift: number) =>
    client.search({
      index: indicesForRange(PREFIX, from, to + shift),
      ignore_unavailable: true,
      request_cache: false,
      body: {
        size: 0,
        query: { range: { ts: { gte: from, lte: to + shift, format: 'epoch_millis' } } },
        aggs,
      } as never,
    } as never);
}

/** Session lists: the 100 keys with the latest requests. */
const sessionsBaseline = (client: Client, from: number, to: number) =>
  rawAgg(client, from, to, {
    keys: {
      terms: { field: 'session.key', size: 100, order: { last: 'desc' } },
      aggs: { last: { max: { field: 'ts' } } },
    },
  });

/**
 * Sequences: the read alone — the same requests, same sort and fields, in the same 5,000-hit `search_after` pages,
 * with no tally (what any path analysis over raw requests must read at least).
 */
function scanBaseline(client: Client, from: number, to: number, sessionKey?: string) {
  return async (shift: number) => {
    let after: unknown[] | undefined;
    for (;;) {
      const filter: unknown[] = [{ range: { ts: { gte: from, lte: to + shift, format: 'epoch_millis' } } }];
      if (sessionKey) filter.push({ term: { 'session.key': sessionKey } });
      const res = await client.search({
        index: indicesForRange(PREFIX, from, to + shift),
        ignore_unavailable: true,
        request_cache: false,
        body: {
          query: { bool: { filter } },
          sort: [{ 'session.key': 'asc' }, { ts: 'asc' }, { id: 'asc' }],
          size: 5000,
          track_total_hits: false,
          _source: ['endpoint', 'status'],
          ...(after ? { search_after: after } : {}),
        },
      } as never);
      const hits = (res.body as { hits: { hits: Array<{ sort: unknown[] }> } }).hits.hits;
      if (hits.length < 5000) return;
      after = hits[hits.length - 1].sort;
    }
  };
}

/** Endpoint inventory: the 100 busiest endpoints, nothing else. */
const inventoryBaseline = (client: Client, from: number, to: number) =>
  rawAgg(client, from, to, { endpoints: { terms: { field: 'endpoint', size: 100 } } });

async function main() {
  const { client, cluster } = await connect();
  try {
    const info = await ensureDataset(client, PREFIX, (s) => console.error(s), SPEC);
    const run = runner(client, info);
    const end = info.end;
    const d1 = { from: end - DAY, to: end };
    const d7 = { from: end - 7 * DAY, to: end };
    console.log(
      `\nDataset: ${info.requests} requests, ${info.sessions} sessions over 7 days (${info.shards ?? 1} shards, ` +
        `${info.replicas ?? 0} replicas) on ${cluster.label}; ${RUNS} runs each (+${WARMUP} ` +
        `warm-up). Load average at start: ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} (${os.cpus().length} cores).\n`,
    );

    const latency: string[][] = [];
    const add = async (
      name: string,
      body: Record<string, unknown>,
      base?: (shift: number) => Promise<unknown>,
      scan?: ScanTuning,
    ) => {
      if (ONLY && !ONLY.some((o) => name.toLowerCase().includes(o))) return;
      if (SKIP?.some((o) => name.toLowerCase().includes(o))) return;
      let cells = 0;
      const query = async (i: number) => (cells = await run(body, i, scan));
      // Baseline first, the query second, in turn each round: the ratio is the median of the rounds' ratios.
      const { timings, ratios } = await measureSideBySide(RUNS, base ? [base, query] : [query]);
      const m = timings[timings.length - 1];
      const row = [name, fmt(m.p50), fmt(m.p95), String(cells), '', '', ''];
      if (base) [row[4], row[5], row[6]] = [fmt(timings[0].p50), fmt(timings[0].p95), ratios[1].toFixed(2)];
      latency.push(row);
      console.error(`  ${row.join('  ')}`);
    };
    const sessions = { queryType: 'sessions', limit: 100 };
    await add(
      'sessions 24h top 100 (last activity), exact total',
      { ...sessions, ...d1 },
      sessionsBaseline(client, d1.from, d1.to),
    );
    await add(
      '  same, without the cache (every run counts all of it)',
      { ...sessions, ...d1 },
      sessionsBaseline(client, d1.from, d1.to),
      { dayCache: false },
    );
    await add(
      '  same, with_total: false',
      { ...sessions, ...d1, with_total: false },
      sessionsBaseline(client, d1.from, d1.to),
    );
    await add(
      'sessions 7d top 100 (last activity), exact total',
      { ...sessions, ...d7 },
      sessionsBaseline(client, d7.from, d7.to),
    );
    await add(
      '  same, without the cache (every run counts all days)',
      { ...sessions, ...d7 },
      sessionsBaseline(client, d7.from, d7.to),
      { dayCache: false },
    );
    await add(
      '  same, with_total: false',
      { ...sessions, ...d7, with_total: false },
      sessionsBaseline(client, d7.from, d7.to),
    );
    await add(
      'sessions 24h top 100 by requests',
      { ...sessions, ...d1, sort: 'requests' },
      sessionsBaseline(client, d1.from, d1.to),
    );
    await add('timeline 2,000-request session', {
      queryType: 'timeline',
      ...d1,
      session_id: LONG_SESSION_KEY,
      start: info.longSessionStart,
      end: info.longSessionEnd,
    });
    await add(
      'sequences 2,000-request session (graph)',
      {
        queryType: 'sequences',
        ...d1,
        session_id: LONG_SESSION_KEY,
        start: info.longSessionStart,
        end: info.longSessionEnd,
      },
      scanBaseline(client, info.longSessionStart, info.longSessionEnd, LONG_SESSION_KEY),
    );
    await add(
      'sequences 24h across sessions, top 50 transitions',
      { queryType: 'sequences', ...d1, format: 'table' },
      scanBaseline(client, d1.from, d1.to),
    );
    await add('performance 24h 1-min interval', { queryType: 'performance', ...d1, interval_ms: 60_000 });
    await add('performance 24h session_rates', { queryType: 'performance', ...d1, view: 'session_rates' });
    await add('patterns 24h (attacks ≥ 1, 1-min)', {
      queryType: 'patterns',
      ...d1,
      condition: 'attacks',
      interval_ms: 60_000,
    });
    await add('patterns 24h skipped_step (/api/v1/login50 without /api/v2/res1 before)', {
      queryType: 'patterns',
      ...d1,
      condition: 'skipped_step',
      endpoint_pattern: '/api/v1/login50',
      predecessor_pattern: '/api/v2/res1/*',
      interval_ms: 300_000,
    });
    await add(
      'inventory 24h top 100 endpoints',
      { queryType: 'inventory', ...d1, limit: 100 },
      inventoryBaseline(client, d1.from, d1.to),
    );
    await add(
      'inventory 7d top 100 endpoints',
      { queryType: 'inventory', ...d7, limit: 100 },
      inventoryBaseline(client, d7.from, d7.to),
    );
    printMarkdown(['query', 'p50 ms', 'p95 ms', 'cells', 'baseline p50', 'baseline p95', 'ratio p50'], latency);

    if (ONLY) return;
    if (!SKIP?.includes('steps')) await exactTotalSteps(run, d1, d7);

    await measureServiceMemory(cluster.url, PREFIX, [
      { name: 'sessions 7d, last activity, exact total', body: { ...sessions, ...d7 } },
      {
        name: 'sessions 7d, 1-min idle, by requests',
        body: { ...sessions, ...d7, idle_timeout_minutes: 1, sort: 'requests' },
      },
      { name: 'performance 7d session_rates', body: { queryType: 'performance', ...d7, view: 'session_rates' } },
      {
        name: 'patterns 7d rate ≥ 10/min, 1-min',
        body: { queryType: 'patterns', ...d7, condition: 'rate', threshold: 10, interval_ms: 60_000 },
      },
      { name: 'inventory 7d', body: { queryType: 'inventory', ...d7 } },
      { name: 'requests 7d, page 500 × 100', body: { queryType: 'requests', ...d7, page: 500, page_size: 100 } },
    ]);
  } finally {
    await client.close();
    await cluster.stop();
  }
}

/** The exact session total (the list's dominant cost), one configuration per row, same run. */
async function exactTotalSteps(
  run: ReturnType<typeof runner>,
  d1: { from: number; to: number },
  d7: { from: number; to: number },
) {
  const steps: [string, ScanTuning][] = [
    [
      'one scan of all indices, 50,000-cell pages (before)',
      { dayStreams: false, partitions: 1, pageSize: 50_000, dayCache: false },
    ],
    ['2 key ranges in turn, 20,000-cell pages', { dayStreams: false, partitions: 2, dayCache: false }],
    ['day by day, 2 pages at once, 10,000-cell pages', { pageSize: 10_000, dayCache: false }],
    ['day by day, 2 pages at once, 20,000-cell pages', { dayCache: false }],
    ['… + whole past days from the day cache', { blockCache: false }],
    ['… + settled 15-minute blocks of the partial days from the cache (default)', {}],
  ];
  const rows: string[][] = [];
  for (const [label, range] of [
    ['24h', d1],
    ['7d', d7],
  ] as const) {
    const body = { queryType: 'sessions', limit: 100, ...range };
    // All steps in turn each round, so they see the same machine load; ratios against the first step.
    const { timings, ratios } = await measureSideBySide(
      RUNS,
      steps.map(
        ([, scan]) =>
          (i: number) =>
            run(body, i, scan),
      ),
    );
    steps.forEach(([name], s) => {
      rows.push([`${label}: ${name}`, fmt(timings[s].p50), fmt(timings[s].p95), ratios[s].toFixed(2)]);
      console.error(`  ${rows[rows.length - 1].join('  ')}`);
    });
  }
  console.log('Default list (rows + exact total), step by step, measured in turn each round:\n');
  printMarkdown(['configuration', 'p50 ms', 'p95 ms', 'vs before (median ratio)'], rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
