import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { parseNumberOrText } from '../../data/update';
import { TIMELINE_FORMATS, type TimelineQuery } from '../../types';
import { LABEL_WIDTH, NumberField, TextField, toOptions } from '../fields';
import { fieldSetter, type EditorProps } from './types';

const FORMAT_OPTIONS = toOptions(TIMELINE_FORMATS, { trace: 'Trace', table: 'Table' });

/** Editor of a `timeline` query: which session part, and trace or table. */
export function TimelineEditor(props: EditorProps<TimelineQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <TextField
          id={`${idPrefix}-timeline-session-id`}
          label="Session id"
          width={40}
          placeholder="$session"
          tooltip="Session id (required); template variables allowed"
          value={query.session_id}
          onChange={(v) => set('session_id', v ?? '')}
          onBlur={onRunQuery}
        />
        <InlineField label="Format" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup
            id={`${idPrefix}-timeline-format`}
            options={FORMAT_OPTIONS}
            value={query.format ?? 'trace'}
            onChange={(v) => set('format', v, true)}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <TextField
          id={`${idPrefix}-timeline-start`}
          label="Part start"
          placeholder="range start"
          tooltip="Start of the session part, epoch ms or a variable such as $start"
          value={query.start}
          onChange={(v) => set('start', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
        <TextField
          id={`${idPrefix}-timeline-end`}
          label="Part end"
          placeholder="range end"
          tooltip="End of the session part, epoch ms or a variable such as $end"
          value={query.end}
          onChange={(v) => set('end', parseNumberOrText(v ?? ''))}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-timeline-page`}
          label="Page"
          min={0}
          value={query.page}
          placeholder="0"
          onChange={(v) => set('page', v)}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-timeline-page-size`}
          label="Page size"
          min={1}
          max={10000}
          value={query.page_size}
          placeholder="10000"
          onChange={(v) => set('page_size', v)}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
    </>
  );
}
