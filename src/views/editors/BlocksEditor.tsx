import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { BLOCKS_FORMAT, BLOCKS_STATE, type BlocksQuery, SERVICE_DEFAULTS } from '../../types';
import { LABEL_WIDTH, NumberField, SelectField, toOptions } from '../fields';
import { fieldSetter, type EditorProps } from './types';

const STATE_OPTIONS = toOptions(BLOCKS_STATE, {
  active: 'Active',
  expired: 'Ended or expired',
  all: 'All',
});
const FORMAT_OPTIONS = toOptions(BLOCKS_FORMAT, { blocks: 'Blocks', history: 'History' });

/**
 * Editor of a `blocks` query (the Blocks panel): which blocks (active, ended or expired, all), one row per block or
 * one per history event, and how many. The dashboard time range does not filter blocks.
 */
export function BlocksEditor(props: EditorProps<BlocksQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <InlineFieldRow>
      <SelectField
        id={`${idPrefix}-state`}
        label="Blocks"
        value={query.state ?? 'active'}
        options={STATE_OPTIONS}
        width={20}
        onChange={(v) => set('state', v, true)}
      />
      <InlineField
        label="Rows"
        labelWidth={LABEL_WIDTH}
        tooltip="One row per block, or one per created / ended / expired event"
      >
        <RadioButtonGroup
          id={`${idPrefix}-format`}
          options={FORMAT_OPTIONS}
          value={query.format ?? 'blocks'}
          onChange={(v) => set('format', v, true)}
        />
      </InlineField>
      <NumberField
        id={`${idPrefix}-limit`}
        label="Limit"
        tooltip="Blocks to read, newest first (1–1000)"
        min={1}
        max={1000}
        value={query.limit}
        placeholder={String(SERVICE_DEFAULTS.blocks.limit)}
        onChange={(v) => set('limit', v)}
        onBlur={onRunQuery}
      />
    </InlineFieldRow>
  );
}
