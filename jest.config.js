/**
 * Three jest projects (docs/development.md "Tests"):
 *  - unit: pure tests of the service, the import CLI, the demo generator, the OpenSearch runner and the bench helpers
 *    (`x.test.ts` beside `x.ts`). Node environment; needs neither OpenSearch, Java nor Go.
 *  - integration: everything under backend/test/ — the real service over HTTP on a real OpenSearch node. Its global
 *    setup starts one node for the run (or reuses OPENSEARCH_TEST_URL); jest runs a project's global setup only when
 *    a test of that project is selected, so unit runs never start it. The cluster tests (a 3-node cluster) and the
 *    permission test (a security-enabled node) have their own configs: backend/test/cluster/jest.config.js,
 *    backend/test/security/jest.config.js.
 *  - plugin: the Grafana plugin frontend (src/) and the browser harness's page logic (harness/src/). jsdom
 *    environment. (harness/browser.test.ts is the browser test itself, run by `npm run test:browser`.)
 * `npm run test:unit` = the unit and plugin projects.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const INTEGRATION_DIR = '<rootDir>/backend/test/';

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend', '<rootDir>/opensearch-local', '<rootDir>/bench'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', INTEGRATION_DIR],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: [INTEGRATION_DIR],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', `${INTEGRATION_DIR}cluster/`, `${INTEGRATION_DIR}security/`],
      transform: { '^.+\\.(t|j)sx?$': swc },
      globalSetup: `${INTEGRATION_DIR}global-setup.ts`,
      globalTeardown: `${INTEGRATION_DIR}global-teardown.ts`,
    },
    {
      displayName: 'plugin',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src', '<rootDir>/harness'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/harness/browser.test.ts', '<rootDir>/harness/build/'],
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      transformIgnorePatterns: [
        'node_modules/(?!(d3|d3-[a-z-]+|internmap|delaunator|robust-predicates|ol|marked|uuid|@grafana|rxjs|@emotion)/)',
      ],
      moduleNameMapper: { '\\.(css|scss|svg|png)$': '<rootDir>/src/test/file-stub.js' },
    },
  ],
};
