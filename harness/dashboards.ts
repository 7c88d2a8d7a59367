/**
 * The harness's dashboard router, behaving like Grafana for the bundled dashboards: `/d/<uid>/<slug>?var-x=…&from=…&to=…`
 * (the URLs the dashboards' data links produce) serves the dashboard page (harness/src/dashboard.tsx), and
 * `/api/d/<uid>/<slug>?…` answers it with that dashboard's drawn panels, their queries run through the real service
 * with the URL's variables over the dashboard's defaults (harness/panels.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARDS } from '../backend/src/grafana';
import { loadDashboardSpecs, readDashboard, variableDefaults } from './panels';
import type { DashboardAnswer } from './src/dashboard-view';
import type { Stack } from './stack';

const DASHBOARD_PATH = /^\/(api\/)?d\/([\w-]+)(?:\/[\w-]*)?$/;

/**
 * What a dashboard URL shows: the dashboard of `uid` with the URL's variables over its saved ones (an ad-hoc
 * variable has no value to show) and the URL's time range, else the demo's. Throws for an unknown uid.
 */
export async function answerDashboard(stack: Stack, uid: string, params: URLSearchParams): Promise<DashboardAnswer> {
  const bundled = Object.values(DASHBOARDS).find((d) => d.uid === uid);
  if (!bundled) {
    throw new Error(`no bundled dashboard has uid ${uid}`);
  }
  const dashboard = readDashboard(bundled.file);
  const adhoc = new Set(dashboard.templating.list.filter((v) => v.type === 'adhoc').map((v) => v.name));
  const vars = Object.fromEntries(Object.entries(variableDefaults(dashboard)).filter(([name]) => !adhoc.has(name)));
  for (const [key, value] of params) {
    if (key.startsWith('var-')) {
      vars[key.slice('var-'.length)] = value;
    }
  }
  const epoch = (name: string, fallback: number) =>
    /^\d+$/.test(params.get(name) ?? '') ? Number(params.get(name)) : fallback;
  const range = { from: epoch('from', stack.range.from), to: epoch('to', stack.range.to) };
  const specs = await loadDashboardSpecs(stack, bundled.file, vars, range);
  return { uid, title: dashboard.title, vars, range, specs };
}

/**
 * A request handler for the harness server: serves `page` (the dashboard page's HTML) for a dashboard URL and the
 * dashboard's answer for its `/api` form; returns false for any other path.
 */
export function createDashboardRoute(stack: Stack, page: () => Buffer) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const match = DASHBOARD_PATH.exec(url.pathname);
    if (!match) {
      return false;
    }
    if (!match[1]) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page());
      return true;
    }
    answerDashboard(stack, match[2], url.searchParams).then(
      (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e)),
    );
    return true;
  };
}
