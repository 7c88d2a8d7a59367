/**
 * The cluster tests: one 3-node local OpenSearch cluster (global-setup.ts), indices with 3 shards and 1 replica.
 * Runs the tests here (the cluster runner, ingest idempotency, node loss under load, two service instances) and, on
 * the cluster, the reference-sessionizer agreement (backend/test/query/sessions.test.ts). In band: the node-loss tests kill nodes, and
 * the other suites must not be mid-query when they do. Run: npx jest -c backend/test/cluster/jest.config.js
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');

module.exports = {
  rootDir: ROOT,
  testTimeout: 300000,
  maxWorkers: 1,
  displayName: 'cluster',
  testEnvironment: 'node',
  roots: ['<rootDir>/backend/test'],
  testMatch: ['<rootDir>/backend/test/cluster/**/*.test.ts', '<rootDir>/backend/test/query/sessions.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  globalSetup: '<rootDir>/backend/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/backend/test/cluster/global-teardown.ts',
};
