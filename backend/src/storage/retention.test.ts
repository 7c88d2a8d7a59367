import { buildIsmPolicy, expiredIndices } from './retention';
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
