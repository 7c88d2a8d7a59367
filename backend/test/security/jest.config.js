/**
 * The permission test against a security-enabled OpenSearch (issue 20): one node of OpenSearch 2.19.4 with the
 * security plugin (opensearch-local/security.ts), started by the test itself; the role of docs/operations.md
 * "OpenSearch permissions". Kept out of the integration project (its node has no security plugin).
 * Run: npx jest -c backend/test/security/jest.config.js
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');

module.exports = {
  rootDir: ROOT,
  testTimeout: 60000,
  displayName: 'security',
  testEnvironment: 'node',
  roots: ['<rootDir>/backend/test/security'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
};
