import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { SEQUENCES_FORMAT, SERVICE_DEFAULTS, type SequencesQuery } from '../../types';
import { LABEL_WIDTH, NumberField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { PartRangeFields, PartSplitFields } from './PartFields';
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
        <PartSplitFields {...props} />
      </InlineFieldRow>
      <InlineFieldRow>
        <PartRangeFields {...props} placeholder={{ start: 'all parts', end: 'all parts' }} />
      </InlineFieldRow>
      <FiltersEditor {...props} />
    </>
  );
}
