/**
 * OpenSearch for the benchmarks: OPENSEARCH_URL (one node URL or several, comma-separated) when set, else a local
 * node or cluster. BENCH_NODES (default 1) nodes of OPENSEARCH_VERSION (default 2.x); a persistent data folder per
 * version and size (so a generated dataset is reused), or an ephemeral one.
 */
import * as path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { startCluster } from '../../opensearch-local/cluster';
import { startOpenSearch } from '../../opensearch-local/runner';
import { resolveDistribution } from '../../opensearch-local/versions';

const ROOT = path.resolve(__dirname, '../..');

/** Node URLs from a comma-separated list. */
export function splitUrls(list: string): string[] {
  return list
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/** A bench client over every node of `urls` (comma-separated), with a long timeout (bulk loads, 7-day queries). */
export function benchClient(urls: string): Client {
  const nodes = splitUrls(urls);
  return new Client({ nodes, requestTimeout: 120_000, maxRetries: nodes.length - 1 });
}

/** Number of local nodes a bench starts: BENCH_NODES, default 1. */
export function benchNodes(): number {
  const n = Number(process.env.BENCH_NODES || 1);
  if (!Number.isInteger(n) || n < 1 || n > 9)
    throw new Error(`BENCH_NODES must be 1-9, got ${process.env.BENCH_NODES}`);
  return n;
}

/** `.data/<name>[-3][-<n>nodes]`: the persistent data folder of a bench for this version and size. */
export function benchDataDir(name: string, nodes = benchNodes()): string {
  const major = resolveDistribution().major;
  return path.join(ROOT, '.data', `${name}${major === 3 ? '-3' : ''}${nodes > 1 ? `-${nodes}nodes` : ''}`);
}

/** What a bench runs against: comma-separated URLs and how to stop what it started. */
export interface BenchOpenSearch {
  url: string;
  nodes: number;
  /** Label for the printed table, e.g. "OpenSearch 2.19.6, 3 local nodes" or "OPENSEARCH_URL (2 nodes)". */
  label: string;
  /** Process ids of the nodes this bench started (none for OPENSEARCH_URL). */
  pids: number[];
  stop(): Promise<void>;
}

/**
 * OPENSEARCH_URL when set; else BENCH_NODES local nodes (server JVM profile), in `dataDir` (kept) or ephemeral.
 */
export async function benchOpenSearchCluster(opts: { dataDir?: string } = {}): Promise<BenchOpenSearch> {
  if (process.env.OPENSEARCH_URL) {
    const n = splitUrls(process.env.OPENSEARCH_URL).length;
    return {
      url: process.env.OPENSEARCH_URL,
      nodes: n,
      label: `OPENSEARCH_URL (${n} node${n > 1 ? 's' : ''})`,
      pids: [],
      stop: async () => {},
    };
  }
  const nodes = benchNodes();
  const log = (l: string) => process.stderr.write(`[opensearch] ${l}\n`);
  const common = { port: 0, jvmProfile: 'server' as const, log, ephemeral: !opts.dataDir, dataDir: opts.dataDir };
  if (nodes === 1) {
    const node = await startOpenSearch(common);
    return {
      url: node.url,
      nodes,
      label: `OpenSearch ${node.version}, 1 local node`,
      pids: [node.pid],
      stop: () => node.stop(),
    };
  }
  const cluster = await startCluster({ ...common, nodes });
  return {
    url: cluster.urls.join(','),
    nodes,
    label: `OpenSearch ${cluster.version}, ${nodes} local nodes`,
    pids: cluster.nodes.flatMap((n) => (n ? [n.pid] : [])),
    stop: () => cluster.stop(),
  };
}

/**
 * Index layout of the bench indices: BENCH_SHARDS (default: one per node of `nodes`) and BENCH_REPLICAS (default 0,
 * so 1 node and N nodes index the same amount of data).
 */
export function benchLayout(nodes: number): { indexShards: number; indexReplicas: number } {
  const shards = Number(process.env.BENCH_SHARDS || nodes);
  const replicas = Number(process.env.BENCH_REPLICAS || 0);
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(replicas) || replicas < 0)
    throw new Error('BENCH_SHARDS must be ≥ 1 and BENCH_REPLICAS ≥ 0');
  return { indexShards: shards, indexReplicas: replicas };
}
