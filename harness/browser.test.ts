/**
 * Browser test of the plugin without Grafana, in Debian's chromium driven by playwright-core:
 *  - editors (index.html): edits every editor and checks the JSON it emits, and loads the production module.js;
 *  - panels (panels.html): starts the real stack (harness/stack.ts: OpenSearch, the service, the demo traffic), runs
 *    every table, time-series and bar-gauge panel of the bundled dashboards through POST /v1/query (harness/panels.ts),
 *    draws them with @grafana/ui and fails when a panel is empty, when a field with data links shows none (or broken
 *    ones), or when a unit the panel sets does not show;
 *  - the analyst's flow (harness/flow.ts) on the dashboard router (harness/dashboards.ts: /d/<uid>/<slug>?var-…, as
 *    Grafana serves the bundled dashboards): from a user's IP to its sessions, one session's details, its earlier part,
 *    by clicking the panels' data links.
 * Screenshots go to test-results/editors/ and test-results/panels/, and the user guide's to docs/images/guide/. Run: `npm run test:browser`
 * (OPENSEARCH_TEST_URL reuses a running node). Exits 1 when a check fails.
 */
import { deepStrictEqual, ok } from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import webpack from 'webpack';
import createPluginConfig from '../webpack.config';
import { createDashboardRoute } from './dashboards';
import { GUIDE_SHOTS, userFlow } from './flow';
import { loadPanelSpecs } from './panels';
import type { PanelExpectations } from './src/panel-expectations';
import { startStack, type Stack } from './stack';
import createConfig, { HARNESS_OUT } from './webpack.config';

const ROOT = path.join(__dirname, '..');
const SHOTS = path.join(ROOT, 'test-results', 'editors');
const PANEL_SHOTS = path.join(ROOT, 'test-results', 'panels');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.json': 'application/json',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
};

/** The production plugin build, written next to the harness (dist/ is left alone). */
function pluginConfig(): webpack.Configuration {
  const config = createPluginConfig({ production: true });
  return { ...config, output: { ...config.output, path: path.join(HARNESS_OUT, 'plugin'), clean: false } };
}

function build(config: webpack.Configuration): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => {
      if (err || !stats || stats.hasErrors()) {
        reject(err ?? new Error(stats?.toString('errors-only')));
        return;
      }
      resolve();
    }),
  );
}

/**
 * Serves HARNESS_OUT, and what `route` answers (the dashboard router); unknown paths are 404 (and counted, so missing
 * icons fail the run).
 */
function serve(
  notFound: string[],
  route?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    if (route?.(req, res)) {
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(HARNESS_OUT, urlPath === '/' ? 'index.html' : urlPath);
    if (!file.startsWith(HARNESS_OUT) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      notFound.push(urlPath);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    }),
  );
}

// ---- helpers acting like a user
const section = (page: Page, name: string) => page.locator(`#section-${name}`);
const emitted = async (page: Page, name: string) => JSON.parse((await page.textContent(`#emitted-${name}`)) ?? 'null');
const runs = async (page: Page, name: string) => Number(await page.textContent(`#runs-${name}`));
/** Picks an option of a Combobox as a user does: type to filter, click the option, see it in the input. */
async function pick(page: Page, inputId: string, option: string) {
  const input = page.locator(`#${inputId}`);
  const name = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  for (let attempt = 0; ; attempt++) {
    await input.click();
    await input.fill(option);
    await page.getByRole('option', { name }).first().click();
    if ((await input.inputValue()).startsWith(option) || attempt === 2) {
      return;
    }
  }
}
const toggle = (page: Page, id: string) => page.click(`#${id} + label`);
const radio = (scope: Locator, label: string) => scope.getByRole('radio', { name: label, exact: true }).click();

type Check = { name: string; run: (page: Page) => Promise<void> };

