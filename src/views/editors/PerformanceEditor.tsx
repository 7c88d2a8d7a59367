import { InlineFieldRow } from '@grafana/ui';
import { setField } from '../../data/update';
import { PERFORMANCE_VIEW, type PerformanceQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, SwitchField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const VIEW_OPTIONS = toOptions(PERFORMANCE_VIEW, {
  timeseries: 'Time series (latency, rate, errors)',
  slowest_endpoints: 'Slowest endpoints',
  session_rates: 'Session request rates',
});

/** Editor of a `performance` query: the view, per-endpoint split, and the shared filters. */
export function PerformanceEditor(props: EditorProps<PerformanceQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  const view = query.view ?? 'timeseries';
  const showLimit = view === 'slowest_endpoints' || (view === 'timeseries' && query.by_endpoint === true);
  return (
    <>
      <InlineFieldRow>
        <SelectField
          id={`${idPrefix}-view`}
          label="View"
          value={view}
          options={VIEW_OPTIONS}
          width={36}
          onChange={(v) => {
            // The per-endpoint split only exists for the time series view.
            const next = v === 'timeseries' ? query : setField(query, 'by_endpoint', undefined);
            props.onChange(setField(next, 'view', v));
            onRunQuery();
          }}
        />
        {view === 'timeseries' && (
          <SwitchField
            id={`${idPrefix}-by_endpoint`}
            label="By endpoint"
            tooltip="One series per endpoint (top N)"
            value={query.by_endpoint === true}
            onChange={(v) => set('by_endpoint', v || undefined, true)}
          />
        )}
        {showLimit && (
          <NumberField
            id={`${idPrefix}-limit`}
            label="Endpoints"
            tooltip="Number of endpoints (at most 100)"
            min={1}
            max={100}
            value={query.limit}
            placeholder={String(SERVICE_DEFAULTS.performance.limit)}
            onChange={(v) => set('limit', v)}
            onBlur={onRunQuery}
          />
        )}
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
