import { QUERY_DEFAULTS } from '../data/defaults';
import { isQueryType, QUERY_TYPES } from './query-types';

describe('QUERY_TYPES', () => {
  it('has a label and a description for every type', () => {
    for (const t of QUERY_TYPES) {
      expect(t.label).not.toBe('');
      expect(t.description).not.toBe('');
    }
  });

  it('has defaults for exactly the listed types', () => {
    expect(Object.keys(QUERY_DEFAULTS).sort()).toEqual(QUERY_TYPES.map((t) => t.value).sort());
    for (const [type, defaults] of Object.entries(QUERY_DEFAULTS)) {
      expect(defaults.queryType).toBe(type);
    }
  });

  it('recognises query types', () => {
    expect(isQueryType('patterns')).toBe(true);
    expect(isQueryType('inventory')).toBe(true);
    expect(isQueryType('logs')).toBe(false);
    expect(isQueryType(undefined)).toBe(false);
  });
});
