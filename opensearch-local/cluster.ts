/**
 * A local OpenSearch cluster of N real nodes on loopback: each node its own java process with its own home
 * (`<dataDir>/node-<i>`), found by the others through `discovery.seed_hosts` (their transport ports), the first
 * cluster manager elected among all of them (`cluster.initial_cluster_manager_nodes`). A node that dies leaves the
 * others running; `startNode(i)` starts it again on its data and waits until it has rejoined.
 *
 * Ports: node i serves HTTP on `port + i` and transport on `transportPort + i` (default `port + 100`, so 9200… and
 * 9300…); with `port: 0` every port is a free one from the kernel.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  launchNode,
  reportWarnings,
  timeoutOf,
  type NodeOptions,
  type OpenSearchHandle,
  type StartOptions,
} from './runner';
import { isPortOpen, waitForHealth } from './process';
import { installDistribution, resolveDistribution } from './versions';

/** Options of a cluster (the StartOptions apply to every node). */
export interface ClusterOptions extends StartOptions {
  /** Number of nodes (≥ 1). */
  nodes: number;
  /** First transport port (node i: transportPort + i). Default port + 100; ignored when port is 0. */
  transportPort?: number;
  /** cluster.name. Default `api-sessions-local`, or a random `api-sessions-test-…` for an ephemeral cluster. */
  clusterName?: string;
  /** Start only these nodes (the others already run, e.g. from another `npm run opensearch`). Default: all. */
  only?: number[];
}

/** A running cluster (the nodes this process started). */
export interface ClusterHandle {
  clusterName: string;
  version: string;
  /** Root folder; node i lives in `<dataDir>/node-<i>`. */
  dataDir: string;
  /** HTTP URL of every node, by index (also of nodes this process did not start). */
  urls: string[];
  /** Handle of node i when this process runs it (undefined after a kill until startNode). */
  nodes: (OpenSearchHandle | undefined)[];
  /** Starts node i (again) on its data and resolves once the cluster has all its nodes again. */
  startNode(i: number): Promise<OpenSearchHandle>;
  /** `kill -9` of node i; its data stays. */
  killNode(i: number): Promise<void>;
  /** Stops every node this process runs (SIGTERM); deletes the root folder of an ephemeral cluster. Idempotent. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');

/** The CLI's data folder for a version and node count: .data/opensearch[-3][-cluster]. */
export function defaultDataDir(major: 2 | 3, nodes: number): string {
  return path.join(ROOT, '.data', `opensearch${major === 3 ? '-3' : ''}${nodes > 1 ? '-cluster' : ''}`);
}

/** A free TCP port on 127.0.0.1 (from the kernel). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The HTTP and transport port of every node. */
async function planPorts(opts: ClusterOptions): Promise<{ http: number[]; transport: number[] }> {
  const n = opts.nodes;
  const port = opts.port ?? 9200;
  if (port === 0) {
    const ports: number[] = [];
    while (ports.length < 2 * n) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    return { http: ports.slice(0, n), transport: ports.slice(n) };
  }
  const transport = opts.transportPort ?? port + 100;
  const http = Array.from({ length: n }, (_, i) => port + i);
  const tp = Array.from({ length: n }, (_, i) => transport + i);
  if (Math.max(...http, ...tp) > 65535) throw new Error(`ports ${port}… and ${transport}… run past 65535`);
  const overlap = http.filter((p) => tp.includes(p));
  if (overlap.length) throw new Error(`HTTP and transport ports overlap (${overlap.join(', ')})`);
  return { http, transport: tp };
}

/** Starts the cluster (all nodes at once) and waits until it is yellow with all N nodes. */
export async function startCluster(opts: ClusterOptions): Promise<ClusterHandle> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[opensearch] ${line}\n`));
  const n = opts.nodes;
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`nodes must be 1-20, got ${n}`);
  const dist = resolveDistribution(opts.version);
  await installDistribution(dist, log);
  const ephemeral = opts.ephemeral ?? false;
  const dataDir = path.resolve(
    opts.dataDir ??
      (ephemeral ? fs.mkdtempSync(path.join(os.tmpdir(), 'opensearch-cluster-')) : defaultDataDir(dist.major, n)),
  );
  const clusterName =
    opts.clusterName ?? (ephemeral ? `api-sessions-test-${randomBytes(4).toString('hex')}` : 'api-sessions-local');
  const ports = await planPorts(opts);
  const names = Array.from({ length: n }, (_, i) => `node-${i}`);
  const seedHosts = ports.transport.map((p) => `127.0.0.1:${p}`);
  const only = opts.only ?? names.map((_, i) => i);
  const urls = ports.http.map((p) => `http://127.0.0.1:${p}`);

