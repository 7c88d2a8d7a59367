/**
 * Browser test of the plugin's editors, without Grafana: builds the harness page (harness/webpack.config.ts), serves
 * it on 127.0.0.1, drives Debian's chromium with playwright-core, edits every editor and checks the JSON it emits.
 * Screenshots go to screenshots/. Run: `npx tsx harness/browser.test.ts`. Exits 1 when a check fails.
 */
import { deepStrictEqual, ok } from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import webpack from 'webpack';
import createPluginConfig from '../webpack.config';
import createConfig, { HARNESS_OUT } from './webpack.config';

const ROOT = path.join(__dirname, '..');
const SHOTS = path.join(ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
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

/** Serves HARNESS_OUT; unknown paths are 404 (and counted, so missing icons fail the run). */
function serve(notFound: string[]): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
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
async function pick(page: Page, inputId: string, option: string) {
  await page.click(`#${inputId}`);
  await page.getByRole('option', { name: option }).first().click();
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
      await page.fill('#sessions-idle-timeout', '15');
      await toggle(page, 'sessions-split-by-day');
      await page.fill('#sessions-min-requests', '3');
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
      await page.fill('#timeline-timeline-session-id', '$session');
      await page.fill('#timeline-timeline-start', '1764300000000');
      await page.fill('#timeline-timeline-end', '$end');
      await radio(section(page, 'timeline'), 'Table');
      await page.fill('#timeline-timeline-page-size', '500');
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
      await page.fill('#requests-requests-page-size', '250');
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
      await page.fill('#breakdown-breakdown-limit', '5');
      await page.click('#breakdown-filters-toggle');
      await page.fill('#breakdown-session_id', '$session');
      await page.fill('#breakdown-breakdown-start', '$start');
      await page.fill('#breakdown-breakdown-end', '$end');
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
      await toggle(page, 'performance-by-endpoint');
      await page.fill('#performance-performance-limit', '5');
      deepStrictEqual(await emitted(page, 'performance'), {
        refId: 'performance',
        queryType: 'performance',
        view: 'timeseries',
        by_endpoint: true,
        limit: 5,
      });
      await pick(page, 'performance-view', 'Slowest endpoints');
      ok(
        (await page.locator('#performance-by-endpoint').count()) === 0,
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
      await page.fill('#patterns-endpoint-pattern', '*login*');
      await pick(page, 'patterns-group-by', 'Client IP');
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
      await pick(page, 'inventory-inventory-sort', 'Error rate');
      await page.fill('#inventory-inventory-limit', '250');
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
      await pick(page, 'blocks-blocks-state', 'All');
      await radio(section(page, 'blocks'), 'History');
      await page.fill('#blocks-blocks-limit', '20');
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

async function main() {
  const started = Date.now();
  await build(createConfig());
  await build(pluginConfig());
  console.log(`harness and production plugin built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const notFound: string[] = [];
  const server = await serve(notFound);
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
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(server.url);
    await page.waitForSelector('#emitted-variable');
    await page.screenshot({ path: path.join(SHOTS, 'editors-initial.png'), fullPage: true });
    const all: Check[] = [
      ...checks,
      {
        name: 'no page errors, no missing files',
        run: async () => {
          deepStrictEqual(
            pageErrors.filter((e) => !/Failed to load resource/.test(e)),
            [],
          );
          // Fonts are cosmetic (Grafana serves Inter/Roboto Mono; we do not ship them): only other misses fail.
          deepStrictEqual(
            notFound.filter((p) => p !== '/favicon.ico' && !p.startsWith('/public/fonts/')),
            [],
          );
        },
      },
    ];
    for (const check of all) {
      const t0 = Date.now();
      try {
        await check.run(page);
        passed++;
        console.log(`ok   ${check.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${check.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const box = page.locator(`#section-${check.name}`);
      if ((await box.count()) > 0) {
        await page.keyboard.press('Escape');
        await box.screenshot({ path: path.join(SHOTS, `editor-${check.name}.png`) });
      }
    }
    await page.screenshot({ path: path.join(SHOTS, 'editors-edited.png'), fullPage: true });
  } finally {
    await browser.close();
    server.close();
  }
  console.log(
    `screenshots in ${path.relative(process.cwd(), SHOTS) || '.'}/ (${((Date.now() - started) / 1000).toFixed(1)} s total)`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
