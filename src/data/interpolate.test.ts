import { BOOLEAN_FILTER_NAMES, FILTER_NAMES, type ApiSessionsQuery } from '../types';

const TEXT_FILTERS = FILTER_NAMES.filter((f) => !(BOOLEAN_FILTER_NAMES as readonly string[]).includes(f));
import { interpolateQuery } from './interpolate';

const vars: Record<string, string> = {
  $v: 'value',
  $empty: '',
  $start: '1700000000000',
  $end: '1700000600000',
  $status: '404',
  $class: '4xx',
};
const replace = (text: string) => text.replace(/\$\w+/g, (name) => vars[name] ?? name);

describe('interpolateQuery', () => {
  it.each(TEXT_FILTERS.filter((f) => f !== 'status'))('interpolates the %s filter', (name) => {
    const query = { refId: 'A', queryType: 'requests', [name]: 'x-$v' } as ApiSessionsQuery;
    expect(interpolateQuery(query, replace)).toEqual({ refId: 'A', queryType: 'requests', [name]: 'x-value' });
  });

  it('interpolates the text fields of every query type', () => {
    const cases: ApiSessionsQuery[] = [
      { refId: 'A', queryType: 'timeline', session_id: '$v', start: '$start', end: '$end' },
      { refId: 'A', queryType: 'breakdown', by: 'status', session_id: '$v', start: '$start', end: '$end' },
      { refId: 'A', queryType: 'patterns', condition: 'auth_failures', endpoint_pattern: '*$v*' },
    ];
    expect(cases.map((q) => interpolateQuery(q, replace))).toEqual([
      { refId: 'A', queryType: 'timeline', session_id: 'value', start: 1700000000000, end: 1700000600000 },
      {
        refId: 'A',
        queryType: 'breakdown',
        by: 'status',
        session_id: 'value',
        start: 1700000000000,
        end: 1700000600000,
      },
      { refId: 'A', queryType: 'patterns', condition: 'auth_failures', endpoint_pattern: '*value*' },
    ]);
  });

  it('turns a numeric status into a number and keeps a class as text', () => {
    const q = (status: string) => ({ refId: 'A', queryType: 'requests', status }) as ApiSessionsQuery;
    expect(interpolateQuery(q('$status'), replace)).toMatchObject({ status: 404 });
    expect(interpolateQuery(q('$class'), replace)).toMatchObject({ status: '4xx' });
  });

  it('turns a numeric idle timeout into a number and drops an empty one (the data source default applies)', () => {
    const q = (idle: string) =>
      ({ refId: 'A', queryType: 'sessions', idle_timeout_minutes: idle }) as unknown as ApiSessionsQuery;
    const timeouts: Record<string, string> = { $idle_timeout: '45', $zero: '0', $unset: '' };
    const r = (text: string) => text.replace(/\$\w+/g, (name) => timeouts[name] ?? name);
    expect(interpolateQuery(q('$idle_timeout'), r)).toEqual({
      refId: 'A',
      queryType: 'sessions',
      idle_timeout_minutes: 45,
    });
    expect(interpolateQuery(q('$zero'), r)).toMatchObject({ idle_timeout_minutes: 0 });
    expect(interpolateQuery(q('$unset'), r)).toEqual({ refId: 'A', queryType: 'sessions' });
  });

  it('drops fields whose variable is empty', () => {
    const query: ApiSessionsQuery = { refId: 'A', queryType: 'sessions', host: '$empty', user: '$v' };
    expect(interpolateQuery(query, replace)).toEqual({ refId: 'A', queryType: 'sessions', user: 'value' });
  });

  it('leaves numbers, booleans, refId, queryType and the datasource alone', () => {
    const query: ApiSessionsQuery = {
      refId: '$v',
      queryType: 'sessions',
      datasource: { uid: '$v' },
      limit: 5,
      attacked: true,
      split_by_day: false,
    };
    expect(interpolateQuery(query, replace)).toEqual(query);
  });
});