  for (const i of only) {
    for (const p of [ports.http[i], ports.transport[i]]) {
      if (opts.port !== 0 && (await isPortOpen(p))) {
        throw Object.assign(new Error(`port ${p} on 127.0.0.1 (node-${i}) is already in use`), { code: 'EADDRINUSE' });
      }
    }
  }

  const spec = (i: number): NodeOptions => ({
    ...opts,
    log,
    version: dist.version,
    ephemeral,
    dataDir: path.join(dataDir, names[i]),
    port: ports.http[i],
    transportPort: ports.transport[i],
    nodeName: names[i],
    clusterName,
    seedHosts: n > 1 ? seedHosts : undefined,
    initialClusterManagers: n > 1 ? names : undefined,
  });
  const nodes: (OpenSearchHandle | undefined)[] = names.map(() => undefined);

  const t0 = Date.now();
  const deadline = t0 + timeoutOf(opts);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(nodes.map((node) => node?.stop()));
      if (ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const started = await Promise.allSettled(only.map((i) => launchNode(spec(i))));
  started.forEach((r, k) => {
    if (r.status === 'fulfilled') nodes[only[k]] = r.value;
  });
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  const first = nodes[only[0]]!;
  try {
    await waitForHealth(first.url, {
      status: 'yellow',
      nodes: n,
      deadline,
      exited: Promise.race(only.map((i) => nodes[i]!.exited)),
    });
  } catch (err) {
    const logs = only.map((i) => nodes[i]!.logFile).join(', ');
    await stop();
    throw new Error(
      `OpenSearch ${dist.version} cluster of ${n} did not form: ${(err as Error).message} (logs: ${logs})`,
    );
  }
  for (const i of only) reportWarnings(nodes[i]!, log);
  log(
    `OpenSearch ${dist.version} cluster "${clusterName}" of ${n} node${n > 1 ? 's' : ''} up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${only.map((i) => `${names[i]} ${urls[i]} (pid ${nodes[i]!.pid})`).join(', ')}`,
  );

  return {
    clusterName,
    version: dist.version,
    dataDir,
    urls,
    nodes,
    async startNode(i) {
      if (nodes[i] && !(await isExited(nodes[i]!))) throw new Error(`${names[i]} is running`);
      const t = Date.now();
      const node = await launchNode(spec(i));
      nodes[i] = node;
      try {
        await waitForHealth(node.url, {
          status: 'yellow',
          nodes: n,
          deadline: t + timeoutOf(opts),
          exited: node.exited,
        });
      } catch (err) {
        await node.stop();
        throw new Error(`${names[i]} did not rejoin: ${(err as Error).message} (log: ${node.logFile})`);
      }
      log(`${names[i]} rejoined at ${node.url} in ${((Date.now() - t) / 1000).toFixed(1)} s (pid ${node.pid})`);
      return node;
    },
    async killNode(i) {
      await nodes[i]?.kill();
    },
    stop,
  };
}

async function isExited(node: OpenSearchHandle): Promise<boolean> {
  return Promise.race([node.exited.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}
