/**
 * Jest global setup (integration project): one real OpenSearch node for the whole run.
 * - OPENSEARCH_TEST_URL set: reuse that cluster (e.g. `npm run opensearch` in another shell, or CI's own node).
 * - otherwise: start an ephemeral local node on a free port (data in a temp dir, deleted on stop) and export its URL
 *   as OPENSEARCH_TEST_URL; jest runs this in the parent process, so the workers inherit it.
 * The node never outlives jest, even when jest is killed: see opensearch-local/README.md (stdin watchdog).
 */
import { startOpenSearch, type OpenSearchHandle } from '../../opensearch-local/runner';

declare global {
  var __OPENSEARCH_TEST_NODE__: OpenSearchHandle | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.OPENSEARCH_TEST_URL) {
    process.stderr.write(`\n[opensearch] using OPENSEARCH_TEST_URL=${process.env.OPENSEARCH_TEST_URL}\n`);
    return;
  }
  process.stderr.write('\n');
  const node = await startOpenSearch({
    port: 0,
    ephemeral: true,
    log: (line) => process.stderr.write(`[opensearch] ${line}\n`),
  });
  globalThis.__OPENSEARCH_TEST_NODE__ = node;
  process.env.OPENSEARCH_TEST_URL = node.url;
}
