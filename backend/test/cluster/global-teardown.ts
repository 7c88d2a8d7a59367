/** Jest global teardown of the cluster tests: stops the control server and every node of the cluster. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__OPENSEARCH_TEST_CLUSTER__;
  if (!state) return;
  globalThis.__OPENSEARCH_TEST_CLUSTER__ = undefined;
  await state.control.close();
  await state.cluster.stop();
}
