/**
 * Nothing lost: every record that received a 200 is stored exactly once, when the OpenSearch node stops and comes
 * back while clients keep posting, and when the service is killed with SIGKILL in the middle of a batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { startOpenSearch, type OpenSearchHandle } from '../../../opensearch-local/runner';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { freePort, spawnService, type ServiceProcess } from '../service-process';
import { record, TEST_TOKENS, testServiceEnv } from '../service';
import { duplicateIds, storedAcknowledged } from '../stored';

jest.setTimeout(300_000);

const serviceEnv = (prefix: string, opensearchUrl: string, spoolDir: string) =>
  testServiceEnv(prefix, { OPENSEARCH_URL: opensearchUrl, SPOOL_DIR: spoolDir });

/** Posts batches of `size` records with unique ids until `stop()`; remembers which ids got a 200. */
function keepPosting(urlOf: () => string, tag: string, size: number, clients: number) {
  const acknowledged = new Set<string>();
  const statuses = new Map<string, number>();
  let running = true;
  let batch = 0;
  const worker = async () => {
    while (running) {
      const ids = Array.from({ length: size }, (_, i) => `${tag}-${batch}-${i}`);
      batch++;
      try {
        const res = await fetch(`${urlOf()}/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
          body: JSON.stringify(ids.map((id) => record({ id }))),
        });
        const body = (await res.json()) as {
          accepted?: number;
          error?: { code?: string; message?: string };
          errors?: { message?: string }[];
        };
        const key =
          res.status === 200
            ? '200'
            : `${res.status} ${body.error?.code}: ${body.error?.message} (${body.errors?.[0]?.message ?? ''})`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (res.status === 200 && body.accepted === size) ids.forEach((id) => acknowledged.add(id));
      } catch {
        statuses.set('connection error', (statuses.get('connection error') ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = Promise.all(Array.from({ length: clients }, worker));
  return {
    acknowledged,
    statuses,
    async stop() {
      running = false;
      await done;
    },
  };
}

describe('durability under storage faults', () => {
  it('keeps every acknowledged record when the node stops and restarts while clients post (spool on)', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'os-fault-'));
    const spoolDir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const prefix = uniquePrefix('nodefault');
    let node: OpenSearchHandle | undefined = await startOpenSearch({ port, dataDir, log: () => {} });
    const svc = await spawnService(serviceEnv(prefix, node.url, spoolDir));
    const load = keepPosting(() => svc.url, 'n', 50, 2);
    try {
      await new Promise((r) => setTimeout(r, 3000));
      await node.stop();
      node = undefined;
      await new Promise((r) => setTimeout(r, 4000)); // clients keep posting into the spool
      node = await startOpenSearch({ port, dataDir, log: () => {} });
      await new Promise((r) => setTimeout(r, 3000));
      await load.stop();
      expect(load.acknowledged.size).toBeGreaterThan(0);
      expect([...load.statuses.keys()]).toEqual(['200']); // shows the other statuses when it fails
      const client = new Client({ node: node.url });
      expect(await storedAcknowledged(client, prefix, load.acknowledged)).toBe(load.acknowledged.size);
      expect(await duplicateIds(client, prefix)).toEqual([]); // nothing stored twice
      await client.close();
    } finally {
      await load.stop();
      await svc.stop();
      await node?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged record across kill -9 of the service mid-batch, spooled records included', async () => {
    const prefix = uniquePrefix('kill9');
    const spoolDir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const client = testClient();
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    let svc: ServiceProcess = await spawnService(serviceEnv(prefix, deadUrl, spoolDir));
    try {
      // Phase 1: OpenSearch unreachable for this service → records are spooled; kill -9 in the middle.
      const spooled = keepPosting(() => svc.url, 's', 200, 3);
      await new Promise((r) => setTimeout(r, 1500));
      await svc.kill9();
      await spooled.stop();
      expect(spooled.acknowledged.size).toBeGreaterThan(0);

      // Phase 2: restart against the live node (the spool replays) while clients post; kill -9 again mid-batch.
      svc = await spawnService(serviceEnv(prefix, testOpenSearchUrl(), spoolDir));
      let current = svc;
      const direct = keepPosting(() => current.url, 'd', 500, 3);
      await new Promise((r) => setTimeout(r, 1500));
      await svc.kill9();
      svc = await spawnService(serviceEnv(prefix, testOpenSearchUrl(), spoolDir));
      current = svc;
      await new Promise((r) => setTimeout(r, 1500));
      await direct.stop();

      const acknowledged = new Set([...spooled.acknowledged, ...direct.acknowledged]);
      expect(await storedAcknowledged(client, prefix, acknowledged)).toBe(acknowledged.size);
      expect(await duplicateIds(client, prefix)).toEqual([]);
    } finally {
      await svc.stop();
      await deletePrefix(client, prefix);
      await client.close();
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('answers 503 with Retry-After and stores nothing when there is no spool', async () => {
    const prefix = uniquePrefix('nospool');
    const svc = await spawnService({
      ...serviceEnv(prefix, `http://127.0.0.1:${await freePort()}`, ''),
      SPOOL_DIR: '',
    });
    try {
      const res = await fetch(`${svc.url}/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
        body: JSON.stringify([record({ id: 'x1' })]),
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await svc.stop();
    }
  });
});
