/**
 * Shared bench plumbing: a real OpenSearch node or cluster (OPENSEARCH_URL when set) and the real service as a
 * child process, so its CPU time and peak RSS can be read from /proc without the bench client's own work.
 */
import { benchOpenSearchCluster } from './opensearch';
import {
  buildServiceBundle,
  peakRssBytes,
  processCpuMicros,
  spawnService,
  type ServiceProcess,
} from '../../backend/test/service-process';

export { buildServiceBundle, peakRssBytes, processCpuMicros };

export type { ServiceProcess };

export const BENCH_TOKENS = { ingest: 'bench-ingest-token-0123456789', query: 'bench-query-token-0123456789' };

/**
 * OpenSearch for the bench: OPENSEARCH_URL (one or several nodes, comma-separated), or a fresh ephemeral local node
 * (BENCH_NODES=3: a local cluster of 3). `url` may list several nodes; the service takes the list as it is.
 */
export async function benchOpenSearch(): Promise<{ url: string; pids: number[]; stop: () => Promise<void> }> {
  return benchOpenSearchCluster();
}

/**
 * Starts the service as its own process (so /proc shows its CPU and memory alone) against `opensearchUrl`;
 * `opts.compiled` runs the bundle production runs (dist-service/main.js; buildServiceBundle first).
 */
export async function startService(
  opensearchUrl: string,
  prefix: string,
  extraEnv: Record<string, string> = {},
  opts: { compiled?: boolean } = {},
): Promise<ServiceProcess> {
  return spawnService(
    {
      OPENSEARCH_URL: opensearchUrl,
      INDEX_PREFIX: prefix,
      INGEST_TOKENS: BENCH_TOKENS.ingest,
      QUERY_TOKENS: BENCH_TOKENS.query,
      SESSION_SECRET: 'bench-session-secret-0123456789',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    opts,
  );
}

/** Runs `worker(i)` for i in [0, total) with `concurrency` workers in flight. */
export async function pool(total: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await worker(next++);
    }),
  );
}

/** Prints rows as an aligned text table. */
export function printTable(rows: (string | number)[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c])).join('  '));
}
