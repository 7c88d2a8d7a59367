/** Timing and table helpers of the query benchmark. */

/** Warm-up runs of each function before the measured rounds. */
export const WARMUP = 3;

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))];
}

/** p50/p95 in ms of one function over the measured rounds. */
export interface Timing {
  p50: number;
  p95: number;
}

/**
 * Times several functions side by side: WARMUP calls of each (negative i), then `runs` rounds in which each is
 * called once in turn (`fn(i)`), so a change of the machine's load hits all of them alike. Returns each one's
 * p50/p95 and, against the first, the median of the per-round ratios (robust to load drifting between rounds).
 */
export async function measureSideBySide(
  runs: number,
  fns: ((i: number) => Promise<unknown>)[],
): Promise<{ timings: Timing[]; ratios: number[] }> {
  for (let w = 0; w < WARMUP; w++) for (const fn of fns) await fn(-1 - w);
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const t = process.hrtime.bigint();
      await fns[f](i);
      times[f].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  const ratios = times.map((ts) => {
    const r = ts.map((t, i) => t / times[0][i]).sort((a, b) => a - b);
    return percentile(r, 50);
  });
  const timings = times.map((ts) => {
    const sorted = [...ts].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  });
  return { timings, ratios };
}

/** Prints a Markdown table (header + rows). */
export function printMarkdown(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log('');
}

/** Milliseconds with one decimal. */
export const fmt = (n: number) => n.toFixed(1);
