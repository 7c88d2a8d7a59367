import { InlineFieldRow } from '@grafana/ui';
import { SESSIONS_SORT, type SessionsQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { PartSplitFields } from './PartFields';
import { fieldSetter, type EditorProps } from './types';

const SORT_OPTIONS = toOptions(SESSIONS_SORT);

/** Editor of a `sessions` query: ordering, size, session splitting and the shared filters. */
export function SessionsEditor(props: EditorProps<SessionsQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <SelectField
          id={`${idPrefix}-sort`}
          label="Sort by"
          value={query.sort ?? 'last_activity'}
          options={SORT_OPTIONS}
          width={20}
          onChange={(v) => set('sort', v, true)}
        />
        <NumberField
          id={`${idPrefix}-limit`}
          label="Limit"
          tooltip="Sessions to return (1–1000)"
          min={1}
          max={1000}
          value={query.limit}
          placeholder={String(SERVICE_DEFAULTS.sessions.limit)}
          onChange={(v) => set('limit', v)}
          onBlur={onRunQuery}
        />
        <PartSplitFields {...props} />
      </InlineFieldRow>
      <InlineFieldRow>
        <NumberField
          id={`${idPrefix}-min_requests`}
          label="Min requests"
          min={1}
          value={query.min_requests}
          placeholder="any"
          onChange={(v) => set('min_requests', v)}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-min_attacks`}
          label="Min attacks"
          min={1}
          value={query.min_attacks}
          placeholder="any"
          onChange={(v) => set('min_attacks', v)}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
