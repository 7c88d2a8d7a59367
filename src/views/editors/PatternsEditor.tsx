import { InlineFieldRow } from '@grafana/ui';
import { takesThreshold } from '../../data/defaults';
import { setField } from '../../data/update';
import { PATTERNS_CONDITION, PATTERNS_GROUP_BY, type PatternsQuery, SERVICE_DEFAULTS } from '../../types';
import { NumberField, SelectField, TextField, toOptions } from '../fields';
import { FiltersEditor } from './FiltersEditor';
import { PartSplitFields } from './PartFields';
import { fieldSetter, type EditorProps } from './types';

const CONDITION_OPTIONS = toOptions(PATTERNS_CONDITION, {
  attacks: 'Attacks ≥ N',
  auth_failures: 'Auth failures ≥ N (401/403)',
  distinct_endpoints: 'Distinct endpoints ≥ N',
  rate: 'Requests per minute ≥ N',
  blocked: 'Any blocked request',
  endpoint: 'Any request to endpoint',
  shadow_or_zombie: 'Called a shadow or zombie endpoint ≥ N times',
  skipped_step: 'Skipped a step (e.g. checkout without a cart)',
});
type PatternCondition = PatternsQuery['condition'];

const GROUP_BY_OPTIONS = toOptions(PATTERNS_GROUP_BY, { client_ip: 'Client IP' });

/** What the threshold N counts, per condition that takes one (the session's requests in one interval). */
const THRESHOLD_HELP: Partial<Record<PatternCondition, string>> = {
  attacks: 'Minimum number of attacks by the session in the interval',
  auth_failures: 'Minimum number of 401/403 answers on endpoints matching the pattern, per session and interval',
  distinct_endpoints: 'Minimum number of distinct endpoints the session called in the interval',
  rate: 'Minimum number of requests by the session in one minute',
  shadow_or_zombie:
    'Minimum number of requests to shadow (in no spec version) or zombie (only in an earlier spec version) ' +
    'endpoints by the session in the interval',
};
/** Conditions that match endpoints against a pattern. */
const WITH_PATTERN: ReadonlySet<PatternCondition> = new Set(['auth_failures', 'endpoint', 'skipped_step']);
/** What the endpoint pattern selects, where it is not "endpoints to watch". */
const PATTERN_HELP: Partial<Record<PatternCondition, string>> = {
  skipped_step: 'The guarded step, e.g. /api/checkout; * matches anything',
};
/** Parameters only skipped_step takes (the service refuses them with other conditions). */
const SKIPPED_STEP_ONLY = ['predecessor_pattern', 'idle_timeout_minutes', 'split_by_day'] as const;

/** Editor of a `patterns` query (alertable): condition, threshold, endpoint pattern, grouping and filters. */
export function PatternsEditor(props: EditorProps<PatternsQuery>) {
  const { query, idPrefix, onRunQuery } = props;
  const set = fieldSetter(props);
  return (
    <>
      <InlineFieldRow>
        <SelectField
          id={`${idPrefix}-condition`}
          label="Condition"
          value={query.condition}
          options={CONDITION_OPTIONS}
          width={32}
          onChange={(v) => {
            // Drop parameters the new condition does not take, so the saved query says what it does.
            let next = setField(query, 'condition', v ?? 'attacks');
            if (!takesThreshold(next.condition)) {
              next = setField(next, 'threshold', undefined);
            }
            if (!WITH_PATTERN.has(next.condition)) {
              next = setField(next, 'endpoint_pattern', undefined);
            }
            if (next.condition !== 'skipped_step') {
              for (const key of SKIPPED_STEP_ONLY) {
                next = setField(next, key, undefined);
              }
            }
            props.onChange(next);
            onRunQuery();
          }}
        />
        {takesThreshold(query.condition) && (
          <NumberField
            id={`${idPrefix}-threshold`}
            label="Threshold (N)"
            tooltip={THRESHOLD_HELP[query.condition]}
            min={1}
            value={query.threshold}
            placeholder={String(SERVICE_DEFAULTS.patterns.threshold)}
            onChange={(v) => set('threshold', v)}
            onBlur={onRunQuery}
          />
        )}
        {WITH_PATTERN.has(query.condition) && (
          <TextField
            id={`${idPrefix}-endpoint_pattern`}
            label="Endpoint pattern"
            labelWidth={20}
            placeholder={query.condition === 'skipped_step' ? '/api/checkout' : '*login*'}
            tooltip={PATTERN_HELP[query.condition] ?? 'Endpoints to watch; * matches anything'}
            value={query.endpoint_pattern}
            onChange={(v) => set('endpoint_pattern', v)}
            onBlur={onRunQuery}
          />
        )}
        {query.condition === 'skipped_step' && (
          <TextField
            id={`${idPrefix}-predecessor_pattern`}
            label="Predecessor pattern"
            labelWidth={22}
            placeholder="/api/cart/items*"
            tooltip="The step that must come first: a session part that requests the endpoint without an earlier request matching this counts; * matches anything"
            value={query.predecessor_pattern}
            onChange={(v) => set('predecessor_pattern', v)}
            onBlur={onRunQuery}
          />
        )}
        <SelectField
          id={`${idPrefix}-group_by`}
          label="Group by"
          value={query.group_by}
          options={GROUP_BY_OPTIONS}
          width={20}
          isClearable
          placeholder="none"
          onChange={(v) => set('group_by', v, true)}
        />
      </InlineFieldRow>
      {query.condition === 'skipped_step' && (
        <InlineFieldRow>
          <PartSplitFields {...props} />
        </InlineFieldRow>
      )}
      <FiltersEditor {...props} />
    </>
  );
}
