/**
 * Helpers for integration tests against the real OpenSearch node of the jest run (see global-setup.ts).
 *
 *   const client = testClient();
 *   const prefix = uniquePrefix('ingest');          // t-ingest-k3j9x: use as INDEX_PREFIX
 *   afterAll(() => deletePrefix(client, prefix));    // <prefix>-* indices and index templates
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { trimChar, trimTrailing } from '../src/text';

export function testOpenSearchUrl(): string {
  const url = process.env.OPENSEARCH_TEST_URL;
  if (!url) {
    throw new Error(
      'OPENSEARCH_TEST_URL is not set. Integration tests need the jest "backend" project, whose global setup ' +
        '(backend/test/global-setup.ts) starts a local OpenSearch node; run them with `npx jest --selectProjects integration`, ' +
        'or point OPENSEARCH_TEST_URL at a running cluster (e.g. `npm run opensearch` → http://127.0.0.1:9200).',
    );
  }
  return url;
}

/** The node URLs of the test cluster (OPENSEARCH_TEST_URL may list several, comma-separated). */
export function testOpenSearchUrls(): string[] {
  return testOpenSearchUrl()
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/**
 * The layout of the test indices: 1 shard, 0 replicas on the single test node; the cluster tests' global setup sets
 * OPENSEARCH_TEST_SHARDS / OPENSEARCH_TEST_REPLICAS (3 and 1).
 */
export function testIndexLayout(): { indexShards: number; indexReplicas: number } {
  return {
    indexShards: Number(process.env.OPENSEARCH_TEST_SHARDS || 1),
    indexReplicas: Number(process.env.OPENSEARCH_TEST_REPLICAS || 0),
  };
}

/** A client for the test cluster (all its nodes). Call client.close() in afterAll if a test keeps many clients around. */
export function testClient(): Client {
  // 120 s: a test loading 5,000 documents per bulk into a 3-shard, 1-replica cluster on a busy 2-core machine can
  // take longer than the client's default 30 s, and a timed-out bulk is sent again.
  return new Client({ nodes: testOpenSearchUrls(), requestTimeout: 120_000 });
}

/**
 * A fresh, valid, lower-case index prefix unique to this call: `t-<name>-<5 random chars>`, e.g. `t-ingest-k3j9x`.
 * Tests running in parallel against the same node never see each other's indices.
 */
export function uniquePrefix(name: string): string {
  const slug = trimTrailing(trimChar(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), '-').slice(0, 40), '-') || 'test';
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const rand = Array.from(randomBytes(5), (b) => alphabet[b % alphabet.length]).join('');
  return `t-${slug}-${rand}`;
}

/** Deletes the `<prefix>-*` data streams and indices and the `<prefix>-*` composable index templates (incl. `<prefix>-requests`). */
export async function deletePrefix(client: Client, prefix: string): Promise<void> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(prefix)) {
    throw new Error(`deletePrefix: refusing to delete with prefix "${prefix}"`);
  }
  await client.indices.deleteDataStream({ name: `${prefix}-*` }, { ignore: [404] });
  await client.indices.delete(
    { index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' },
    { ignore: [404] },
  );
  const templates = await client.indices.getIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
  const names = new Set<string>([`${prefix}-requests`]);
  for (const t of (templates.body as { index_templates?: { name: string }[] })?.index_templates ?? [])
    names.add(t.name);
  for (const name of names) {
    await client.indices.deleteIndexTemplate({ name }, { ignore: [404] });
  }
}
