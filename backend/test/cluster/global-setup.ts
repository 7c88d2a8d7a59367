/**
 * Jest global setup of the cluster tests (jest.config.js here): one ephemeral local cluster of 3 nodes for the whole
 * run (1 GB heap each, as the single test node), indices with 3 shards and 1 replica. Exports to the workers:
 * - OPENSEARCH_TEST_URL: the three node URLs, comma-separated (testClient() and the test services use all of them);
 * - OPENSEARCH_TEST_SHARDS=3, OPENSEARCH_TEST_REPLICAS=1 (testIndexLayout());
 * - OPENSEARCH_TEST_CLUSTER_CONTROL: the URL of a small control server in this (the parent) process that kills and
 *   restarts nodes for the node-loss tests (control.ts), so the cluster stays owned here and the teardown stops
 *   every node, restarted ones included.
 * OPENSEARCH_VERSION picks the version as everywhere (default 2.x); OPENSEARCH_TEST_NODES the size (default 3).
 */
import { startCluster } from '../../../opensearch-local/cluster';
import { startControlServer } from './control-server';

export default async function globalSetup(): Promise<void> {
  const nodes = Number(process.env.OPENSEARCH_TEST_NODES || 3);
  process.stderr.write('\n');
  const cluster = await startCluster({
    nodes,
    port: 0,
    ephemeral: true,
    log: (line) => process.stderr.write(`[opensearch] ${line}\n`),
  });
  const control = await startControlServer(cluster);
  globalThis.__OPENSEARCH_TEST_CLUSTER__ = { cluster, control };
  process.env.OPENSEARCH_TEST_URL = cluster.urls.join(',');
  process.env.OPENSEARCH_TEST_SHARDS = String(nodes);
  process.env.OPENSEARCH_TEST_REPLICAS = '1';
  process.env.OPENSEARCH_TEST_CLUSTER_CONTROL = control.url;
}
