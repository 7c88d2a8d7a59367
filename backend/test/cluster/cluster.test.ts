/**
 * The local cluster itself (opensearch-local/cluster.ts, started by this project's global setup): three real nodes,
 * each its own process with its own data folder, forming one cluster; `kill -9` of one leaves the others serving
 * every document; the killed node restarts on its own data (same node id) and rejoins.
 */
import type { Client } from '@opensearch-project/opensearch';
import { deletePrefix, testClient, testOpenSearchUrls, uniquePrefix } from '../opensearch';
import { clusterManagerIndex, clusterNodes, killNode, startNode, waitForCluster } from './control';

jest.setTimeout(600_000);

let client: Client;
const prefix = uniquePrefix('cluster');
const index = `${prefix}-docs`;

beforeAll(() => {
  client = testClient();
});
afterAll(async () => {
  await deletePrefix(client, prefix);
  await client.close();
});

async function get(url: string, path: string): Promise<any> {
  const res = await fetch(url + path, { signal: AbortSignal.timeout(30_000) });
  return res.json();
}

async function write(ids: string[]): Promise<void> {
  const body = ids.flatMap((id) => [{ create: { _index: index, _id: id } }, { n: id }]);
  const res = await client.bulk({ body, refresh: true } as never);
  expect((res.body as { errors: boolean }).errors).toBe(false);
}

const count = async () => ((await client.count({ index } as never)).body as { count: number }).count;

it('is three node processes with their own data folders, forming one cluster', async () => {
  const urls = testOpenSearchUrls();
  expect(urls).toHaveLength(3);
  const nodes = await clusterNodes();
  expect(new Set(nodes.map((n) => n.pid)).size).toBe(3);
  expect(nodes.every((n) => n.running)).toBe(true);
  // every node sees the same cluster (same UUID) with the same three members
  const roots = await Promise.all(urls.map((u) => get(u, '/')));
  expect(new Set(roots.map((r) => r.cluster_uuid)).size).toBe(1);
  for (const url of urls) {
    const members = (await get(url, '/_cat/nodes?format=json&h=name')).map((n: { name: string }) => n.name);
    expect(members.sort()).toEqual(['node-0', 'node-1', 'node-2']);
  }
  const info = await get(urls[0], '/_nodes/settings?filter_path=nodes.*.name,nodes.*.settings.path.data');
  const dataPaths = Object.values(info.nodes as Record<string, { settings: { path: { data: string[] | string } } }>)
    .map((n) => String(n.settings.path.data))
    .sort();
  expect(new Set(dataPaths).size).toBe(3);
  expect(dataPaths.every((p, i) => p.endsWith(`node-${i}/data`))).toBe(true);
});

it('keeps serving every document after kill -9 of a node, and the node rejoins on its own data', async () => {
  await client.indices.create({
    index,
    body: { settings: { number_of_shards: 3, number_of_replicas: 1 } },
  } as never);
  await write(Array.from({ length: 300 }, (_, i) => `a${i}`));
  await waitForCluster(client, 'green', 3);

  // a node that is not the cluster manager (the node-loss test kills the manager)
  const victim = ((await clusterManagerIndex(client)) + 1) % 3;
  const idsBefore = await get(testOpenSearchUrls()[victim], '/_nodes/_local?filter_path=nodes.*.name');
  const victimId = Object.keys(idsBefore.nodes)[0];
  await killNode(victim);

  await waitForCluster(client, 'yellow', 2);
  const alive = testOpenSearchUrls().filter((_, i) => i !== victim);
  for (const url of alive) expect((await get(url, '/_cat/nodes?format=json&h=name')).length).toBe(2);
  expect(await count()).toBe(300);
  await write(Array.from({ length: 100 }, (_, i) => `b${i}`)); // writes go on with one node down
  expect(await count()).toBe(400);

  const back = await startNode(victim);
  expect(back.running).toBe(true);
  await waitForCluster(client, 'green', 3);
  const idsAfter = await get(back.url, '/_nodes/_local?filter_path=nodes.*.name');
  expect(Object.keys(idsAfter.nodes)).toEqual([victimId]); // same node id: it came back with its data
  expect(await count()).toBe(400);
});