const checks: Check[] = [
  {
    name: 'config',
    run: async (page) => {
      const s = section(page, 'config');
      await page.fill('#config-url', 'http://service:8080');
      await page.fill('#config-query-token', 'dev-query-token');
      await toggle(page, 'config-tls-skip-verify');
      await s.getByRole('button', { name: 'Reset' }).click(); // the CA cert starts as configured
      await page.fill('#config-tls-ca-cert', '-----BEGIN CERTIFICATE-----');
      await page.fill('#config-idle-timeout', '45');
      // Blocking from Grafana: the optional admin token is a secret like the query token.
      await page.fill('#config-admin-token', 'dev-admin-token');
      ok(await s.getByText('Blocking', { exact: true }).isVisible(), 'the Blocking section is shown');
      deepStrictEqual(await emitted(page, 'config'), {
        url: 'http://service:8080',
        jsonData: { url: 'http://service:8080', tlsSkipVerify: true, defaultIdleTimeoutMinutes: 45 },
        secureJsonData: {
          queryToken: 'dev-query-token',
          adminToken: 'dev-admin-token',
          tlsCACert: '-----BEGIN CERTIFICATE-----',
        },
        secureJsonFields: { tlsCACert: false },
      });
    },
  },
  {
    name: 'sessions',
    run: async (page) => {
      await pick(page, 'sessions-sort', 'Attacks');
      await page.fill('#sessions-limit', '50');
      await page.fill('#sessions-idle_timeout_minutes', '15');
      await toggle(page, 'sessions-split_by_day');
      await page.fill('#sessions-min_requests', '3');
      ok(!(await page.isVisible('#sessions-host')), 'filters start closed');
      await page.click('#sessions-filters-toggle');
      await page.fill('#sessions-host', 'api.example.com');
      await page.fill('#sessions-status', '401');
      await toggle(page, 'sessions-attacked');
      deepStrictEqual(await emitted(page, 'sessions'), {
        refId: 'sessions',
        queryType: 'sessions',
        sort: 'attacks',
        limit: 50,
        idle_timeout_minutes: 15,
        split_by_day: false,
        min_requests: 3,
        host: 'api.example.com',
        status: 401,
        attacked: true,
      });
      ok((await runs(page, 'sessions')) >= 3, 'select and switches run the query');
    },
  },
  {
    name: 'timeline',
    run: async (page) => {
      await page.fill('#timeline-session_id', '$session');
      await page.fill('#timeline-start', '1764300000000');
      await page.fill('#timeline-end', '$end');
      await radio(section(page, 'timeline'), 'Table');
      await page.fill('#timeline-page_size', '500');
      deepStrictEqual(await emitted(page, 'timeline'), {
        refId: 'timeline',
        queryType: 'timeline',
        session_id: '$session',
        start: 1764300000000,
        end: '$end',
        format: 'table',
        page_size: 500,
      });
    },
  },
  {
    name: 'requests',
    run: async (page) => {
      await radio(section(page, 'requests'), 'Logs');
      await page.fill('#requests-page_size', '250');
      await page.click('#requests-filters-toggle');
      await page.fill('#requests-endpoint', '/api/v1/*');
      await page.fill('#requests-client_ip', '10.0.0.0/8');
      await page.fill('#requests-status', '4xx');
      await toggle(page, 'requests-blocked');
      deepStrictEqual(await emitted(page, 'requests'), {
        refId: 'requests',
        queryType: 'requests',
        format: 'logs',
        page_size: 250,
        endpoint: '/api/v1/*',
        client_ip: '10.0.0.0/8',
        status: '4xx',
        blocked: true,
      });
    },
  },
  {
    name: 'breakdown',
    run: async (page) => {
      await pick(page, 'breakdown-by', 'Client IP');
      await page.fill('#breakdown-limit', '5');
      await page.click('#breakdown-filters-toggle');
      await page.fill('#breakdown-session_id', '$session');
      await page.fill('#breakdown-start', '$start');
      await page.fill('#breakdown-end', '$end');
      deepStrictEqual(await emitted(page, 'breakdown'), {
        refId: 'breakdown',
        queryType: 'breakdown',
        by: 'client_ip',
        limit: 5,
        session_id: '$session',
        start: '$start',
        end: '$end',
      });
      await pick(page, 'breakdown-by', 'API status');
      await page.fill('#breakdown-flow', 'billing');
      deepStrictEqual(await emitted(page, 'breakdown'), {
        refId: 'breakdown',
        queryType: 'breakdown',
        by: 'api_status',
        limit: 5,
        session_id: '$session',
        start: '$start',
        end: '$end',
        flow: 'billing',
      });
    },
  },
  {
    name: 'performance',
    run: async (page) => {
      await toggle(page, 'performance-by_endpoint');
      await page.fill('#performance-limit', '5');
      deepStrictEqual(await emitted(page, 'performance'), {
        refId: 'performance',
        queryType: 'performance',
        view: 'timeseries',
        by_endpoint: true,
        limit: 5,
      });
      await pick(page, 'performance-view', 'Slowest endpoints');
      ok(
        (await page.locator('#performance-by_endpoint').count()) === 0,
        'by-endpoint switch hidden outside timeseries',
      );
      deepStrictEqual(await emitted(page, 'performance'), {
        refId: 'performance',
        queryType: 'performance',
        view: 'slowest_endpoints',
        limit: 5,
      });
    },
  },
  {
    name: 'patterns',
    run: async (page) => {
      await pick(page, 'patterns-condition', 'Auth failures');
      await page.fill('#patterns-threshold', '10');
      await page.fill('#patterns-endpoint_pattern', '*login*');
      await pick(page, 'patterns-group_by', 'Client IP');
      deepStrictEqual(await emitted(page, 'patterns'), {
        refId: 'patterns',
        queryType: 'patterns',
        condition: 'auth_failures',
        threshold: 10,
        endpoint_pattern: '*login*',
        group_by: 'client_ip',
      });
      await pick(page, 'patterns-condition', 'Called a shadow or zombie endpoint');
      await page.fill('#patterns-threshold', '2');
      deepStrictEqual(await emitted(page, 'patterns'), {
        refId: 'patterns',
        queryType: 'patterns',
        condition: 'shadow_or_zombie',
        threshold: 2,
        group_by: 'client_ip',
      });
      // Skipped a step: two patterns and the part settings; the threshold does not apply.
      await pick(page, 'patterns-condition', 'Skipped a step');
      await page.fill('#patterns-endpoint_pattern', '/api/checkout');
      await page.fill('#patterns-predecessor_pattern', '/api/cart/items*');
      await page.fill('#patterns-idle_timeout_minutes', '15');
      deepStrictEqual(await emitted(page, 'patterns'), {
        refId: 'patterns',
        queryType: 'patterns',
        condition: 'skipped_step',
        endpoint_pattern: '/api/checkout',
        predecessor_pattern: '/api/cart/items*',
        idle_timeout_minutes: 15,
        group_by: 'client_ip',
      });
    },
  },
  {
    name: 'inventory',
    run: async (page) => {
      deepStrictEqual(await emitted(page, 'inventory'), {
        refId: 'inventory',
        queryType: 'inventory',
        sort: 'requests',
        limit: 100,
      });
      await pick(page, 'inventory-sort', 'Error rate');
      await page.fill('#inventory-limit', '250');
      await page.click('#inventory-filters-toggle');
      await page.fill('#inventory-api_status', 'shadow,zombie');
      await page.fill('#inventory-flow', 'authentication');
      deepStrictEqual(await emitted(page, 'inventory'), {
        refId: 'inventory',
        queryType: 'inventory',
        sort: 'error_rate',
        limit: 250,
        api_status: 'shadow,zombie',
        flow: 'authentication',
      });
      ok((await runs(page, 'inventory')) >= 1, 'the sort select runs the query');
      // The tooltip explains the API status values (Grafana shows it on hovering the label's info icon).
      await section(page, 'inventory').locator('label[for="inventory-api_status"] svg').hover();
      await page.getByText(/zombie \(only in an earlier spec version\)/).waitFor({ state: 'visible', timeout: 5000 });
      await page.mouse.move(0, 0);
    },
  },
  {
    name: 'blocks',
    run: async (page) => {
      deepStrictEqual(await emitted(page, 'blocks'), {
        refId: 'blocks',
        queryType: 'blocks',
        state: 'active',
        format: 'blocks',
        limit: 100,
      });
      await pick(page, 'blocks-state', 'All');
      await radio(section(page, 'blocks'), 'History');
      await page.fill('#blocks-limit', '20');
      deepStrictEqual(await emitted(page, 'blocks'), {
        refId: 'blocks',
        queryType: 'blocks',
        state: 'all',
        format: 'history',
        limit: 20,
      });
      ok((await runs(page, 'blocks')) >= 2, 'the state select and the format switch run the query');
    },
  },
  {
    name: 'sequences',
    run: async (page) => {
      deepStrictEqual(await emitted(page, 'sequences'), {
        refId: 'sequences',
        queryType: 'sequences',
        format: 'graph',
        limit: 50,
      });
      await radio(section(page, 'sequences'), 'Table');
      await page.fill('#sequences-limit', '20');
      await page.fill('#sequences-start', '$start');
      await page.fill('#sequences-end', '$end');
      await page.click('#sequences-filters-toggle');
      await page.fill('#sequences-session_id', '$session');
      deepStrictEqual(await emitted(page, 'sequences'), {
        refId: 'sequences',
        queryType: 'sequences',
        format: 'table',
        limit: 20,
        start: '$start',
        end: '$end',
        session_id: '$session',
      });
      ok((await runs(page, 'sequences')) >= 1, 'the format switch runs the query');
    },
  },
  {
    name: 'switch',
    run: async (page) => {
      deepStrictEqual(await emitted(page, 'switch'), {
        refId: 'switch',
        queryType: 'sessions',
        sort: 'last_activity',
        limit: 100,
      });
      await page.click('#switch-filters-toggle');
      await page.fill('#switch-user', 'alice');
      await pick(page, 'switch-query-type', 'Patterns');
      deepStrictEqual(await emitted(page, 'switch'), {
        refId: 'switch',
        queryType: 'patterns',
        condition: 'attacks',
        threshold: 1,
        user: 'alice',
      });
      await pick(page, 'switch-query-type', 'Timeline');
      ok(
        await section(page, 'switch').getByText('a session id is required').isVisible(),
        'timeline warns without session id',
      );
      deepStrictEqual(await emitted(page, 'switch'), {
        refId: 'switch',
        queryType: 'timeline',
        session_id: '',
        format: 'trace',
      });
    },
  },
  {
    name: 'bundle',
    run: async (page) => {
      await page.waitForSelector('#bundle-query-type, #bundle-error');
      if (await page.isVisible('#bundle-error')) {
        throw new Error(`production bundle: ${await page.textContent('#bundle-error')}`);
      }
      deepStrictEqual(await page.textContent('#bundle-has-config-editor'), 'true');
      await pick(page, 'bundle-query-type', 'Breakdown');
      await pick(page, 'bundle-by', 'Endpoint');
      deepStrictEqual(await emitted(page, 'bundle'), {
        refId: 'bundle',
        queryType: 'breakdown',
        by: 'endpoint',
        limit: 10,
      });
    },
  },
  {
    name: 'variable',
    run: async (page) => {
      await pick(page, 'variable-variable-field', 'Endpoint');
      await page.fill('#variable-variable-prefix', '/api');
      await page.fill('#variable-variable-limit', '20');
      deepStrictEqual(await emitted(page, 'variable'), {
        refId: 'variable',
        field: 'endpoint',
        prefix: '/api',
        limit: 20,
      });
    },
  },
];

