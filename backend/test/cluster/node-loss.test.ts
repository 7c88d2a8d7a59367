/**
 * The service on a 3-node cluster (OPENSEARCH_URL lists all three, 3 shards, 1 replica), two service processes
 * behind one round-robin address: ingest and queries keep answering 200 while the elected cluster manager is killed
 * with `kill -9` and after it comes back; every acknowledged record is stored exactly once; both instances (and the
 * shared address) give the same answers.
 */
import type { Client } from '@opensearch-project/opensearch';
import { deletePrefix, testClient, testOpenSearchUrls, uniquePrefix } from '../opensearch';
import { spawnService, type ServiceProcess } from '../service-process';
import { record, TEST_TOKENS, testServiceEnv } from '../service';
import { clusterManagerIndex, killNode, startNode, waitForCluster } from './control';
import { startRoundRobinProxy, type Proxy } from './proxy';
import { duplicateIds, storedAcknowledged } from '../stored';

jest.setTimeout(900_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACTORS = 6;

/** Posts batches with unique ids until stopped; remembers each acknowledged id and when it was acknowledged. */
function keepPosting(url: string, size: number, clients: number) {
  const acknowledged = new Map<string, number>();
  const statuses: Record<string, number> = {};
  let running = true;
  let batch = 0;
  const worker = async () => {
    while (running) {
      const b = batch++;
      const ids = Array.from({ length: size }, (_, i) => `nl-${b}-${i}`);
      const records = ids.map((id, i) =>
        record({ id, client_ip: `203.0.113.${(b + i) % ACTORS}`, ts: Date.now() - 30_000 }),
      );
      try {
        const res = await fetch(`${url}/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
          body: JSON.stringify(records),
        });
        const body = (await res.json()) as { accepted?: number };
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200 && body.accepted === size) ids.forEach((id) => acknowledged.set(id, Date.now()));
      } catch {
        statuses['connection error'] = (statuses['connection error'] ?? 0) + 1;
      }
      await sleep(50);
    }
  };
  const done = Promise.all(Array.from({ length: clients }, worker));
  return {
    acknowledged,
    statuses,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Queries the session list every 300 ms until stopped; counts the statuses. */
function keepQuerying(url: string) {
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        const res = await query(url, { queryType: 'sessions', limit: 50 });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status !== 200) failures.push(JSON.stringify(res.json).slice(0, 300));
      } catch (err) {
        statuses['connection error'] = (statuses['connection error'] ?? 0) + 1;
        failures.push(String(err));
      }
      await sleep(300);
    }
  })();
  return {
    statuses,
    failures,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function query(url: string, body: Record<string, unknown>): Promise<{ status: number; json: any }> {
  const now = Date.now();
  const res = await fetch(`${url}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.query}` },
    body: JSON.stringify({ from: now - 3600_000, to: now + 60_000, ...body }),
  });
  return { status: res.status, json: await res.json() };
}

/** `_bulk` requests each node has handled so far (REST usage, read through one node). */
async function bulksHandled(url: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/_nodes/usage?filter_path=nodes.*.rest_actions.bulk_action,nodes.*.timestamp`);
  const body = (await res.json()) as { nodes: Record<string, { rest_actions?: { bulk_action?: number } }> };
  const names = (await (await fetch(`${url}/_nodes?filter_path=nodes.*.name`)).json()) as {
    nodes: Record<string, { name: string }>;
  };
  return Object.fromEntries(
    Object.entries(body.nodes).map(([id, n]) => [names.nodes[id].name, n.rest_actions?.bulk_action ?? 0]),
  );
}

describe('the service on three nodes', () => {
  let client: Client;
  let services: ServiceProcess[] = [];
  let proxy: Proxy | undefined;
  const prefix = uniquePrefix('nodeloss');

  beforeAll(async () => {
    client = testClient();
    await waitForCluster(client, 'green', 3);
    const env = testServiceEnv(prefix, { SPOOL_DIR: '' }); // no spool: a 200 means OpenSearch acknowledged
    expect(env.OPENSEARCH_URL.split(',')).toHaveLength(3);
    services = [await spawnService(env), await spawnService(env)];
    proxy = await startRoundRobinProxy(services.map((s) => s.url));
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(services.map((s) => s.stop()));
    await deletePrefix(client, prefix);
    await client.close();
  });

  it('keeps ingest and queries working through kill -9 of the cluster manager and its return, losing nothing', async () => {
    const statsUrl = testOpenSearchUrls()[0];
    const bulks0 = await bulksHandled(statsUrl); // only the two services send _bulk in this test
    let victim: number | undefined;
    const ingest = keepPosting(proxy!.url, 50, 3);
    const queries = keepQuerying(proxy!.url);
    try {
      for (const deadline = Date.now() + 120_000; ingest.acknowledged.size < 600 && Date.now() < deadline;)
        await sleep(250);
      // the services spread their requests over every node
      const bulks1 = await bulksHandled(statsUrl);
      for (const name of ['node-0', 'node-1', 'node-2']) expect(bulks1[name] - bulks0[name]).toBeGreaterThan(0);

      // One replica covers the loss of one node once every replica is in sync (green): the daily index was just
      // created by the first batches, so wait for its replicas before pulling the plug.
      await waitForCluster(client, 'green', 3);
      victim = await clusterManagerIndex(client);
      const killedAt = Date.now();
      await killNode(victim);
      await waitForCluster(client, 'yellow', 2);
      await sleep(6000);
      const restartAt = Date.now();
      await startNode(victim);
      victim = undefined;
      await waitForCluster(client, 'green', 3);
      await sleep(6000);
      await Promise.all([ingest.stop(), queries.stop()]);

      expect(ingest.statuses).toEqual({ 200: expect.any(Number) });
      expect(queries.failures).toEqual([]);
      expect(queries.statuses).toEqual({ 200: expect.any(Number) });
      const ackTimes = [...ingest.acknowledged.values()];
      expect(ackTimes.filter((t) => t > killedAt && t < restartAt).length).toBeGreaterThan(0); // while down
      expect(ackTimes.filter((t) => t > restartAt).length).toBeGreaterThan(0); // after it came back

      const acked = new Set(ingest.acknowledged.keys());
      expect(await storedAcknowledged(client, prefix, acked)).toBe(acked.size);
      expect(await duplicateIds(client, prefix)).toEqual([]);
    } finally {
      await Promise.all([ingest.stop(), queries.stop()]);
      if (victim !== undefined) await startNode(victim); // leave three nodes for the next suites
    }
  });

  it('gives the same answers from either instance and through the shared address', async () => {
    await client.indices.refresh({ index: `${prefix}-requests-*` } as never);
    const stored = ((await client.count({ index: `${prefix}-requests-*` } as never)).body as { count: number }).count;
    const body = { queryType: 'sessions', limit: 100, from: Date.now() - 3600_000, to: Date.now() + 60_000 };
    const answers = await Promise.all([
      query(services[0].url, body),
      query(services[1].url, body),
      query(proxy!.url, body),
      query(proxy!.url, body),
    ]);
    for (const a of answers) expect(a.status).toBe(200);
    const frames = answers.map((a) => a.json.frames);
    for (const f of frames.slice(1)) expect(f).toEqual(frames[0]);
    // and they add up: every stored request is in exactly one of the (few) sessions
    const fields: { name: string }[] = frames[0][0].schema.fields;
    const requests: number[] = frames[0][0].data.values[fields.findIndex((f) => f.name === 'requests')];
    expect(requests.length).toBeGreaterThanOrEqual(ACTORS);
    expect(requests.reduce((a, b) => a + b, 0)).toBe(stored);
    expect(proxy!.served.every((n) => n > 0)).toBe(true);
  });
});
