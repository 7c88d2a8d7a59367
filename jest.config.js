/**
 * Two jest projects:
 *  - backend: the service, the local OpenSearch runner, bench helpers. Node environment. The global setup starts
 *    one real OpenSearch node for the whole run (reused when OPENSEARCH_TEST_URL is set; OPENSEARCH_VERSION=3 = 3.x).
 *    The cluster tests (a 3-node cluster) have their own config: backend/test/cluster/jest.config.js.
 *  - plugin: the Grafana plugin frontend (src/). jsdom environment.
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

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'backend',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend', '<rootDir>/opensearch-local', '<rootDir>/bench'],
      testMatch: ['**/*.test.ts'],
      // The cluster tests have their own config (a 3-node cluster): backend/test/cluster/jest.config.js
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/backend/test/cluster/'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      globalSetup: '<rootDir>/backend/test/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/global-teardown.ts',
    },
    {
      displayName: 'plugin',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      transformIgnorePatterns: [
        'node_modules/(?!(d3|d3-[a-z-]+|internmap|delaunator|robust-predicates|ol|marked|uuid|@grafana|rxjs|@emotion)/)',
      ],
      moduleNameMapper: { '\\.(css|scss|svg|png)$': '<rootDir>/src/test/file-stub.js' },
    },
  ],
};
