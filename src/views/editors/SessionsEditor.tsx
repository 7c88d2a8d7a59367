import { InlineFieldRow } from '@grafana/ui';
import { SESSIONS_SORT, type SessionsQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, SwitchField, TextField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const SORT_OPTIONS = toOptions(SESSIONS_SORT);

/**
 * The idle timeout as typed: whole minutes become a number, anything else (a template variable such as the bundled
 * dashboards' `$idle_timeout`) stays text for interpolateQuery to turn into a number; empty = data source default.
 * @example parseIdleTimeout('15') → 15; parseIdleTimeout('$idle_timeout') → '$idle_timeout'; parseIdleTimeout('') → undefined
 */
export function parseIdleTimeout(text: string | undefined): number | string | undefined {
  const value = text?.trim() ?? '';
  if (value === '') {
    return undefined;
  }
  return /^\d+$/.test(value) ? Number(value) : value;
}

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
        <TextField
          id={`${idPrefix}-idle_timeout_minutes`}
          label="Idle timeout"
          tooltip="Minutes, or a dashboard variable such as $idle_timeout: a gap longer than this starts a new session part; 0 = never split. Empty = data source default."
          value={query.idle_timeout_minutes}
          placeholder="minutes"
          width={16}
          // A variable reference is text until interpolated (the generated query type only knows the number).
          onChange={(v) => set('idle_timeout_minutes', parseIdleTimeout(v) as number | undefined)}
          onBlur={onRunQuery}
        />
        <SwitchField
          id={`${idPrefix}-split_by_day`}
          label="Split by day"
          tooltip="Cut sessions at UTC midnight"
          value={query.split_by_day ?? true}
          onChange={(v) => set('split_by_day', v ? undefined : false, true)}
        />
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
