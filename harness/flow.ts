/**
 * The analyst's flow through the bundled dashboards on the demo data, driven in the browser on the harness's
 * dashboard router (harness/dashboards.ts), every step by clicking the link a panel shows:
 *  1. API Sessions filtered to a user: click her IP in Top client IPs;
 *  2. the session list now holds only that IP's sessions: click one session's "Session details";
 *  3. Session details of that part (session, start, end): its requests lie within it, "Parts of this session" lists
 *     both parts; clearing start/end shows the whole session;
 *  4. click the earlier part in "Parts of this session": the dashboard now shows that part.
 * The user is the demo's two-part session (backend/demo/actors/shop.ts, a break longer than the idle timeout). Each
 * step screenshots the panels the user guide shows (docs/images/guide/, docs/guide.md).
 */
import { ok } from 'node:assert/strict';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { DashboardView } from './src/dashboard-view';
import type { Stack } from './stack';

/** Where the guide's screenshots go (committed: docs/guide.md shows them). */
export const GUIDE_SHOTS = path.join(__dirname, '..', 'docs', 'images', 'guide');

type Step = { name: string; run: (page: Page) => Promise<void> };
type Row = Record<string, unknown>;

/** Waits for the dashboard page to draw; returns what it shows, or throws with its errors. */
async function drawn(page: Page): Promise<DashboardView> {
  await page.waitForFunction(() => (window as unknown as { __dashboard?: unknown }).__dashboard !== undefined, null, {
    timeout: 120_000,
  });
  const view = await page.evaluate(() => (window as unknown as { __dashboard: DashboardView }).__dashboard);
  const error = (view as unknown as { error?: string }).error;
  const broken = view.panels?.filter((p) => p.error).map((p) => `${p.title}: ${p.error}`) ?? [];
  ok(!error && broken.length === 0, `the dashboard did not draw: ${error ?? broken.join('; ')}`);
  await page.waitForTimeout(500); // uPlot draws on the next frames
  return view;
}

function panel(view: DashboardView, title: string) {
  const found = view.panels.find((p) => p.title === title);
  ok(found, `no panel "${title}" on ${view.title} (${view.panels.map((p) => p.title).join(', ')})`);
  return found;
}

const shoot = (page: Page, id: string, name: string) =>
  page.locator(`#${id}`).screenshot({ path: path.join(GUIDE_SHOTS, `${name}.png`) });

