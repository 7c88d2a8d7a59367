/**
 * Micro-benchmark of the ingest pipeline's CPU per record, in-process (stable on a loaded machine, unlike the
 * service benchmark): `createPipeline().run` over the bench records, in batches of 1,000, with
 *   (a) no inventory work at all (classification and flows stubbed out: the pipeline as before issue 8),
 *   (b) no specs (api_status `unknown`, built-in flows),
 *   (c) BENCH_SPECS specs loaded (default 3 specs × 500 operations; the records hit documented and shadow paths).
 * The variants take turns batch by batch; the median over rounds of the CPU time (user + system) per record is printed.
 *
 *   npx tsx bench/ingest/pipeline-cpu.ts                 # 100,000 records, 3x500, 7 rounds
 *   BENCH_RECORDS=200000 BENCH_SPECS=3x500 BENCH_ROUNDS=9 npx tsx bench/ingest/pipeline-cpu.ts
 */
import { createPipeline, type Pipeline } from '../../backend/src/ingest/pipeline';
import { DEFAULT_RULES } from '../../backend/src/session/rules';
import { createStaticInventory, type Inventory } from '../../backend/src/inventory/inventory';
import { UNKNOWN } from '../../backend/src/inventory/matcher';
import type { RawItem } from '../../backend/src/ingest/records';
import { benchRecords } from './records';
import { benchSpecScopes, parseBenchSpecs } from './specs';
import { printTable } from '../lib/stack';

const N = Number(process.env.BENCH_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SPECS = parseBenchSpecs(process.env.BENCH_SPECS ?? '3x500') ?? { count: 3, ops: 500 };
const BATCH = 1000;

const NO_WORK: Inventory = { classify: () => UNKNOWN, flowsFor: () => [] };

function main(): void {
  const now = Date.now();
  const batches: RawItem[][] = [];
  for (let start = 0; start < N; start += BATCH) {
    batches.push(benchRecords(7, start, Math.min(BATCH, N - start), now).map((value, index) => ({ index, value })));
  }
  const make = (inventory: Inventory) =>
    createPipeline({ rules: DEFAULT_RULES, secret: 'bench-session-secret-0123456789', retentionDays: 7, inventory });
  const t0 = performance.now();
  const withSpecs = createStaticInventory(benchSpecScopes(SPECS.count, SPECS.ops));
  const compileMs = performance.now() - t0;
  const variants: [string, Pipeline][] = [
    ['(a) no inventory work (before issue 8)', make(NO_WORK)],
    ['(b) no specs, built-in flows', make(createStaticInventory())],
    [`(c) ${SPECS.count} specs x ${SPECS.ops} operations`, make(withSpecs)],
  ];

  const statuses = new Map<string, number>();
  for (const b of batches)
    for (const d of variants[2][1].run(b, now).docs)
      statuses.set(d.doc.api_status ?? '-', (statuses.get(d.doc.api_status ?? '-') ?? 0) + 1);

  // Variants take turns on every batch (in rotating order), so load from other processes hits them alike.
  const samples = variants.map(() => [] as number[]);
  for (let round = -1; round < ROUNDS; round++) {
    const used = variants.map(() => 0);
    batches.forEach((b, i) => {
      for (let k = 0; k < variants.length; k++) {
        const v = (i + k) % variants.length;
        const cpu = process.cpuUsage();
        variants[v][1].run(b, now);
        const d = process.cpuUsage(cpu);
        used[v] += d.user + d.system;
      }
    });
    if (round >= 0) used.forEach((u, v) => samples[v].push(u / N)); // round -1 warms up the JIT
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(samples[1]);
  console.log(
    `pipeline CPU: ${N.toLocaleString()} records, batches of ${BATCH}, ${ROUNDS} rounds (median); specs compiled in ${compileMs.toFixed(0)} ms`,
  );
  console.log(
    `with specs, the records were: ${[...statuses].map(([s, c]) => `${s} ${((100 * c) / N).toFixed(0)} %`).join(', ')}`,
  );
  printTable([
    ['variant', 'µs/record', 'vs (b)', 'min', 'max'],
    ...variants.map(([name], v) => [
      name,
      median(samples[v]).toFixed(2),
      `${(((median(samples[v]) - base) / base) * 100).toFixed(1)} %`,
      Math.min(...samples[v]).toFixed(2),
      Math.max(...samples[v]).toFixed(2),
    ]),
  ]);
}

main();
