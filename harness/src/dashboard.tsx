/**
 * The dashboard page of the browser harness: what Grafana shows at `/d/<uid>/<slug>?var-x=…&from=…&to=…` for a
 * bundled dashboard — its variables (the URL's over the dashboard's defaults) and its drawn panels, whose queries the
 * harness server ran through the real service (harness/dashboards.ts, at `/api` + this page's path and query). Table
 * cells and bar gauges carry the panels' data links as real links, so following one loads the dashboard it names.
 * When everything is drawn it publishes what the browser test reads (window.__dashboard).
 */
import './boot-data';
import type { DataFrame } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { barGaugeValues, preparePanelFrames } from './panel-data';
import { Panel, theme, type Prepared } from './panel-views';
import type { DashboardAnswer, DashboardView } from './dashboard-view';

/** The rows of a table's frame, raw values by field name. */
function rowsOf(frame: DataFrame | undefined): Array<Record<string, unknown>> {
  if (!frame) {
    return [];
  }
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])),
  );
}

/** What the browser test reads of a drawn dashboard. */
function viewOf(answer: DashboardAnswer, panels: Prepared[]): DashboardView {
  return {
    uid: answer.uid,
    title: answer.title,
    vars: answer.vars,
    range: answer.range,
    panels: panels.map((p) => ({
      id: p.spec.id,
      title: p.spec.title,
      type: p.spec.type,
      error: p.error,
      rows: p.spec.type === 'table' ? rowsOf(p.frames[0]) : [],
      bars:
        p.spec.type === 'bargauge'
          ? barGaugeValues(p.spec, p.frames, theme)
              .filter((v) => v.view !== undefined)
              .map((v) => ({ title: v.display.title ?? '', value: v.display.numeric }))
          : [],
    })),
  };
}

/** The dashboard's variables as Grafana shows them above the panels (read-only here: links change them). */
function VariableBar({ vars }: { vars: Record<string, string> }) {
  return (
    <div id="variables" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      {Object.entries(vars).map(([name, value]) => (
        <label key={name} style={{ display: 'flex', border: '1px solid #333', borderRadius: 2, fontSize: 12 }}>
          <span style={{ padding: '4px 8px', background: '#22252b' }}>{name}</span>
          <input id={`var-${name}`} readOnly value={value} size={Math.max(4, value.length)} style={{ padding: 4 }} />
        </label>
      ))}
    </div>
  );
}

function App() {
  const [answer, setAnswer] = useState<DashboardAnswer>();
  const [panels, setPanels] = useState<Prepared[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const res = await fetch(`/api${location.pathname}${location.search}`);
      if (!res.ok) {
        throw new Error(`${res.status} ${await res.text()}`);
      }
      const got: DashboardAnswer = await res.json();
      const prepared = await Promise.all(
        got.specs.map(async (spec) => {
          try {
            return { spec, frames: await preparePanelFrames(spec, theme) };
          } catch (e) {
            return { spec, frames: [], error: e instanceof Error ? e.message : String(e) };
          }
        }),
      );
      setAnswer(got);
      setPanels(prepared);
    })().catch((e: unknown) => setError(String(e)));
  }, []);
  useEffect(() => {
    if (answer && panels) {
      (window as unknown as { __dashboard: DashboardView }).__dashboard = viewOf(answer, panels);
    }
    if (error) {
      (window as unknown as { __dashboard: { error: string } }).__dashboard = { error };
    }
  }, [answer, panels, error]);
  return (
    <>
      <GlobalStyles />
      <div style={{ padding: 16 }}>
        {error && <pre className="dashboard-error">{error}</pre>}
        {answer && <h2 id="dashboard-title">{answer.title}</h2>}
        {answer && <VariableBar vars={answer.vars} />}
        {panels?.map((p) => (
          <Panel key={p.spec.id} {...p} titleOnly />
        ))}
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
