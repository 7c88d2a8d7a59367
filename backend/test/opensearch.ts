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
        '(backend/test/global-setup.ts) starts a local OpenSearch node; run them with `npx jest --selectProjects backend`, ' +
        'or point OPENSEARCH_TEST_URL at a running cluster (e.g. `npm run opensearch` → http://127.0.0.1:9200).',
    );
  }
  return url;
}

/** A client for the test cluster. Call client.close() in afterAll if a test keeps many clients around. */
export function testClient(): Client {
  return new Client({ node: testOpenSearchUrl() });
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
