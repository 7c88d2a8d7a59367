import { InputError } from '../../http/errors';
import { parseQuery } from '../registry';
import {
  LOOKBACK_MS,
  buildSkippedStepBody,
  lookbackFrom,
  toStepBucket,
  type RawStepCell,
} from './patterns-skipped-step';

const fieldsOf = (body: Record<string, unknown>) => {
  try {
    parseQuery({ queryType: 'patterns', ...body });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).details?.map((d) => d.field);
  }
  return [];
};

describe('skipped_step parameters', () => {
  it('needs both patterns, each named when missing', () => {
    expect(fieldsOf({ condition: 'skipped_step' })).toEqual(['endpoint_pattern', 'predecessor_pattern']);
    expect(fieldsOf({ condition: 'skipped_step', endpoint_pattern: '/api/checkout' })).toEqual(['predecessor_pattern']);
    const ok = { condition: 'skipped_step', endpoint_pattern: '/api/checkout', predecessor_pattern: '/api/cart*' };
    expect(fieldsOf({ ...ok, idle_timeout_minutes: 15, split_by_day: 'false', group_by: 'host' })).toEqual([]);
    expect(fieldsOf({ ...ok, predecessor_pattern: '*'.repeat(9) })).toEqual(['predecessor_pattern']);
    expect(fieldsOf({ ...ok, idle_timeout_minutes: 0.5 })).toEqual(['idle_timeout_minutes']);
  });

  it('are refused with the other conditions, each named', () => {
    const body = { condition: 'attacks', predecessor_pattern: '/a', idle_timeout_minutes: 30, split_by_day: true };
    expect(fieldsOf(body)).toEqual(['predecessor_pattern', 'idle_timeout_minutes', 'split_by_day']);
  });
});

describe('buildSkippedStepBody', () => {
  const guarded = [{ wildcard: { endpoint: { value: '/api/checkout' } } }, { term: { host: { value: 'shop' } } }];
  const predecessor = { wildcard: { endpoint: { value: '/api/cart/items*' } } };

  it('buckets all requests of the keys by (key, W) with the first guarded and first predecessor request', () => {
    const body = buildSkippedStepBody(
      { from: 0, to: 9, widthMs: 1_800_000, keys: ['a'], guarded, predecessor },
      { k: 'a', t: 0 },
    );
    expect(body.query.bool.filter).toEqual([
      { range: { ts: { gte: 0, lte: 9, format: 'epoch_millis' } } },
      { terms: { 'session.key': ['a'] } },
    ]);
    expect(body.aggs.cells.composite).toMatchObject({
      sources: [
        { k: { terms: { field: 'session.key' } } },
        { t: { date_histogram: { field: 'ts', fixed_interval: '30m' } } },
      ],
      after: { k: 'a', t: 0 },
    });
    expect(body.aggs.cells.aggs).toEqual({
      start: { min: { field: 'ts' } },
      end: { max: { field: 'ts' } },
      guarded: { filter: { bool: { filter: guarded } }, aggs: { first: { min: { field: 'ts' } } } },
      predecessor: { filter: predecessor, aggs: { first: { min: { field: 'ts' } } } },
    });
  });

  it('labels cells by the most frequent group_by value of their guarded requests', () => {
    const body = buildSkippedStepBody(
      { from: 0, to: 9, widthMs: 86_400_000, guarded, predecessor, labelField: 'client_ip' },
      undefined,
    );
    expect(body.query.bool.filter).toHaveLength(1);
    expect((body.aggs.cells.aggs as Record<string, { aggs?: unknown }>).guarded.aggs).toEqual({
      first: { min: { field: 'ts' } },
      label: { terms: { field: 'client_ip', size: 1 } },
    });
  });
});

describe('toStepBucket', () => {
  const cell = (guarded: number, predecessor: number, label?: string): RawStepCell => ({
    key: { k: 'a' },
    doc_count: 3,
    start: { value: 10 },
    end: { value: 30 },
    guarded: {
      doc_count: guarded,
      first: { value: guarded ? 20 : null },
      ...(label !== undefined ? { label: { buckets: guarded ? [{ key: label }] : [] } } : {}),
    },
    predecessor: { doc_count: predecessor, first: { value: predecessor ? 15 : null } },
  });

  it('reads the bounds and first times; empty filters are null', () => {
    expect(toStepBucket(cell(1, 0))).toEqual({
      key: 'a',
      start: 10,
      end: 30,
      firstGuarded: 20,
      firstPredecessor: null,
    });
    expect(toStepBucket(cell(0, 1))).toEqual({
      key: 'a',
      start: 10,
      end: 30,
      firstGuarded: null,
      firstPredecessor: 15,
    });
  });

  it('labels only cells with a guarded request', () => {
    expect(toStepBucket(cell(1, 0, '10.0.0.1')).label).toBe('10.0.0.1');
    expect(toStepBucket(cell(0, 1, '10.0.0.1'))).not.toHaveProperty('label');
  });
});

describe('lookbackFrom', () => {
  it("reads parts from the range's UTC midnight when they split there, else 24 h back", () => {
    const from = Date.UTC(2026, 10, 30, 13, 5);
    expect(lookbackFrom(from, true)).toBe(Date.UTC(2026, 10, 30));
    expect(lookbackFrom(Date.UTC(2026, 10, 30), true)).toBe(Date.UTC(2026, 10, 30));
    expect(lookbackFrom(from, false)).toBe(from - LOOKBACK_MS);
  });
});
