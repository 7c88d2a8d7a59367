/**
 * Harness build: three plain pages with React and @grafana/* bundled in (the plugin build leaves them to Grafana):
 * index.html renders the plugin's editors, panels.html the bundled dashboards' panels over the service's frames,
 * dashboard.html one dashboard at a Grafana-like URL (harness/dashboards.ts).
 * Output: harness/build/ (git-ignored), icons under public/build/img/icons where @grafana/ui fetches them.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { swcOptions } from '../webpack.config';

const HERE = __dirname;
const ICONS = path.join(HERE, '..', 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
/** uPlot's own stylesheet, which Grafana's app loads globally (the time series need it for their layout). */
const UPLOT_CSS = path.join(HERE, '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css');

export const HARNESS_OUT = path.join(HERE, 'build');

const page = (filename: string, chunk: string, title: string) =>
  new HtmlWebpackPlugin({
    filename,
    chunks: [chunk],
    templateContent:
      // <base>: the dashboard page is served at /d/<uid>/<slug>; @grafana/ui's icons and fonts are relative URLs.
      `<!doctype html><html><head><meta charset="utf-8"><base href="/"><title>${title}</title>` +
      '<link rel="stylesheet" href="/uPlot.min.css"></head><body><div id="root"></div></body></html>',
  });

export default (): Configuration => ({
  mode: 'development',
  target: 'web',
  context: HERE,
  devtool: false,
  entry: {
    harness: path.join(HERE, 'src', 'index.tsx'),
    panels: path.join(HERE, 'src', 'panels.tsx'),
    dashboard: path.join(HERE, 'src', 'dashboard.tsx'),
  },
  output: { path: HARNESS_OUT, filename: '[name].js', publicPath: '/', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'] },
  module: {
    rules: [
      { test: /\.[tj]sx?$/, exclude: /node_modules/, use: { loader: 'swc-loader', options: swcOptions(true) } },
      // @grafana/ui's .mjs files import Babel-compiled CommonJS packages (react-custom-scrollbars-2, …) by their
      // default export: parse them as `auto` so webpack honours `__esModule` as Grafana's own build does.
      { test: /\.m?js$/, type: 'javascript/auto', resolve: { fullySpecified: false } },
      { test: /\.(svg|png|woff2?)$/, type: 'asset/resource' },
      { test: /\.css$/, type: 'asset/resource' },
    ],
  },
  plugins: [
    page('index.html', 'harness', 'API Sessions editors'),
    page('panels.html', 'panels', 'API Sessions dashboard panels'),
    page('dashboard.html', 'dashboard', 'API Sessions dashboard'),
    new CopyWebpackPlugin({
      patterns: [
        { from: ICONS, to: 'public/build/img/icons' },
        { from: UPLOT_CSS, to: 'uPlot.min.css' },
      ],
    }),
  ],
  // Rebuilds take seconds instead of most of a minute.
  cache: { type: 'filesystem', cacheDirectory: path.join(HERE, '..', 'node_modules', '.cache', 'harness-webpack') },
  performance: { hints: false },
  stats: 'errors-warnings',
});
