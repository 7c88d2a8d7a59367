/**
 * Shared bench plumbing: a real OpenSearch node (reused when OPENSEARCH_URL is set) and the real service as a
 * child process, so its CPU time and peak RSS can be read from /proc without the bench client's own work.
 */
import { startOpenSearch } from '../../opensearch-local/runner';
import { peakRssBytes, processCpuMicros, spawnService, type ServiceProcess } from '../../backend/test/service-process';

export { peakRssBytes, processCpuMicros };

export type { ServiceProcess };

export const BENCH_TOKENS = { ingest: 'bench-ingest-token-0123456789', query: 'bench-query-token-0123456789' };

/** An OpenSearch URL for the bench: OPENSEARCH_URL, or a fresh ephemeral local node. */
export async function benchOpenSearch(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.OPENSEARCH_URL) return { url: process.env.OPENSEARCH_URL, stop: async () => {} };
  const node = await startOpenSearch({
    port: 0,
    ephemeral: true,
    jvmProfile: 'server',
    log: (l) => process.stderr.write(`[opensearch] ${l}\n`),
  });
  return { url: node.url, stop: () => node.stop() };
}

/** Starts the service as its own process (so /proc shows its CPU and memory alone) against `opensearchUrl`. */
export async function startService(
  opensearchUrl: string,
  prefix: string,
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  return spawnService({
    OPENSEARCH_URL: opensearchUrl,
    INDEX_PREFIX: prefix,
    INGEST_TOKENS: BENCH_TOKENS.ingest,
    QUERY_TOKENS: BENCH_TOKENS.query,
    SESSION_SECRET: 'bench-session-secret-0123456789',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  });
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
