import { buildIsmPolicy, expiredIndices, planIsmPolicy, readStoredIsmPolicy } from './retention';
import {
  indexForTime,
  indicesForRange,
  ismPolicyName,
  prefixProblem,
  requestIndexPattern,
  templateName,
} from './indices';

describe('retention', () => {
  const now = Date.UTC(2026, 10, 28, 10, 0, 0);
  it('expires only days wholly before now − retention, and only our own indices', () => {
    const names = [
      'p-requests-2026.11.20',
      'p-requests-2026.11.21',
      'p-requests-2026.11.28',
      'other-requests-2026.01.01',
      'p-requests-x',
    ];
    expect(expiredIndices('p', names, now, 7)).toEqual(['p-requests-2026.11.20']);
  });
  it('ships an ISM policy with the configured age and pattern', () => {
    expect(JSON.stringify(buildIsmPolicy('p', 3))).toContain('"min_index_age":"3d"');
    expect(JSON.stringify(buildIsmPolicy('p', 3))).toContain('"index_patterns":["p-requests-2*"]');
  });
  it('gives prefixes patterns that never match the indices of another (api, api-requests-x)', () => {
    const matches = (pattern: string, index: string) => index.startsWith(pattern.slice(0, -1)) && pattern.endsWith('*');
    const prefixes = ['api', 'api-requests-x', 'api-requests', 'api-requests-requests', 'a', 'api-x'];
    for (const p of prefixes)
      for (const q of prefixes) {
        const index = indexForTime(q, Date.UTC(2026, 0, 2));
        expect([p, q, matches(requestIndexPattern(p), index)]).toEqual([p, q, p === q]);
        expect(expiredIndices(p, [index], Date.UTC(2030, 0, 1), 7)).toEqual(p === q ? [index] : []);
      }
    expect(new Set(prefixes.map(templateName)).size).toBe(prefixes.length);
    expect(new Set(prefixes.map(ismPolicyName)).size).toBe(prefixes.length);
    expect(prefixProblem('api-requests-2x')).toMatch(/-requests- followed by a digit/);
    expect(prefixProblem('api-requests-x')).toBeUndefined();
  });
  it('names daily indices by UTC day', () => {
    expect(indexForTime('p', Date.UTC(2026, 0, 2, 23, 59))).toBe('p-requests-2026.01.02');
    expect(indicesForRange('p', Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 0, 3, 1))).toBe(
      'p-requests-2026.01.01,p-requests-2026.01.02,p-requests-2026.01.03',
    );
  });
});

/**
 * Shaped like ISM's answer to `GET _plugins/_ism/policies/<id>` (per the ISM API docs, with the fields ISM adds to a
 * stored policy). Not recorded from a live cluster: the local test node has no ISM plugin (opensearch-local/README.md).
 */
const storedAnswer = (age: string, pattern: string, seqNo = 4, primaryTerm = 1) => ({
  _id: 'p-retention',
  _version: 2,
  _seq_no: seqNo,
  _primary_term: primaryTerm,
  policy: {
    policy_id: 'p-retention',
    description: 'API Sessions: delete daily request indices after the retention window (RETENTION_DAYS).',
    last_updated_time: 1764470000000,
    schema_version: 21,
    error_notification: null,
    default_state: 'hot',
    states: [
      { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: age } }] },
      {
        name: 'delete',
        actions: [{ retry: { count: 3, backoff: 'exponential', delay: '1m' }, delete: {} }],
        transitions: [],
      },
    ],
    ism_template: [{ index_patterns: [pattern], priority: 100, last_updated_time: 1764470000000 }],
  },
});

describe('ISM policy updates (RETENTION_DAYS changed)', () => {
  it('reads seq_no, primary term, age and pattern from a stored policy', () => {
    expect(readStoredIsmPolicy(storedAnswer('7d', 'p-requests-2*', 9, 2))).toEqual({
      seqNo: 9,
      primaryTerm: 2,
      minIndexAge: '7d',
      indexPatterns: ['p-requests-2*'],
    });
    expect(readStoredIsmPolicy({ error: { type: 'status_exception' }, status: 404 })).toBeUndefined();
  });
  it('creates a missing policy, leaves an equal one alone, updates a changed one conditionally', () => {
    expect(planIsmPolicy(undefined, 'p', 7)).toEqual({ action: 'create' });
    expect(planIsmPolicy(readStoredIsmPolicy(storedAnswer('7d', 'p-requests-2*')), 'p', 7)).toEqual({
      action: 'unchanged',
    });
    // 7 → 3 days: the PUT must carry the stored seq_no and primary term, or OpenSearch answers 409.
    expect(planIsmPolicy(readStoredIsmPolicy(storedAnswer('7d', 'p-requests-2*', 4, 1)), 'p', 3)).toEqual({
      action: 'update',
      if_seq_no: 4,
      if_primary_term: 1,
    });
    // A pattern from an older release (`p-requests-*`) is replaced too.
    expect(planIsmPolicy(readStoredIsmPolicy(storedAnswer('3d', 'p-requests-*', 5, 1)), 'p', 3)).toMatchObject({
      action: 'update',
    });
  });
});
