import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { REQUESTS_FORMAT, type RequestsQuery, SERVICE_DEFAULTS } from '../../types';
import { LABEL_WIDTH, NumberField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const FORMAT_OPTIONS = toOptions(REQUESTS_FORMAT, { table: 'Table', logs: 'Logs' });

/** Editor of a `requests` query: table or logs, paging, and the shared filters. */
export function RequestsEditor(props: EditorProps<RequestsQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Format" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup
            id={`${idPrefix}-format`}
            options={FORMAT_OPTIONS}
            value={query.format ?? 'table'}
            onChange={(v) => set('format', v, true)}
          />
        </InlineField>
        <NumberField
          id={`${idPrefix}-page`}
          label="Page"
          min={0}
          value={query.page}
          placeholder={String(SERVICE_DEFAULTS.requests.page)}
          onChange={(v) => set('page', v)}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-page_size`}
          label="Page size"
          min={1}
          max={1000}
          value={query.page_size}
          placeholder={String(SERVICE_DEFAULTS.requests.page_size)}
          onChange={(v) => set('page_size', v)}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
