// Flat ESLint config, checked with `eslint --max-warnings 0 .` in the test command. One named block per concern, each
// with its own `files`, so a block for one folder (e.g. a rule set for backend/) slots in without touching the others:
//   1. what is not linted
//   2. the base for every TypeScript file: ESLint's and typescript-eslint's recommended rules
//   3. Grafana's plugin rules (@grafana/eslint-config, the config create-plugin scaffolds) for the plugin frontend and
//      its browser harness, with React and React hooks rules
//   4. type-aware rules (@typescript-eslint/no-deprecated) for every TypeScript file, with the two TypeScript projects
//   5. folder-specific blocks
import js from '@eslint/js';
import grafanaConfig from '@grafana/eslint-config';
import reactPlugin from 'eslint-plugin-react';
import reactHooksPlugin from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];
const FRONTEND = ['src/**/*.{ts,tsx}', 'harness/**/*.{ts,tsx}'];

// Grafana's shared config is react-hooks' and react's recommended configs, eslint-config-prettier and its own rules.
// All of it applies to the plugin frontend (block 3). Its React rules need the React plugins, which only that block
// loads.
const isReactConfig = (c) =>
  c === reactPlugin.configs.flat.recommended || c === reactHooksPlugin.configs.flat.recommended;
const withoutReactRules = (rules = {}) =>
  Object.fromEntries(Object.entries(rules).filter(([k]) => !k.startsWith('react')));
const grafanaRules = grafanaConfig
  .filter((c) => !isReactConfig(c))
  .map((c) => ({ ...c, files: FRONTEND, rules: withoutReactRules(c.rules) }));
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  {
    name: 'api-sessions/ignores',
    ignores: [
      'dist/**',
      'dist-service/**',
      'build/**',
      'node_modules/**',
      '.cache/**',
      '.data/**',
      'coverage/**',
      'harness/build/**',
      'test-results/**',
      'screenshots/**',
      'pkg/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    name: 'api-sessions/typescript',
    files: TS,
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  ...grafanaRules,
  {
    name: 'api-sessions/grafana-adjustments',
    files: FRONTEND,
    rules: {
      // Grafana's config turns these off for its own code base; we keep ESLint's recommended behaviour.
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Type-only and value imports of one module on two lines are a TypeScript idiom, not a duplicate.
      'no-duplicate-imports': 'off',
      // Grafana's options for @stylistic 5; @stylistic 6 (installed) dropped `overrides.arrow`, same rule otherwise.
      '@stylistic/type-annotation-spacing': ['error', { after: true, before: false }],
    },
  },
  {
    name: 'api-sessions/type-aware',
    files: TS,
    languageOptions: {
      parserOptions: {
        // The frontend project (src/, harness/, the webpack configs) and the service project (backend/, bench/,
        // opensearch-local/, scripts/); typescript-eslint uses the one that includes the file.
        project: ['./tsconfig.json', './backend/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-deprecated': 'error',
    },
  },
  {
    name: 'api-sessions/react',
    files: FRONTEND,
    extends: [
      reactPlugin.configs.flat.recommended,
      reactPlugin.configs.flat['jsx-runtime'],
      reactHooksPlugin.configs.flat.recommended,
    ],
    settings: { react: { version: 'detect' } },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
      // Props are typed by TypeScript.
      'react/prop-types': 'off',
    },
  },
  // Linear-time matching (issue 13): every value the service records comes from attackers, so no regex in backend/
  // may backtrack or rescan super-linearly. Self-contained; keep it when the rest of this file is restructured.
  {
    name: 'api-sessions/backend-regexp',
    files: ['backend/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
);
