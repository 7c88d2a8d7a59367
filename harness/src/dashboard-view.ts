/** What the harness server answers for a dashboard URL, and what the dashboard page publishes of it once drawn. */
import type { PanelSpec } from './panel-data';

/** The answer to `GET /api/d/<uid>/<slug>?…` (harness/dashboards.ts): the dashboard with its panels' data. */
export interface DashboardAnswer {
  uid: string;
  title: string;
  /** The dashboard's variables: the URL's `var-x` over its saved values. */
  vars: Record<string, string>;
  /** The time range (epoch ms): the URL's `from`/`to`, else the demo's window. */
  range: { from: number; to: number };
  specs: PanelSpec[];
}

/** A drawn dashboard as the browser test reads it (window.__dashboard). */
export interface DashboardView {
  uid: string;
  title: string;
  vars: Record<string, string>;
  range: { from: number; to: number };
  panels: Array<{
    id: string;
    title: string;
    type: PanelSpec['type'];
    error?: string;
    /** A table's rows (its first frame after transformations), raw values by field name. */
    rows: Array<Record<string, unknown>>;
    /** A bar gauge's bars: name and value. */
    bars: Array<{ title: string; value: number }>;
  }>;
}
