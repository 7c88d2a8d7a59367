/**
 * The cluster tests' control server (runs in jest's parent process, next to the cluster it controls):
 *   GET  /nodes            → [{ index, name, url, pid, running }]
 *   POST /nodes/<i>/kill   → kill -9 of node i (its data stays)
 *   POST /nodes/<i>/start  → starts node i again on its data; answers once the cluster has all its nodes again
 * Loopback only; for tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClusterHandle } from '../../../opensearch-local/cluster';

declare global {
  var __OPENSEARCH_TEST_CLUSTER__:
    { cluster: ClusterHandle; control: { url: string; close(): Promise<void> } } | undefined;
}

/** What GET /nodes lists per node. */
export interface NodeState {
  index: number;
  name: string;
  url: string;
  pid: number | null;
  running: boolean;
}

/** Starts the control server for `cluster` on a free loopback port. */
export async function startControlServer(cluster: ClusterHandle): Promise<{ url: string; close(): Promise<void> }> {
  const running = new Set<number>(cluster.nodes.map((_, i) => i));
  const state = (): NodeState[] =>
    cluster.urls.map((url, index) => ({
      index,
      name: `node-${index}`,
      url,
      pid: cluster.nodes[index]?.pid ?? null,
      running: running.has(index),
    }));
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const m = /^\/nodes\/(\d+)\/(kill|start)$/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/nodes') return send(200, state());
    if (req.method !== 'POST' || !m || Number(m[1]) >= cluster.urls.length) return send(404, { error: 'not found' });
    const i = Number(m[1]);
    const action =
      m[2] === 'kill'
        ? cluster.killNode(i).then(() => running.delete(i))
        : cluster.startNode(i).then(() => running.add(i));
    action.then(
      () => send(200, state()[i]),
      (err: Error) => send(500, { error: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
