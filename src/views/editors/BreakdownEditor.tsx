import { InlineFieldRow } from '@grafana/ui';
import { parseNumberOrText } from '../../data/update';
import { BREAKDOWN_BY, type BreakdownQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, TextField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const BY_OPTIONS = toOptions(BREAKDOWN_BY, { client_ip: 'Client IP', api_status: 'API status' });

/** Editor of a `breakdown` query: the dimension, the number of values, an optional session part, the filters. */
export function BreakdownEditor(props: EditorProps<BreakdownQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <SelectField
          id={`${idPrefix}-by`}
          label="Break down by"
          value={query.by}
          options={BY_OPTIONS}
          width={20}
          onChange={(v) => set('by', v, true)}
        />
        <NumberField
          id={`${idPrefix}-limit`}
          label="Top"
          tooltip="Number of values (at most 1000)"
          min={1}
          max={1000}
          value={query.limit}
          placeholder={String(SERVICE_DEFAULTS.breakdown.limit)}
          onChange={(v) => set('limit', v)}
          onBlur={onRunQuery}
        />
        <TextField
          id={`${idPrefix}-start`}
          label="Part start"
          width={20}
          placeholder="optional"
          tooltip="With the session id filter: start of the session part (epoch ms or $start)"
          value={query.start}
          onChange={(v) => set('start', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
        <TextField
          id={`${idPrefix}-end`}
          label="Part end"
          width={20}
          placeholder="optional"
          tooltip="With the session id filter: end of the session part (epoch ms or $end)"
          value={query.end}
          onChange={(v) => set('end', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
