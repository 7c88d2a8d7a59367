/**
 * The panels page of the browser harness: every table, time-series and bar-gauge panel of the bundled dashboards,
 * drawn with @grafana/ui's components over the frames the real service answered (/panels.json, written by
 * harness/panels.ts), with the panel's transformations and field config applied as Grafana does. When everything is
 * drawn it publishes, per panel, what the page must show (window.__panels, read by harness/browser.test.ts).
 */
import './boot-data';
import { GlobalStyles } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { preparePanelFrames, type PanelSpec } from './panel-data';
import { expectationsOf, type PanelExpectations } from './panel-expectations';
import { Panel, theme, type Prepared } from './panel-views';

function App() {
  const [panels, setPanels] = useState<Prepared[]>();
  useEffect(() => {
    (async () => {
      const specs: PanelSpec[] = await (await fetch('/panels.json')).json();
      const prepared = await Promise.all(
        specs.map(async (spec) => {
          try {
            return { spec, frames: await preparePanelFrames(spec, theme) };
          } catch (e) {
            return { spec, frames: [], error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
          }
        }),
      );
      setPanels(prepared);
    })();
  }, []);
  useEffect(() => {
    if (!panels) {
      return;
    }
    const expectations: PanelExpectations[] = panels.map((p) => expectationsOf(p.spec, p.frames, theme, p.error));
    (window as unknown as { __panels: PanelExpectations[] }).__panels = expectations;
  }, [panels]);
  return (
    <>
      <GlobalStyles />
      <div style={{ padding: 16 }}>
        {panels?.map((p) => (
          <Panel key={p.spec.id} {...p} />
        ))}
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