/** Clicks a table cell's data link titled `title` (the cell's link, or its entry in the cell's link menu). */
async function followCellLink(page: Page, table: Locator, rowIndex: number, header: string, title: string) {
  const headers = (await table.locator('[role="columnheader"]').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  ok(column >= 0, `no column ${header} (${headers.join(', ')})`);
  const cell = table
    .locator('[role="row"]')
    .nth(rowIndex + 1)
    .locator('[role="cell"]')
    .nth(column);
  const before = page.url();
  if ((await cell.locator('a').count()) === 1) {
    await cell.locator('a').click();
  } else {
    await cell.click();
    await page.locator('a', { hasText: title }).first().click({ timeout: 5000 });
  }
  await page.waitForURL((u) => u.toString() !== before, { timeout: 10_000 });
}

/** The rows' time field (epoch ms) all lie in [start, end]. */
function within(rows: Row[], field: string, start: number, end: number): string[] {
  return rows
    .map((r) => Number(r[field]))
    .filter((t) => !(t >= start && t <= end))
    .map((t) => new Date(t).toISOString());
}

/** The flow's steps, in order (each one starts where the previous one left the page). */
export function userFlow(baseUrl: string, stack: Stack): Step[] {
  const { login, clientIp } = stack.breakUser;
  const timeRange = `from=${stack.range.from}&to=${stack.range.to}`;
  const state: { session?: string; part?: { start: number; end: number } } = {};
  return [
    {
      name: `flow 1: API Sessions for user ${login} → click her IP in Top client IPs`,
      run: async (page) => {
        await page.goto(
          `${baseUrl}d/api-sessions-overview/api-sessions?var-user=${encodeURIComponent(login)}&${timeRange}`,
        );
        const view = await drawn(page);
        const bars = panel(view, 'Top client IPs').bars.map((b) => b.title);
        ok(bars.includes(clientIp), `Top client IPs shows ${bars.join(', ')}, not ${clientIp}`);
        await shoot(page, 'panel-api-sessions--top-client-ips', 'top-client-ips-of-user');
        await shoot(page, 'panel-api-sessions--sessions', 'sessions-of-user');
        const link = page.locator('#panel-api-sessions--top-client-ips a').filter({ hasText: clientIp }).first();
        if ((await link.count()) === 0) {
          // Go on at the URL the breakdown's `value` link names, so the next steps still run; this one fails.
          await page.goto(`${baseUrl}d/api-sessions-overview/api-sessions?var-client_ip=${clientIp}&${timeRange}`);
          throw new Error(
            'the Top client IPs bars are no links: a bar gauge takes its links from the field it draws (count), the ' +
              'service puts "Sessions from this IP" on value — the panel needs the link on count',
          );
        }
        ok(
          (await link.getAttribute('title')) === 'Sessions from this IP',
          'the IP bar is a "Sessions from this IP" link',
        );
        await Promise.all([page.waitForURL(/var-client_ip=/), link.click()]);
      },
    },
    {
      name: 'flow 2: the session list holds only that IP’s sessions → open one with an earlier part',
      run: async (page) => {
        const view = await drawn(page);
        ok(view.vars.client_ip === clientIp, `the link set client_ip=${view.vars.client_ip}, not ${clientIp}`);
        const rows = panel(view, 'Sessions').rows;
        ok(rows.length > 0, 'no sessions from the IP');
        const foreign = rows.filter((r) => !String(r.client_ips).split(', ').includes(clientIp));
        ok(foreign.length === 0, `sessions not from ${clientIp}: ${foreign.map((r) => r.client_ips).join(' | ')}`);
        await shoot(page, 'panel-api-sessions--sessions', 'sessions-from-ip');
        // Her session's later part: a session id listed twice (two parts), the row with the later start.
        const parts = rows.filter((r) => rows.filter((o) => o.session_id === r.session_id).length >= 2);
        ok(parts.length >= 2, `no session from ${clientIp} has two parts in the range`);
        const later = parts.reduce((a, b) => (Number(b.start) > Number(a.start) ? b : a));
        state.session = String(later.session_id);
        state.part = { start: Number(later.start), end: Number(later.end) };
        const table = page.locator('#panel-api-sessions--sessions');
        await followCellLink(page, table, rows.indexOf(later), 'session_id', 'Session details');
      },
    },
    {
      name: 'flow 3: Session details of that part — its requests lie within it; both parts are listed',
      run: async (page) => {
        const view = await drawn(page);
        const { session, part } = state;
        ok(session && part, 'flow 2 chose no session');
        ok(view.uid === 'api-sessions-details', `the link opened ${view.uid}`);
        const asVars = { session: view.vars.session, start: view.vars.start, end: view.vars.end };
        const expected = { session, start: String(part.start), end: String(part.end) };
        ok(JSON.stringify(asVars) === JSON.stringify(expected), `variables ${JSON.stringify(asVars)}`);
        const requests = panel(view, 'Requests').rows;
        ok(requests.length > 0, 'the part has no requests');
        const outside = within(requests, 'time', part.start, part.end);
        ok(outside.length === 0, `requests outside the part: ${outside.join(', ')}`);
        ok(panel(view, 'Parts of this session').rows.length >= 2, 'Parts of this session lists fewer than 2 parts');
        await page.locator('#variables').screenshot({ path: path.join(GUIDE_SHOTS, 'session-details-variables.png') });
        await shoot(page, 'panel-session-details--parts-of-this-session', 'session-parts');
        await shoot(page, 'panel-session-details--requests', 'session-requests');
        await shoot(page, 'panel-session-details--status-codes', 'session-status-codes');
      },
    },
    {
      name: 'flow 3b: with start and end cleared, Session details shows the whole session (both parts)',
      run: async (page) => {
        const current = page.url();
        const whole = current.replace(/var-start=\d+/, 'var-start=').replace(/var-end=\d+/, 'var-end=');
        await page.goto(whole);
        const view = await drawn(page);
        const parts = panel(view, 'Parts of this session').rows;
        const requests = panel(view, 'Requests').rows;
        const inParts = parts.reduce((n, p) => n + Number(p.requests), 0);
        ok(requests.length === inParts, `${requests.length} requests shown, the parts hold ${inParts}`);
        await page.goto(current);
      },
    },
    {
      name: 'flow 4: click the earlier part in "Parts of this session" → the dashboard shows that part',
      run: async (page) => {
        const view = await drawn(page);
        const { part } = state;
        const parts = panel(view, 'Parts of this session').rows;
        const earlier = parts
          .filter((p) => Number(p.start) < part!.start)
          .reduce<Row | undefined>((a, b) => (!a || Number(b.start) > Number(a.start) ? b : a), undefined);
        ok(earlier, 'Parts of this session lists no earlier part');
        const table = page.locator('#panel-session-details--parts-of-this-session');
        const headers = (await table.locator('[role="columnheader"]').allInnerTexts()).map((h) => h.trim());
        ok(
          headers.includes('session_id'),
          `"Parts of this session" shows no session_id column to click (columns: ${headers.join(', ')})`,
        );
        await followCellLink(page, table, parts.indexOf(earlier), 'session_id', 'Session details');
        const after = await drawn(page);
        const range = { start: Number(after.vars.start), end: Number(after.vars.end) };
        ok(
          range.start === Number(earlier.start) && range.end === Number(earlier.end),
          `now at ${JSON.stringify(range)}`,
        );
        ok(range.start !== part!.start && range.end < part!.start, 'start/end did not move to the earlier part');
        const requests = panel(after, 'Requests').rows;
        ok(requests.length > 0, 'the earlier part has no requests');
        const outside = within(requests, 'time', range.start, range.end);
        ok(outside.length === 0, `requests outside the earlier part: ${outside.join(', ')}`);
      },
    },
    {
      name: 'flow 5: the screens the guide shows for alerts and the API inventory',
      run: async (page) => {
        await page.goto(`${baseUrl}d/api-sessions-overview/api-sessions?${timeRange}`);
        await drawn(page);
        await shoot(page, 'panel-api-sessions--sessions-with-attacks', 'sessions-with-attacks');
        await shoot(page, 'panel-api-sessions--top-client-ips', 'top-client-ips');
        await shoot(page, 'panel-api-sessions--blocks', 'blocks');
        await page.goto(`${baseUrl}d/api-sessions-inventory/api-inventory?${timeRange}`);
        const inventory = await drawn(page);
        ok(panel(inventory, 'Endpoints ($api_status)').rows.length > 0, 'no shadow or zombie endpoints in the demo');
        await shoot(page, 'panel-api-inventory--endpoints-api-status', 'inventory-endpoints');
        await shoot(page, 'panel-api-inventory--sessions-that-used-them', 'inventory-sessions');
      },
    },
  ];
}
