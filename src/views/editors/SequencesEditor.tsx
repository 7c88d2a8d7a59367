import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { parseNumberOrText } from '../../data/update';
import { SEQUENCES_FORMAT, SERVICE_DEFAULTS, type SequencesQuery } from '../../types';
import { LABEL_WIDTH, NumberField, SwitchField, TextField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { fieldSetter, type EditorProps } from './types';

const FORMAT_OPTIONS = toOptions(SEQUENCES_FORMAT, { graph: 'Node graph', table: 'Table' });

/**
 * Editor of a `sequences` query: the paths sessions take. With a session id and the part's start and end it shows
 * that part's exact path; without, the top transitions across the sessions matching the filters.
 */
export function SequencesEditor(props: EditorProps<SequencesQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Format" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup
            id={`${idPrefix}-format`}
            options={FORMAT_OPTIONS}
            value={query.format ?? SERVICE_DEFAULTS.sequences.format}
            onChange={(v) => set('format', v, true)}
          />
        </InlineField>
        <NumberField
          id={`${idPrefix}-limit`}
          label="Transitions"
          tooltip="The most transitions shown, the most frequent first (1–500)"
          min={1}
          max={500}
          value={query.limit}
          placeholder={String(SERVICE_DEFAULTS.sequences.limit)}
          onChange={(v) => set('limit', v)}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-idle_timeout_minutes`}
          label="Idle timeout"
          min={0}
          tooltip="Minutes: a gap longer than this starts a new session part (no transition across it); 0 = never split. Empty = data source default."
          value={query.idle_timeout_minutes}
          placeholder="minutes"
          onChange={(v) => set('idle_timeout_minutes', v)}
          onBlur={onRunQuery}
        />
        <SwitchField
          id={`${idPrefix}-split_by_day`}
          label="Split by day"
          tooltip="Cut session parts at UTC midnight"
          value={query.split_by_day ?? true}
          onChange={(v) => set('split_by_day', v ? undefined : false, true)}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <TextField
          id={`${idPrefix}-start`}
          label="Part start"
          placeholder="all parts"
          tooltip="With a session id filter and the part end: one session part's exact path (epoch ms or a variable such as $start)"
          value={query.start}
          onChange={(v) => set('start', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
        <TextField
          id={`${idPrefix}-end`}
          label="Part end"
          placeholder="all parts"
          tooltip="The part's last request time (epoch ms or a variable such as $end)"
          value={query.end}
          onChange={(v) => set('end', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
