import { SwitchField, TextField } from '../fields';
import { parseNumberOrText } from '../../data/update';
import { fieldSetter, type EditorProps } from './types';

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

/** Queries that split a key's requests into session parts (sessions, sequences). */
interface SplitQuery {
  idle_timeout_minutes?: number;
  split_by_day?: boolean;
}

/** How requests are split into session parts: the idle timeout and the midnight cut (one definition per editor). */
export function PartSplitFields<Q extends SplitQuery>(props: EditorProps<Q>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter<SplitQuery>(props as unknown as EditorProps<SplitQuery>);
  return (
    <>
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
        tooltip="Cut session parts at UTC midnight"
        value={query.split_by_day ?? true}
        onChange={(v) => set('split_by_day', v ? undefined : false, true)}
      />
    </>
  );
}

/** Queries that name one session part by its first and last request time (timeline, breakdown, sequences). */
interface RangeQuery {
  start?: number | string;
  end?: number | string;
}

/** The session part's start and end: epoch ms or a variable such as `$start` / `$end`. */
export function PartRangeFields<Q extends RangeQuery>(
  props: EditorProps<Q> & { placeholder: { start: string; end: string }; width?: number },
) {
  const { query, idPrefix, onRunQuery, placeholder, width } = props;
  const set = fieldSetter<RangeQuery>(props as unknown as EditorProps<RangeQuery>);
  return (
    <>
      <TextField
        id={`${idPrefix}-start`}
        label="Part start"
        width={width}
        placeholder={placeholder.start}
        tooltip="Start of the session part, epoch ms or a variable such as $start"
        value={query.start}
        onChange={(v) => set('start', parseNumberOrText(v ?? ''))}
        onBlur={onRunQuery}
      />
      <TextField
        id={`${idPrefix}-end`}
        label="Part end"
        width={width}
        placeholder={placeholder.end}
        tooltip="End of the session part, epoch ms or a variable such as $end"
        value={query.end}
        onChange={(v) => set('end', parseNumberOrText(v ?? ''))}
        onBlur={onRunQuery}
      />
    </>
  );
}