/** Runs the checks in order, printing one line each; returns [passed, failed]. */
async function runChecks(page: Page, list: Check[], shot: (check: Check) => Promise<void>): Promise<[number, number]> {
  let passed = 0;
  let failed = 0;
  for (const check of list) {
    const t0 = Date.now();
    try {
      await check.run(page);
      passed++;
      console.log(`ok   ${check.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${check.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await shot(check);
  }
  return [passed, failed];
}

/** The editor checks, with a screenshot of each editor. */
async function checkEditors(page: Page, url: string, notFound: string[]): Promise<[number, number]> {
  const pageErrors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForSelector('#emitted-variable');
  await page.screenshot({ path: path.join(SHOTS, 'editors-initial.png'), fullPage: true });
  const all: Check[] = [...checks, noPageErrors('editors', pageErrors, notFound)];
  const result = await runChecks(page, all, async (check) => {
    const box = page.locator(`#section-${check.name}`);
    if (checks.includes(check)) {
      await page.keyboard.press('Escape');
      await box.screenshot({ path: path.join(SHOTS, `editor-${check.name}.png`) });
    }
  });
  await page.screenshot({ path: path.join(SHOTS, 'editors-edited.png'), fullPage: true });
  return result;
}

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** React warnings @grafana/ui 13.1.1 itself prints (development build), not ours. */
const KNOWN_UPSTREAM_WARNINGS = [
  /^Warning: A props object containing a "key" prop is being spread into JSX[^]*at BarGaugeCell /,
];

function noPageErrors(name: string, pageErrors: string[], notFound: string[]): Check {
  return {
    name: `${name}: no page errors, no missing files`,
    run: async () => {
      deepStrictEqual(
        pageErrors.filter((e) => !/Failed to load resource/.test(e) && !KNOWN_UPSTREAM_WARNINGS.some((w) => w.test(e))),
        [],
      );
      // Fonts are cosmetic (Grafana serves Inter/Roboto Mono; we do not ship them): only other misses fail.
      deepStrictEqual(
        notFound.filter((p) => p !== '/favicon.ico' && !p.startsWith('/public/fonts/')),
        [],
      );
    },
  };
}

/**
 * What one drawn panel must show: data, every unit it sets (as text: table cells, bar values, the legend's Max),
 * and in tables the data links of every field that has any (a link in the first row's cell, or, with several
 * links, a menu of them on click).
 */
function panelCheck(e: PanelExpectations): Check {
  return {
    name: `panel ${e.dashboard} / ${e.title}`,
    run: async (page) => {
      const box = page.locator(`#${e.id}`);
      const problems = [...e.problems];
      const drawn = {
        table: () =>
          box
            .locator('[role="row"]')
            .count()
            .then((n) => n - 1),
        timeseries: () => box.locator('canvas').count(),
        bargauge: () => box.locator('[data-testid="data-testid Bar gauge value"]').count(),
      }[e.type];
      if (e.items === 0 || (await drawn()) === 0) {
        problems.push(`empty: ${e.items} rows/series/bars in the data, ${await drawn()} drawn`);
      }
      const text = await box.innerText();
      for (const u of e.units) {
        if (!u.shown.some((v) => text.includes(v))) {
          problems.push(`${u.field}: unit ${u.unit} not shown (looked for ${JSON.stringify(u.shown.slice(0, 3))})`);
        }
      }
      for (const field of e.links) {
        problems.push(...(await shownLinks(page, box, field)));
      }
      ok(problems.length === 0, problems.join('; '));
    },
  };
}

/** Problems with the data links the first row shows for one table column. */
async function shownLinks(page: Page, box: Locator, field: PanelExpectations['links'][number]): Promise<string[]> {
  const headers = (await box.locator('[role="columnheader"]').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(field.header);
  if (column < 0) {
    return [`${field.header}: no such column (${headers.join(', ')})`];
  }
  const cell = box.locator('[role="row"]').nth(1).locator('[role="cell"]').nth(column);
  const problems: string[] = [];
  if (field.links.length === 1) {
    const href = await cell
      .locator('a')
      .first()
      .getAttribute('href', { timeout: 2000 })
      .catch(() => null);
    if (href !== field.links[0].href) {
      problems.push(`${field.header}: the cell links to ${href}, expected ${field.links[0].href}`);
    }
    return problems;
  }
  await cell.click();
  for (const link of field.links) {
    const shown = page.locator(`a[href="${link.href.replace(/"/g, '\\"')}"]`);
    if (
      !(await shown
        .first()
        .isVisible({ timeout: 2000 })
        .catch(() => false))
    ) {
      problems.push(`${field.header}: the link menu does not offer "${link.title}" (${link.href})`);
    }
  }
  await page.keyboard.press('Escape');
  await page.mouse.click(1, 1);
  return problems;
}

/** The panel checks, with a screenshot of each panel. */
async function checkPanels(page: Page, url: string, notFound: string[]): Promise<[number, number]> {
  const pageErrors = collectPageErrors(page);
  await page.goto(url);
  await page
    .waitForFunction(() => (window as unknown as { __panels?: unknown }).__panels !== undefined, null, {
      timeout: 120_000,
    })
    .catch((e: Error) => {
      throw new Error(`${e.message}; page errors: ${pageErrors.join(' | ').slice(0, 3000)}`);
    });
  const expected = await page.evaluate(() => (window as unknown as { __panels: PanelExpectations[] }).__panels);
  ok(expected.length > 0, 'no panels to draw');
  await page.waitForTimeout(1000); // uPlot draws on the next frames
  const all: Check[] = [...expected.map(panelCheck), noPageErrors('panels', pageErrors, notFound)];
  return runChecks(page, all, async (check) => {
    const e = expected.find((x) => check.name === panelCheck(x).name);
    if (e) {
      await page.locator(`#${e.id}`).screenshot({ path: path.join(PANEL_SHOTS, `${e.id}.png`) });
    }
  });
}

async function main() {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  // The JVM starts while webpack builds. HARNESS_REUSE_PANELS=1 skips the stack and draws the panels of the last
  // run again (harness/build/panels.json), for work on the page itself.
  const panelsJson = path.join(HARNESS_OUT, 'panels.json');
  const reused = process.env.HARNESS_REUSE_PANELS === '1' && fs.existsSync(panelsJson) && fs.readFileSync(panelsJson);
  const stackStarting = reused ? undefined : startStack((line) => console.log(line));
  stackStarting?.catch(() => {}); // awaited below
  await build(createConfig());
  await build(pluginConfig());
  console.log(`harness and production plugin built (${seconds()} s)`);
  const stack = reused ? undefined : await stackStarting!;
  try {
    if (reused) {
      fs.writeFileSync(panelsJson, reused);
    } else {
      const specs = await loadPanelSpecs(stack!);
      fs.writeFileSync(panelsJson, JSON.stringify(specs));
      console.log(`${specs.length} panels queried on demo data (${seconds()} s)`);
    }
    const [passed, failed] = await runInBrowser(stack);
    console.log(`screenshots in ${path.relative(process.cwd(), path.dirname(SHOTS))}/ (${seconds()} s total)`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await stack?.stop();
  }
}

/**
 * The editor and panel checks, then (with the stack up, not when reusing panels) the analyst's flow on the dashboard
 * router; returns [passed, failed].
 */
async function runInBrowser(stack: Stack | undefined): Promise<[number, number]> {
  for (const dir of [SHOTS, PANEL_SHOTS]) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.mkdirSync(GUIDE_SHOTS, { recursive: true });
  const notFound: string[] = [];
  const dashboardPage = () => fs.readFileSync(path.join(HARNESS_OUT, 'dashboard.html'));
  const server = await serve(notFound, stack && createDashboardRoute(stack, dashboardPage));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  let passed = 0;
  let failed = 0;
  try {
    const viewport = { width: 1400, height: 900 };
    const runs: Array<readonly [typeof checkEditors, string]> = [
      [checkEditors, server.url],
      [checkPanels, `${server.url}panels.html`],
    ];
    for (const [run, url] of runs) {
      notFound.length = 0;
      const [p, f] = await run(await browser.newPage({ viewport }), url, notFound);
      passed += p;
      failed += f;
    }
    if (stack) {
      notFound.length = 0;
      const page = await browser.newPage({ viewport });
      const errors = collectPageErrors(page);
      const [p, f] = await runChecks(
        page,
        [...userFlow(server.url, stack), noPageErrors('flow', errors, notFound)],
        async () => {},
      );
      passed += p;
      failed += f;
    }
  } finally {
    await browser.close();
    server.close();
  }
  return [passed, failed];
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
