/**
 * The panels page of the browser harness: every table, time-series and bar-gauge panel of the bundled dashboards,
 * drawn with @grafana/ui's components over the frames the real service answered (/panels.json, written by
 * harness/panels.ts), with the panel's transformations and field config applied as Grafana does. When everything is
 * drawn it publishes, per panel, what the page must show (window.__panels, read by harness/browser.test.ts).
 */
import './boot-data';
import { createTheme, dateTime, VizOrientation, type DataFrame } from '@grafana/data';
import { BarGaugeDisplayMode, LegendDisplayMode, type VizLegendOptions } from '@grafana/schema';
import { BarGauge, GlobalStyles, Table, TimeSeries } from '@grafana/ui';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { barGaugeValues, preparePanelFrames, type PanelSpec } from './panel-data';
import { expectationsOf, type PanelExpectations } from './panel-expectations';

const WIDTH = 1100;
const HEIGHT = 320;
const theme = createTheme();

/** A prepared panel: its spec, its frames as Grafana would draw them, or why they could not be prepared. */
interface Prepared {
  spec: PanelSpec;
  frames: DataFrame[];
  error?: string;
}

function TablePanel({ spec, frames }: Prepared) {
  const frame = frames[0];
  return frame ? (
    <Table
      data={frame}
      width={WIDTH}
      height={HEIGHT}
      noHeader={spec.options.showHeader === false}
      cellHeight={spec.options.cellHeight}
    />
  ) : null;
}

function TimeSeriesPanel({ spec, frames }: Prepared) {
  const range = { from: dateTime(spec.range.from), to: dateTime(spec.range.to) };
  // Grafana draws axis labels on the canvas; a Max column in the legend shows the unit as text.
  const legend: VizLegendOptions = {
    showLegend: true,
    displayMode: LegendDisplayMode.Table,
    placement: 'bottom',
    ...spec.options.legend,
    calcs: ['max'],
  };
  if (legend.displayMode === LegendDisplayMode.List) {
    legend.displayMode = LegendDisplayMode.Table;
  }
  return (
    <TimeSeries
      frames={frames}
      width={WIDTH}
      height={HEIGHT}
      timeRange={{ ...range, raw: range }}
      timeZone="utc"
      legend={legend}
      options={spec.options}
    />
  );
}

function BarGaugePanel({ spec, frames }: Prepared) {
  const values = barGaugeValues(spec, frames, theme);
  const itemHeight = spec.options.maxVizHeight ?? 24;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4, width: WIDTH }}>
      {values.map((v, i) => (
        <BarGauge
          key={i}
          value={v.display}
          field={v.field}
          display={v.view?.getFieldDisplayProcessor(v.colIndex ?? 0)}
          orientation={VizOrientation.Horizontal}
          displayMode={spec.options.displayMode ?? BarGaugeDisplayMode.Gradient}
          showUnfilled={spec.options.showUnfilled}
          valueDisplayMode={spec.options.valueMode}
          namePlacement={spec.options.namePlacement}
          width={WIDTH}
          height={itemHeight}
          theme={theme}
        />
      ))}
    </div>
  );
}

const VIEWS = { table: TablePanel, timeseries: TimeSeriesPanel, bargauge: BarGaugePanel };

function Panel(props: Prepared) {
  const View = VIEWS[props.spec.type];
  return (
    <section
      id={props.spec.id}
      data-panel-type={props.spec.type}
      style={{ width: WIDTH + 24, padding: 12, border: '1px solid #333', borderRadius: 4, marginBottom: 16 }}
    >
      <h4>
        {props.spec.dashboard} / {props.spec.title}
      </h4>
      {props.error ? (
        <pre className="panel-error">{props.error}</pre>
      ) : (
        // A box of the panel's size, as Grafana gives each panel (uPlot and the table size themselves to it).
        <div
          style={{
            position: 'relative',
            width: WIDTH,
            height: props.spec.type === 'bargauge' ? undefined : HEIGHT,
            overflow: 'hidden',
          }}
        >
          <View {...props} />
        </div>
      )}
    </section>
  );
}

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
