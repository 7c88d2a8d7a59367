/**
 * How the harness draws one bundled-dashboard panel with @grafana/ui, as Grafana's table, time-series and bar-gauge
 * panels do: a table (its cells' data links as Grafana renders them), a time series with a table legend, bar gauges
 * (each bar a link, or a menu of links, when its field has data links). Shared by the panels page and the dashboard
 * page.
 */
import { createTheme, dateTime, VizOrientation, type DataFrame } from '@grafana/data';
import { BarGaugeDisplayMode, LegendDisplayMode, type VizLegendOptions } from '@grafana/schema';
import { BarGauge, DataLinksContextMenu, Table, TimeSeries } from '@grafana/ui';
import { barGaugeValues, type PanelSpec } from './panel-data';

const WIDTH = 1100;
const HEIGHT = 320;
/** The theme panels are drawn with (Grafana's default, dark). */
export const theme = createTheme();

/** A prepared panel: its spec, its frames as Grafana would draw them, or why they could not be prepared. */
export interface Prepared {
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
      {values.map((v, i) => {
        const bar = (
          <BarGauge
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
        );
        // As Grafana's bar-gauge panel: a bar whose field has data links is a link (one) or opens a menu (several).
        return v.getLinks && v.getLinks().length > 0 ? (
          <DataLinksContextMenu key={i} links={v.getLinks}>
            {({ openMenu, targetClassName }) => (
              <div className={targetClassName} onClick={openMenu}>
                {bar}
              </div>
            )}
          </DataLinksContextMenu>
        ) : (
          <div key={i}>{bar}</div>
        );
      })}
    </div>
  );
}

const VIEWS = { table: TablePanel, timeseries: TimeSeriesPanel, bargauge: BarGaugePanel };

/** One panel in a box of its size, titled "dashboard / panel" (or by its title alone with `titleOnly`). */
export function Panel(props: Prepared & { titleOnly?: boolean }) {
  const View = VIEWS[props.spec.type];
  return (
    <section
      id={props.spec.id}
      data-panel-type={props.spec.type}
      style={{ width: WIDTH + 24, padding: 12, border: '1px solid #333', borderRadius: 4, marginBottom: 16 }}
    >
      <h4>{props.titleOnly ? props.spec.title : `${props.spec.dashboard} / ${props.spec.title}`}</h4>
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
