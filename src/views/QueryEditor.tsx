import type { QueryEditorProps } from '@grafana/data';
import { InlineFieldRow, Stack, Text } from '@grafana/ui';
import type { ComponentType } from 'react';
import { changeQueryType, incompleteReason, withDefaults } from '../data/defaults';
import { migrateQuery, unknownKeys } from '../data/query-model';
import type { DataSource } from '../datasource';
import { QUERY_TYPES, type ApiSessionsOptions, type ApiSessionsQuery, type QueryOf, type QueryType } from '../types';
import { BlocksEditor } from './editors/BlocksEditor';
import { BreakdownEditor } from './editors/BreakdownEditor';
import { InventoryEditor } from './editors/InventoryEditor';
import { PatternsEditor } from './editors/PatternsEditor';
import { PerformanceEditor } from './editors/PerformanceEditor';
import { RequestsEditor } from './editors/RequestsEditor';
import { SequencesEditor } from './editors/SequencesEditor';
import { SessionsEditor } from './editors/SessionsEditor';
import { TimelineEditor } from './editors/TimelineEditor';
import type { EditorProps } from './editors/types';
import { SelectField } from './fields';

/** One editor per query type. */
const EDITORS: { [T in QueryType]: ComponentType<EditorProps<QueryOf<T>>> } = {
  sessions: SessionsEditor,
  timeline: TimelineEditor,
  requests: RequestsEditor,
  breakdown: BreakdownEditor,
  performance: PerformanceEditor,
  patterns: PatternsEditor,
  inventory: InventoryEditor,
  blocks: BlocksEditor,
  sequences: SequencesEditor,
};

const TYPE_OPTIONS = QUERY_TYPES.map((t) => ({ value: t.value, label: t.label, description: t.description }));

/** Props of the query editor. */
export type Props = QueryEditorProps<DataSource, ApiSessionsQuery, ApiSessionsOptions>;

/**
 * The query editor: a query-type selector, then the editor of that type. A saved query is migrated first
 * (query-model.ts); keys nobody knows are named, since the service refuses them.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const current = withDefaults(migrateQuery(query));
  const unknown = unknownKeys(current);
  const Editor = EDITORS[current.queryType] as ComponentType<EditorProps<ApiSessionsQuery>>;
  const problem = incompleteReason(current);
  return (
    <Stack direction="column" gap={0.5}>
      <InlineFieldRow>
        <SelectField<QueryType>
          id={`${query.refId}-query-type`}
          label="Query type"
          value={current.queryType}
          options={TYPE_OPTIONS}
          width={24}
          onChange={(type) => {
            if (type && type !== current.queryType) {
              onChange(changeQueryType(current, type));
              onRunQuery();
            }
          }}
        />
        {problem && (
          <Text color="warning" variant="bodySmall">
            Not run yet: {problem}
          </Text>
        )}
      </InlineFieldRow>
      {unknown.length > 0 && (
        <Text color="error" variant="bodySmall">
          Unknown parameters (the service refuses them; remove them in the query JSON): {unknown.join(', ')}
        </Text>
      )}
      <Editor query={current} onChange={onChange} onRunQuery={onRunQuery} idPrefix={query.refId} />
    </Stack>
  );
}
