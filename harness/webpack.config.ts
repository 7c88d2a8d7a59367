/**
 * Harness build: a plain page that renders the plugin's editors with React and @grafana/* bundled in (the plugin
 * build leaves them to Grafana). Output: harness/build/ (git-ignored), icons under public/build/img/icons where
 * @grafana/ui fetches them.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { swcOptions } from '../webpack.config';

const HERE = __dirname;
const ICONS = path.join(HERE, '..', 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

export const HARNESS_OUT = path.join(HERE, 'build');

export default (): Configuration => ({
  mode: 'development',
  target: 'web',
  context: HERE,
  devtool: false,
  entry: { harness: path.join(HERE, 'src', 'index.tsx') },
  output: { path: HARNESS_OUT, filename: '[name].js', publicPath: '/', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'] },
  module: {
    rules: [
      { test: /\.[tj]sx?$/, exclude: /node_modules/, use: { loader: 'swc-loader', options: swcOptions(true) } },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.(svg|png|woff2?)$/, type: 'asset/resource' },
      { test: /\.css$/, type: 'asset/resource' },
    ],
  },
  plugins: [
    new HtmlWebpackPlugin({
      title: 'API Sessions editors',
      templateContent:
        '<!doctype html><html><head><meta charset="utf-8"><title>API Sessions editors</title></head><body><div id="root"></div></body></html>',
    }),
    new CopyWebpackPlugin({ patterns: [{ from: ICONS, to: 'public/build/img/icons' }] }),
  ],
  // Rebuilds take seconds instead of most of a minute.
  cache: { type: 'filesystem', cacheDirectory: path.join(HERE, '..', 'node_modules', '.cache', 'harness-webpack') },
  performance: { hints: false },
  stats: 'errors-warnings',
});
