/**
 * Production build of the plugin frontend into dist/ (Grafana loads dist/module.js as an AMD module).
 * Modelled on @grafana/create-plugin's config: everything Grafana provides at run time is external, TypeScript goes
 * through SWC, and static files (plugin.json with %VERSION%/%TODAY% filled in, README, CHANGELOG, img/, dashboards/)
 * are copied. The Go engineer's binaries (dist/gpx_*) survive the clean step.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import path from 'path';
import type { Configuration, ExternalItemFunctionData } from 'webpack';

const ROOT = __dirname;
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const PLUGIN_ID = 'apisessions-sessions-datasource';

/** Modules Grafana hands to plugins at run time (never bundled). */
export const externals: Configuration['externals'] = [
  { 'amd-module': 'module' },
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  // Grafana >= 12.3 shares its JSX runtime; bundling React 18's would break on Grafana's React 19.
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
  /^@grafana\/i18n/i,
  // Legacy SDK imports ("grafana/app/...") resolve to Grafana's own modules.
  ({ request }: ExternalItemFunctionData, callback: (err?: Error, result?: string) => void) => {
    const prefix = 'grafana/';
    if (request?.startsWith(prefix)) {
      return callback(undefined, request.slice(prefix.length));
    }
    callback();
  },
];

/** package.json version, for plugin.json's %VERSION%. */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** Copies that exist (README/CHANGELOG are optional). */
function copyPatterns() {
  const today = new Date().toISOString().slice(0, 10);
  const optional = ['README.md', 'CHANGELOG.md', 'LICENSE']
    .filter((file) => fs.existsSync(path.join(ROOT, file)))
    .map((file) => ({ from: path.join(ROOT, file), to: '.' }));
  return [
    {
      from: path.join(ROOT, 'plugin.json'),
      to: '.',
      transform: (content: Buffer) =>
        content
          .toString()
          .replace(/%VERSION%/g, packageVersion())
          .replace(/%TODAY%/g, today),
    },
    ...optional,
    { from: path.join(SRC, 'img'), to: 'img', noErrorOnMissing: true },
    // Dashboards only: their tests sit in the same folder.
    { from: 'dashboards/*.json', context: SRC, to: 'dashboards/[name][ext]', noErrorOnMissing: true },
  ];
}

/**
 * SWC options (also used by the harness build). A fresh object each time, with `development` explicit: swc-loader
 * otherwise writes it into the options object it was given, and a later build in the same process inherits it.
 * The plugin must use react/jsx-runtime (Grafana shares it), never react/jsx-dev-runtime.
 */
export function swcOptions(development = false) {
  return {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic', development } },
      target: 'es2020',
    },
  };
}

export default (env: Record<string, unknown> = {}): Configuration => {
  const production = Boolean(env.production);
  return {
    mode: production ? 'production' : 'development',
    target: 'web',
    // Source paths in module.js.map are relative to src/ (as create-plugin's are), so Grafana's validator can
    // compare them with the source code.
    context: SRC,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { module: path.join(SRC, 'module.ts') },
    externals,
    output: {
      path: DIST,
      filename: '[name].js',
      library: { type: 'amd' },
      publicPath: `public/plugins/${PLUGIN_ID}/`,
      uniqueName: PLUGIN_ID,
      // Remove stale frontend files, keep the Go binaries and their build manifest.
      clean: { keep: /^(gpx_|go_plugin_build_manifest)/ },
    },
    resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'] },
    module: {
      rules: [
        { test: /\.[tj]sx?$/, exclude: /node_modules/, use: { loader: 'swc-loader', options: swcOptions(false) } },
        { test: /\.svg$/, type: 'asset/resource', generator: { filename: 'img/[name][ext]' } },
        { test: /\.(png|jpe?g|gif)$/, type: 'asset/resource', generator: { filename: 'img/[name][ext]' } },
      ],
    },
    plugins: [new CopyWebpackPlugin({ patterns: copyPatterns() })],
    performance: { hints: false },
  };
};
