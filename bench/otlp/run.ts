/**
 * OTLP ingest benchmark: the same requests posted (a) as `/v1/requests` NDJSON and (b) as OTLP/HTTP protobuf
 * exports of HTTP server spans to `/otlp/v1/traces`, by the same number of concurrent clients, each to a fresh service
 * process (its CPU read from /proc) on the same OpenSearch node, in one run. Then the in-process decode cost per span
 * (`decode.ts`): the hand-written decoder next to protobufjs, OTLP/JSON and NDJSON parsing.
 *
 *   npm run bench:otlp                                   # 200,000 requests, 1,000 per body, 4 clients
 *   BENCH_RECORDS=1000000 BENCH_CLIENTS=8 npm run bench:otlp
 *   OPENSEARCH_URL=http://127.0.0.1:9200 npm run bench:otlp   # an existing node instead of a fresh local one
 *   BENCH_DECODE_ONLY=1 npm run bench:otlp                      # only the in-process decoder table (no node)
 *
 * Prints records/s, stored counts, the service's CPU per record/span and peak RSS for both paths, and µs per span of
 * each decoder.
 */
import { Client } from '@opensearch-project/opensearch';
import { installTemplate } from '../../backend/src/storage/template';
import {
  BENCH_TOKENS,
  benchOpenSearch,
  peakRssBytes,
  pool,
  printTable,
  processCpuMicros,
  startService,
} from '../lib/stack';
import { ndjsonBody, otlpBody, requestsOf } from './exports';
import { measureDecode } from './decode';

const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface PathResult {
  name: string;
  seconds: number;
  stored: number;
  cpuMicros: number;
  rssBytes: number;
  statuses: Map<number, number>;
}

/** Posts every body to one fresh service process; returns wall time, CPU and what got stored. */
async function runPath(
  osUrl: string,
  client: Client,
  name: string,
  prefix: string,
  path: string,
  contentType: string,
  bodies: (string | Buffer)[],
): Promise<PathResult> {
  await client.indices
    .delete({ index: `${prefix}-requests-*`, ignore_unavailable: true } as never)
    .catch(() => undefined);
  await installTemplate(client, { indexPrefix: prefix, indexReplicas: 0, indexShards: 1 });
  const svc = await startService(osUrl, prefix);
  const statuses = new Map<number, number>();
  const cpuBefore = processCpuMicros(svc.pid);
  const start = performance.now();
  await pool(bodies.length, CLIENTS, async (b) => {
    const res = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${BENCH_TOKENS.ingest}` },
      body: bodies[b],
    });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  });
  const seconds = (performance.now() - start) / 1000;
  const cpuMicros = processCpuMicros(svc.pid) - cpuBefore;
  const rssBytes = peakRssBytes(svc.pid);
  await svc.stop();
  await client.indices.refresh({ index: `${prefix}-requests-*` });
  const stored = ((await client.count({ index: `${prefix}-requests-*` })).body as { count: number }).count;
  await client.indices.delete({ index: `${prefix}-requests-*` }).catch(() => undefined);
  return { name, seconds, stored, cpuMicros, rssBytes, statuses };
}

async function main(): Promise<void> {
  const decodeOnly = process.env.BENCH_DECODE_ONLY === '1';
  const now = Date.now();
  console.log(`OTLP bench: ${N.toLocaleString()} requests, ${BATCH} per body, ${CLIENTS} clients`);
  console.log('preparing bodies (NDJSON and OTLP protobuf of the same requests)…');
  const ndjson: string[] = [];
  const otlp: Buffer[] = [];
  for (let start = 0; start < N; start += BATCH) {
    const recs = requestsOf(start, Math.min(BATCH, N - start), now);
    ndjson.push(ndjsonBody(recs));
    otlp.push(otlpBody(recs));
  }
  const mb = (xs: (string | Buffer)[]) => (xs.reduce((s, x) => s + Buffer.byteLength(x), 0) / 1e6).toFixed(1);
  console.log(`bodies: NDJSON ${mb(ndjson)} MB, OTLP protobuf ${mb(otlp)} MB`);

  if (!decodeOnly) await runServices(ndjson, otlp);

  console.log('');
  const sample = Math.min(otlp.length, 50);
  const spans = Math.min(N, sample * BATCH);
  console.log(`decode cost in-process (median of ${ROUNDS} rounds over ${spans.toLocaleString()} spans):`);
  const decodeRows = measureDecode(
    { proto: otlp.slice(0, sample), ndjson: ndjson.slice(0, sample).map((s) => Buffer.from(s)), spans },
    ROUNDS,
  );
  printTable([['decoder', 'CPU µs/span'], ...decodeRows.map((r) => [r.name, r.usPerSpan.toFixed(2)])]);
}

/** The two paths, one pass each (NDJSON first), each through a fresh service process into its own indices. */
async function runServices(ndjson: string[], otlp: Buffer[]): Promise<void> {
  const os = await benchOpenSearch();
  const client = new Client({ node: os.url });
  console.log(`OpenSearch ${os.url}`);
  console.log('service: POST /v1/requests (NDJSON)…');
  const nd = 'application/x-ndjson';
  const a = await runPath(os.url, client, 'POST /v1/requests NDJSON', 'bench-otlp-nd', '/v1/requests', nd, ndjson);
  console.log('service: POST /otlp/v1/traces (protobuf)…');
  const pb = 'application/x-protobuf';
  const b = await runPath(
    os.url,
    client,
    'POST /otlp/v1/traces protobuf',
    'bench-otlp-pb',
    '/otlp/v1/traces',
    pb,
    otlp,
  );
  await client.close();
  await os.stop();

  console.log('');
  printTable([
    ['path', 'requests', 'stored', 'seconds', 'records/s', 'service CPU µs/record', 'peak RSS MB', 'responses'],
    ...[a, b].map((r) => [
      r.name,
      N,
      r.stored,
      r.seconds.toFixed(1),
      Math.round(N / r.seconds),
      (r.cpuMicros / N).toFixed(1),
      (r.rssBytes / 1024 / 1024).toFixed(0),
      [...r.statuses].map(([s, c]) => `${s}×${c}`).join(' '),
    ]),
  ]);
  console.log('');
  console.log(`OTLP/NDJSON records/s:      ${(a.seconds / b.seconds).toFixed(2)}`);
  console.log(`OTLP/NDJSON CPU per record: ${(b.cpuMicros / a.cpuMicros).toFixed(2)}`);
}

main().catch((err) => {
  console.error(`OTLP bench failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
