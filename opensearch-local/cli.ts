/**
 * `npm run opensearch`: a local OpenSearch in the foreground until Ctrl-C / SIGTERM, one node or a cluster.
 * Env: OPENSEARCH_NODES (default 1), OPENSEARCH_PORT (default 9200; node i serves port + i, transport port + 100 + i),
 * OPENSEARCH_VERSION (2 = 2.19.6, default; 3 = 3.x), OPENSEARCH_DATA_DIR (default .data/opensearch[-3][-cluster]).
 * With several nodes, a node that dies leaves the others running; running the same command again starts the nodes
 * that are missing (on their data), so they rejoin.
 */
import * as path from 'node:path';
import { defaultDataDir, startCluster } from './cluster';
import { probeCluster } from './process';
import { isPortOpen, startOpenSearch, type OpenSearchHandle } from './runner';
import { resolveDistribution, type Distribution } from './versions';

const CLUSTER_NAME = 'api-sessions-local';

function intEnv(name: string, fallback: string, min: number, max: number): number | string {
  const text = process.env[name]?.trim() || fallback;
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min && n <= max ? n : `${name} must be an integer ${min}-${max}, got "${text}"`;
}

/** Which nodes already run (OpenSearch of our cluster on their port); an error text when a port is taken otherwise. */
async function survey(port: number, nodes: number): Promise<number[] | string> {
  const running: number[] = [];
  for (let i = 0; i < nodes; i++) {
    if (!(await isPortOpen(port + i))) continue;
    const found = await probeCluster(`http://127.0.0.1:${port + i}`);
    if (!found)
      return `Port ${port + i} on 127.0.0.1 is already in use (not by OpenSearch). Set OPENSEARCH_PORT to another port.`;
    if (nodes > 1 && found.clusterName !== CLUSTER_NAME)
      return `Port ${port + i} serves OpenSearch ${found.version} of cluster "${found.clusterName}", not ours. Set OPENSEARCH_PORT to another port.`;
    running.push(i);
  }
  return running;
}

async function main(): Promise<number> {
  const port = intEnv('OPENSEARCH_PORT', '9200', 1, 65535);
  const nodes = intEnv('OPENSEARCH_NODES', '1', 1, 20);
  for (const v of [port, nodes]) if (typeof v === 'string') return (console.error(v), 2);
  const p = port as number;
  const n = nodes as number;
  let dist: Distribution;
  try {
    dist = resolveDistribution();
  } catch (err) {
    console.error(`OPENSEARCH_VERSION: ${(err as Error).message}`);
    return 2;
  }
  const dataDir = process.env.OPENSEARCH_DATA_DIR
    ? path.resolve(process.env.OPENSEARCH_DATA_DIR)
    : defaultDataDir(dist.major, n);

  const running = await survey(p, n);
  if (typeof running === 'string') return (console.error(running), 1);
  if (running.length === n) {
    const url = `http://127.0.0.1:${p}`;
    console.error(
      n === 1
        ? `OpenSearch ${(await probeCluster(url))?.version} is already running at ${url}; not starting another one.`
        : `All ${n} nodes already answer on ports ${p}-${p + n - 1}; not starting another cluster.`,
    );
    return 1;
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !running.includes(i));
  if (running.length)
    console.error(
      `node ${running.map((i) => `node-${i}`).join(', ')} already running; starting ${missing.map((i) => `node-${i}`).join(', ')}`,
    );

  const log = (line: string) => console.error(`[opensearch] ${line}`);
  let handles: OpenSearchHandle[] = [];
  let stopAll: () => Promise<void> = async () => {};
  let stopRequested = false;
  let stopped: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopped) return;
    stopRequested = true;
    console.error(`\n${signal}: stopping OpenSearch…`);
    stopped = stopAll().then(() => {
      console.error('OpenSearch stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    if (n === 1) {
      const node = await startOpenSearch({ port: p, dataDir, log, version: dist.version });
      handles = [node];
      stopAll = () => node.stop();
    } else {
      const cluster = await startCluster({
        nodes: n,
        port: p,
        dataDir,
        log,
        version: dist.version,
        clusterName: CLUSTER_NAME,
        only: missing,
      });
      handles = missing.map((i) => cluster.nodes[i]!);
      stopAll = () => cluster.stop();
    }
  } catch (err) {
    if (stopRequested) return 0;
    console.error((err as Error).message);
    return 1;
  }
  if (stopRequested) {
    await stopAll();
    return 0;
  }

  for (const h of handles) console.log(`OpenSearch ${h.version} ${n > 1 ? `${h.name} ` : ''}ready at ${h.url}`);
  console.log(
    n > 1
      ? `cluster of ${n} nodes (yellow); OPENSEARCH_URL=${Array.from({ length: n }, (_, i) => `http://127.0.0.1:${p + i}`).join(',')}`
      : '(cluster yellow)',
  );
  console.log(`data: ${dataDir}   logs: <data>/${n > 1 ? 'node-<i>/' : ''}logs/opensearch-local.log   stop: Ctrl-C`);

  // A node that dies leaves the others running; when none of ours is left, exit 1.
  let alive = handles.length;
  await new Promise<void>((resolve) => {
    for (const h of handles)
      void h.exited.then(() => {
        // (the runner has logged the exit and its log file)
        alive--;
        if (alive === 0) return resolve();
        if (!stopRequested)
          console.error(
            `the other nodes keep running; OPENSEARCH_NODES=${n} npm run opensearch (same OPENSEARCH_PORT) in another shell starts ${h.name} again on its data`,
          );
      });
  });
  if (stopRequested) {
    await stopped;
    return 0;
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
