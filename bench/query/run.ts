/**
 * Query benchmark (one command: `npx tsx bench/query/run.ts`).
 *
 * Uses OPENSEARCH_URL when set, else starts a local node (data kept in .data/bench-opensearch so the dataset is
 * reused). Generates the 7-day, 1,000,000-request dataset once, then reports p50/p95 over RUNS runs of each query,
 * and for the session lists the baseline (one terms aggregation on session.key ordered by max ts, size 100) and
 * the ratio; for the endpoint inventory the baseline is one terms aggregation on endpoint (size 100). OpenSearch's request cache is off for every measured search (and each run shifts `to` by 1 ms), so
 * repeats are measured, not answered from cache.
 */
import * as path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { startOpenSearch, type OpenSearchHandle } from '../../opensearch-local/runner';
import { indicesForRange } from '../../backend/src/storage/indices';
import { parseQuery } from '../../backend/src/query/registry';
import { clampRange } from '../../backend/src/query/time';
import type { QueryContext } from '../../backend/src/query/context';
import { unlimitedBudget } from '../../backend/src/query/budget';
import { DAY, LONG_SESSION_KEY, ensureDataset, type DatasetInfo } from './dataset';

const PREFIX = process.env.BENCH_PREFIX ?? 'bench-query';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;

async function connect(): Promise<{ client: Client; node?: OpenSearchHandle }> {
  if (process.env.OPENSEARCH_URL)
    return { client: new Client({ node: process.env.OPENSEARCH_URL, requestTimeout: 120_000 }) };
  process.env.OPENSEARCH_JAVA_OPTS ??=
    '-Xms2g -Xmx2g -XX:+UseG1GC -XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30';
  const node = await startOpenSearch({
    port: 0,
    dataDir: path.resolve(__dirname, '../../.data/bench-opensearch'),
    jvmProfile: 'server',
    log: (l) => console.error(`[opensearch] ${l}`),
  });
  return { client: new Client({ node: node.url, requestTimeout: 120_000 }), node };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))];
}

async function measure(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

function runner(client: Client, info: DatasetInfo) {
  return async (body: Record<string, unknown>, shift: number) => {
    const { handler, params } = parseQuery(body);
    const range = clampRange({ from: body.from as number, to: (body.to as number) + shift }, 7, info.end + DAY);
    const ctx: QueryContext = {
      client,
      config: { indexPrefix: PREFIX, retentionDays: 7 },
      range,
      index: indicesForRange(PREFIX, range.from, range.to),
      now: info.end,
      budget: unlimitedBudget(),
      requestCache: false,
    };
    return handler.run(params, ctx);
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

/** Endpoint inventory: the 100 busiest endpoints, nothing else. */
const inventoryBaseline = (client: Client, from: number, to: number) =>
  rawAgg(client, from, to, { endpoints: { terms: { field: 'endpoint', size: 100 } } });

async function main() {
  const { client, node } = await connect();
  try {
    const info = await ensureDataset(client, PREFIX, (s) => console.error(s));
    const run = runner(client, info);
    const end = info.end;
    const rowsOut: string[][] = [];
    const fmt = (n: number) => n.toFixed(1);
    const add = async (name: string, body: Record<string, unknown>, base?: (shift: number) => Promise<unknown>) => {
      const m = await measure((i) => run(body, i));
      const row = [name, fmt(m.p50), fmt(m.p95), '', '', ''];
      if (base) {
        const b = await measure(base);
        row[3] = fmt(b.p50);
        row[4] = fmt(b.p95);
        row[5] = (m.p50 / b.p50).toFixed(2);
      }
      rowsOut.push(row);
      console.error(`  ${row.join('  ')}`);
    };
    await add(
      'sessions 24h top 100 (last activity)',
      { queryType: 'sessions', from: end - DAY, to: end, limit: 100 },
      sessionsBaseline(client, end - DAY, end),
    );
    await add(
      '  same, with_total: false',
      { queryType: 'sessions', from: end - DAY, to: end, limit: 100, with_total: false },
      sessionsBaseline(client, end - DAY, end),
    );
    await add(
      'sessions 7d top 100 (last activity)',
      { queryType: 'sessions', from: end - 7 * DAY, to: end, limit: 100 },
      sessionsBaseline(client, end - 7 * DAY, end),
    );
    await add(
      '  same, with_total: false',
      { queryType: 'sessions', from: end - 7 * DAY, to: end, limit: 100, with_total: false },
      sessionsBaseline(client, end - 7 * DAY, end),
    );
    await add('timeline 2,000-request session', {
      queryType: 'timeline',
      from: end - DAY,
      to: end,
      session_id: LONG_SESSION_KEY,
      start: info.longSessionStart,
      end: info.longSessionEnd,
    });
    await add('performance 24h 1-min interval', {
      queryType: 'performance',
      from: end - DAY,
      to: end,
      interval_ms: 60_000,
    });
    await add('patterns 24h (attacks ≥ 1, 1-min)', {
      queryType: 'patterns',
      from: end - DAY,
      to: end,
      condition: 'attacks',
      interval_ms: 60_000,
    });
    await add(
      'inventory 24h top 100 endpoints',
      { queryType: 'inventory', from: end - DAY, to: end, limit: 100 },
      inventoryBaseline(client, end - DAY, end),
    );
    await add(
      'inventory 7d top 100 endpoints',
      { queryType: 'inventory', from: end - 7 * DAY, to: end, limit: 100 },
      inventoryBaseline(client, end - 7 * DAY, end),
    );
    printTable(info, rowsOut);
  } finally {
    await client.close();
    await node?.stop();
  }
}

function printTable(info: DatasetInfo, rows: string[][]) {
  const head = ['query', 'p50 ms', 'p95 ms', 'baseline p50', 'baseline p95', 'ratio p50'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `\nDataset: ${info.requests} requests, ${info.sessions} sessions over 7 days; ${RUNS} runs each (+${WARMUP} warm-up).\n`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
