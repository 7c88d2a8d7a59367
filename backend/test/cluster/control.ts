/**
 * For cluster tests: kill and restart nodes of the run's cluster through the control server of the global setup
 * (control-server.ts), and read the cluster's state.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { NodeState } from './control-server';

function controlUrl(): string {
  const url = process.env.OPENSEARCH_TEST_CLUSTER_CONTROL;
  if (!url)
    throw new Error(
      'OPENSEARCH_TEST_CLUSTER_CONTROL is not set: run the cluster tests with -c backend/test/cluster/jest.config.js',
    );
  return url;
}

async function call(method: 'GET' | 'POST', path: string): Promise<any> {
  const res = await fetch(controlUrl() + path, { method, signal: AbortSignal.timeout(600_000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`control ${path}: ${JSON.stringify(body)}`);
  return body;
}

/** Every node of the cluster (index, name, url, pid, running). */
export const clusterNodes = (): Promise<NodeState[]> => call('GET', '/nodes');
/** `kill -9` of node i. */
export const killNode = (i: number): Promise<NodeState> => call('POST', `/nodes/${i}/kill`);
/** Starts node i again on its data; resolves once it has rejoined (the cluster has all its nodes). */
export const startNode = (i: number): Promise<NodeState> => call('POST', `/nodes/${i}/start`);

/** Index of the elected cluster manager (node names are node-<i>). */
export async function clusterManagerIndex(client: Client): Promise<number> {
  const res = await client.cat.clusterManager({ format: 'json' } as never);
  const name = (res.body as { node: string }[])[0].node;
  return Number(/^node-(\d+)$/.exec(name)![1]);
}

/** Waits until the cluster reports `status` with `nodes` nodes (throws after timeoutMs). */
export async function waitForCluster(
  client: Client,
  status: 'yellow' | 'green',
  nodes: number,
  timeoutMs = 120_000,
): Promise<void> {
  const res = await client.cluster.health(
    { wait_for_status: status, wait_for_nodes: String(nodes), timeout: `${Math.round(timeoutMs / 1000)}s` } as never,
    { requestTimeout: timeoutMs + 30_000 }, // longer than the wait, so the node answers before the client gives up
  );
  const body = res.body as { status: string; number_of_nodes: number; timed_out: boolean };
  if (body.timed_out) throw new Error(`cluster not ${status} with ${nodes} nodes: ${JSON.stringify(body)}`);
}
