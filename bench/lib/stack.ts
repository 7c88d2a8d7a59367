/**
 * Shared bench plumbing: a real OpenSearch node (reused when OPENSEARCH_URL is set) and the real service as a
 * child process, so its CPU time and peak RSS can be read from /proc without the bench client's own work.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startOpenSearch } from '../../opensearch-local/runner';
import { spawnService, type ServiceProcess } from '../../backend/test/service-process';

export type { ServiceProcess };

export const ROOT = path.resolve(__dirname, '../..');
export const BENCH_TOKENS = { ingest: 'bench-ingest-token-0123456789', query: 'bench-query-token-0123456789' };

/** An OpenSearch URL for the bench: OPENSEARCH_URL, or a fresh ephemeral local node. */
export async function benchOpenSearch(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.OPENSEARCH_URL) return { url: process.env.OPENSEARCH_URL, stop: async () => {} };
  const node = await startOpenSearch({ port: 0, ephemeral: true, jvmProfile: 'server', log: (l) => process.stderr.write(`[opensearch] ${l}\n`) });
  return { url: node.url, stop: () => node.stop() };
}

/** Starts the service as its own process (so /proc shows its CPU and memory alone) against `opensearchUrl`. */
export async function startService(opensearchUrl: string, prefix: string, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
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

/** CPU time (user + system, in µs) a process has used, from /proc/<pid>/stat. */
export function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

/** Peak resident set size of a process (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
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

/** p-th percentile (0–100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Prints rows as an aligned text table. */
export function printTable(rows: (string | number)[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c])).join('  '));
}
