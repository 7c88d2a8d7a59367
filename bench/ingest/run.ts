/**
 * Ingest benchmark: the same documents written (a) straight to OpenSearch `_bulk` and (b) through the service's
 * `POST /v1/requests`, by the same number of concurrent clients, against the same node, in one run.
 *
 *   npm run bench:ingest                 # 1,000,000 records, batches of 1,000, 8 clients
 *   BENCH_RECORDS=200000 BENCH_CLIENTS=4 npm run bench:ingest
 *   BENCH_SPECS=3x500 npm run bench:ingest   # the service loads 3 generated OpenAPI specs of 500 operations
 *
 * Prints records/s of both paths and their ratio, the service's CPU time per record (from /proc: the service runs
 * as its own process) and its peak RSS. Targets (issue 3): ratio ≥ 0.9, ≤ 20 µs CPU/record, peak RSS ≤ 300 MB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createPipeline } from '../../backend/src/ingest/pipeline';
import { DEFAULT_RULES } from '../../backend/src/session/rules';
import { installTemplate } from '../../backend/src/storage/template';
import { indexForTime } from '../../backend/src/storage/indices';
import { benchClient, benchLayout, splitUrls } from '../lib/opensearch';
import { benchRecords } from './records';
import { benchSpecScopes, parseBenchSpecs, writeBenchSpecs } from './specs';
import { createStaticInventory } from '../../backend/src/inventory/inventory';
import {
  BENCH_TOKENS,
  benchOpenSearch,
  peakRssBytes,
  pool,
  printTable,
  processCpuMicros,
  startService,
} from '../lib/stack';

const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SEED = 7;
const SPECS = parseBenchSpecs(process.env.BENCH_SPECS);

async function main(): Promise<void> {
  const os = await benchOpenSearch();
  const client = benchClient(os.url);
  const layout = benchLayout(splitUrls(os.url).length);
  const batches = Math.ceil(N / BATCH);
  const now = Date.now();
  console.log(
    `ingest bench: ${N.toLocaleString()} records, batches of ${BATCH}, ${CLIENTS} clients, OpenSearch ${os.url}`,
  );
  // With BENCH_SPECS the service classifies against generated specs (SPECS_DIR); the raw baseline gets the same docs.
  const specsDir = SPECS ? mkdtempSync(path.join(tmpdir(), 'bench-specs-')) : undefined;
  if (SPECS && specsDir) {
    writeBenchSpecs(specsDir, SPECS.count, SPECS.ops);
    console.log(`specs: ${SPECS.count} x ${SPECS.ops} operations in ${specsDir}`);
  }

  // Bodies are built before timing so the bench client's own work is the same small cost on both paths.
  console.log('preparing request bodies…');
  const inventory = SPECS ? createStaticInventory(benchSpecScopes(SPECS.count, SPECS.ops)) : undefined;
  const pipeline = createPipeline({
    rules: DEFAULT_RULES,
    secret: 'bench-session-secret-0123456789',
    retentionDays: 7,
    inventory,
  });
  const serviceBodies: string[] = [];
  const bulkBodies: string[] = [];
  for (let b = 0; b < batches; b++) {
    const recs = benchRecords(SEED, b * BATCH, Math.min(BATCH, N - b * BATCH), now);
    serviceBodies.push(recs.map((r) => JSON.stringify(r)).join('\n'));
    const { docs } = pipeline.run(
      recs.map((value, index) => ({ index, value })),
      now,
    );
    bulkBodies.push(
      docs
        .map(
          (d) =>
            `{"create":{"_index":"${indexForTime('bench-raw', d.doc.ts)}","_id":"${d.doc.id}"}}\n${JSON.stringify(d.doc)}`,
        )
        .join('\n') + '\n',
    );
    if ((b + 1) % 200 === 0) process.stdout.write(`  ${((b + 1) * BATCH).toLocaleString()} / ${N.toLocaleString()}\r`);
  }
  console.log('');

  for (const prefix of ['bench-raw', 'bench-svc']) {
    await client.indices
      .delete({ index: `${prefix}-requests-*`, ignore_unavailable: true } as never)
      .catch(() => undefined);
    await installTemplate(client, { indexPrefix: prefix, ...layout });
  }

  // (a) raw OpenSearch _bulk, batches spread round-robin over the nodes (as the service's client does)
  console.log('baseline: raw _bulk…');
  const nodes = splitUrls(os.url);
  const rawStart = performance.now();
  await pool(batches, CLIENTS, async (b) => {
    const res = await fetch(`${nodes[b % nodes.length]}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: bulkBodies[b],
    });
    const body = (await res.json()) as { errors: boolean };
    if (!res.ok || body.errors) throw new Error(`bulk failed: ${res.status}`);
  });
  const rawSeconds = (performance.now() - rawStart) / 1000;

  // (b) through the service
  console.log('service: POST /v1/requests…');
  const svc = await startService(os.url, 'bench-svc', {
    INDEX_SHARDS: String(layout.indexShards),
    INDEX_REPLICAS: String(layout.indexReplicas),
    ...(specsDir ? { SPECS_DIR: specsDir } : {}),
  });
  const cpuBefore = processCpuMicros(svc.pid);
  const statuses = new Map<number, number>();
  const svcStart = performance.now();
  await pool(batches, CLIENTS, async (b) => {
    const res = await fetch(`${svc.url}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${BENCH_TOKENS.ingest}` },
      body: serviceBodies[b],
    });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  });
  const svcSeconds = (performance.now() - svcStart) / 1000;
  const cpuMicros = processCpuMicros(svc.pid) - cpuBefore;
  const rss = peakRssBytes(svc.pid);
  await svc.stop();
  if (specsDir) rmSync(specsDir, { recursive: true, force: true });

  const count = async (prefix: string) => {
    await client.indices.refresh({ index: `${prefix}-requests-*` });
    return ((await client.count({ index: `${prefix}-requests-*` })).body as { count: number }).count;
  };
  const [rawCount, svcCount] = [await count('bench-raw'), await count('bench-svc')];
  const rawRate = N / rawSeconds;
  const svcRate = N / svcSeconds;
  console.log('');
  printTable([
    ['path', 'records', 'stored', 'seconds', 'records/s'],
    ['raw OpenSearch _bulk', N, rawCount, rawSeconds.toFixed(1), Math.round(rawRate)],
    ['service POST /v1/requests', N, svcCount, svcSeconds.toFixed(1), Math.round(svcRate)],
  ]);
  console.log('');
  console.log(`ratio service/raw:        ${(svcRate / rawRate).toFixed(2)}   (target ≥ 0.90)`);
  console.log(`service CPU per record:   ${(cpuMicros / N).toFixed(1)} µs   (target ≤ 20 µs)`);
  console.log(`service peak RSS:         ${(rss / 1024 / 1024).toFixed(0)} MB   (target ≤ 300 MB)`);
  console.log(`service responses:        ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}`);
  console.log(`specs loaded:             ${SPECS ? `${SPECS.count} x ${SPECS.ops} operations` : 'none'}`);
  for (const prefix of ['bench-raw', 'bench-svc'])
    await client.indices.delete({ index: `${prefix}-requests-*` }).catch(() => undefined);
  await client.close();
  await os.stop();
}

main().catch((err) => {
  console.error(`ingest bench failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
