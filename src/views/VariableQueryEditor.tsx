import type { QueryEditorProps } from '@grafana/data';
import { InlineFieldRow } from '@grafana/ui';
import { setField } from '../data/update';
import type { DataSource } from '../datasource';
import { VALUE_FIELDS, type ApiSessionsOptions, type ApiSessionsQuery, type VariableQuery } from '../types';
import { NumberField, SelectField, TextField, toOptions } from './fields';

const FIELD_OPTIONS = toOptions(VALUE_FIELDS, { attack_type: 'Attack type', api_status: 'API status' });

/** Props of the variable query editor. */
export type Props = QueryEditorProps<DataSource, ApiSessionsQuery, ApiSessionsOptions, VariableQuery>;

/** Editor of a template-variable query: the values of one field, optionally by prefix, at most N. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const current: VariableQuery = { ...query, field: query.field ?? 'host' };
  const id = `variable-${query.refId ?? 'A'}`;
  return (
    <InlineFieldRow>
      <SelectField
        id={`${id}-field`}
        label="Values of"
        value={current.field}
        options={FIELD_OPTIONS}
        width={20}
        onChange={(v) => onChange(setField(current, 'field', v ?? 'host'))}
      />
      <TextField
        id={`${id}-prefix`}
        label="Prefix"
        placeholder="any"
        value={current.prefix}
        tooltip="Only values starting with this text"
        onChange={(v) => onChange(setField(current, 'prefix', v))}
      />
      <NumberField
        id={`${id}-limit`}
        label="Limit"
        min={1}
        value={current.limit}
        placeholder="100"
        onChange={(v) => onChange(setField(current, 'limit', v))}
      />
    </InlineFieldRow>
  );
}
