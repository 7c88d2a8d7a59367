import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { TIMELINE_FORMAT, type TimelineQuery, SERVICE_DEFAULTS } from '../../types';
import { LABEL_WIDTH, NumberField, TextField, toOptions } from '../fields';
import { PartRangeFields } from './PartFields';
import { fieldSetter, type EditorProps } from './types';

const FORMAT_OPTIONS = toOptions(TIMELINE_FORMAT, { trace: 'Trace', table: 'Table' });

/** Editor of a `timeline` query: which session part, and trace or table. */
export function TimelineEditor(props: EditorProps<TimelineQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <TextField
          id={`${idPrefix}-session_id`}
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
            id={`${idPrefix}-format`}
            options={FORMAT_OPTIONS}
            value={query.format ?? 'trace'}
            onChange={(v) => set('format', v, true)}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <PartRangeFields {...props} placeholder={{ start: 'range start', end: 'range end' }} />
        <NumberField
          id={`${idPrefix}-page`}
          label="Page"
          min={0}
          value={query.page}
          placeholder={String(SERVICE_DEFAULTS.timeline.page)}
          onChange={(v) => set('page', v)}
          onBlur={onRunQuery}
        />
        <NumberField
          id={`${idPrefix}-page_size`}
          label="Page size"
          min={1}
          max={10000}
          value={query.page_size}
          placeholder={String(SERVICE_DEFAULTS.timeline.page_size)}
          onChange={(v) => set('page_size', v)}
          onBlur={onRunQuery}
        />
      </InlineFieldRow>
    </>
  );
}
