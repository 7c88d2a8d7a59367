/** Jest global teardown (integration project): stops the node global-setup.ts started (none when OPENSEARCH_TEST_URL was given). */
import type { OpenSearchHandle } from '../../opensearch-local/runner';

declare global {
  var __OPENSEARCH_TEST_NODE__: OpenSearchHandle | undefined;
}

export default async function globalTeardown(): Promise<void> {
  const node = globalThis.__OPENSEARCH_TEST_NODE__;
  if (!node) return;
  globalThis.__OPENSEARCH_TEST_NODE__ = undefined;
  await node.stop();
  delete process.env.OPENSEARCH_TEST_URL;
}
