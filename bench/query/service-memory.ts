/**
 * The service's memory while it answers the heaviest queries: the real service as its own process (bench/lib/stack)
 * over the benchmark's dataset, one query at a time over HTTP; before each, the process's peak RSS is reset
 * (/proc/<pid>/clear_refs), after it the peak (VmHWM) is read. RETENTION_DAYS=365 keeps the dataset in range
 * whenever it was generated; the time limit is raised so slow machines still measure memory, not the timeout.
 */
import { peakRssBytes, resetPeakRss, rssBytes } from '../../backend/test/service-process';
import { BENCH_TOKENS, startService } from '../lib/stack';
import { fmt, printMarkdown } from './measure';

/** One query of the memory table. */
export interface MemoryQuery {
  name: string;
  body: Record<string, unknown>;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(0);

/** Runs each query once through a fresh service process and prints status, time, RSS before and peak growth. */
export async function measureServiceMemory(opensearchUrl: string, prefix: string, queries: MemoryQuery[]) {
  const svc = await startService(opensearchUrl, prefix, { RETENTION_DAYS: '365', QUERY_TIMEOUT_MS: '600000' });
  const rows: string[][] = [];
  let overallPeak = 0;
  try {
    const ask = (body: unknown) =>
      fetch(`${svc.url}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKENS.query}` },
        body: JSON.stringify(body),
      });
    await (await ask({ queryType: 'sessions', limit: 5 })).text(); // loads the code paths
    for (const q of queries) {
      const before = rssBytes(svc.pid);
      const reset = resetPeakRss(svc.pid);
      const t = Date.now();
      const res = await ask(q.body);
      const text = await res.text();
      const ms = Date.now() - t;
      const peak = peakRssBytes(svc.pid);
      overallPeak = Math.max(overallPeak, peak);
      const code = res.status === 200 ? '' : ` ${JSON.parse(text).error?.code ?? ''}`;
      rows.push([
        q.name,
        `${res.status}${code}`,
        fmt(ms),
        mb(before),
        mb(peak),
        `${mb(peak - before)}${reset ? '' : '*'}`,
      ]);
      console.error(`  ${rows[rows.length - 1].join('  ')}`);
    }
  } finally {
    await svc.stop();
  }
  console.log(`Service process (one query at a time over HTTP): peak RSS ${mb(overallPeak)} MB.\n`);
  printMarkdown(['query', 'status', 'ms', 'RSS before MB', 'peak RSS MB', 'growth MB'], rows);
}
