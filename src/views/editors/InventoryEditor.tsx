import { InlineFieldRow } from '@grafana/ui';
import { INVENTORY_SORT, type InventoryQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const SORT_OPTIONS = toOptions(INVENTORY_SORT);

/**
 * Editor of an `inventory` query: the endpoint list's order and size, and the shared filters (e.g. API status
 * `shadow,zombie` to list undocumented endpoints).
 */
export function InventoryEditor(props: EditorProps<InventoryQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <SelectField
          id={`${idPrefix}-sort`}
          label="Sort by"
          value={query.sort ?? 'requests'}
          options={SORT_OPTIONS}
          width={20}
          onChange={(v) => set('sort', v, true)}
        />
        <NumberField
          id={`${idPrefix}-limit`}
          label="Limit"
          tooltip="Endpoints to return (1–1000)"
          min={1}
          max={1000}
          value={query.limit}
          placeholder={String(SERVICE_DEFAULTS.inventory.limit)}
          onChange={(v) => set('limit', v)}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
