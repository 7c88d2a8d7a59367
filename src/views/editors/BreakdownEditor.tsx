import { InlineFieldRow } from '@grafana/ui';
import { BREAKDOWN_BY, type BreakdownQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { PartRangeFields } from './PartFields';
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
        <PartRangeFields {...props} width={20} placeholder={{ start: 'optional', end: 'optional' }} />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
