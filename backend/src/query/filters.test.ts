import { z } from 'zod';
import { buildFilterClauses, escapeRegex, filterShape, isIpOrCidr, splitList, wildcardPattern } from './filters';

describe('buildFilterClauses', () => {
  test('maps every filter to term/prefix/exists clauses', () => {
    expect(
      buildFilterClauses({
        host: 'h',
        app: 'a',
        method: 'GET',
        user: 'u',
        role: 'r',
        attack_type: 'sqli',
        session_id: 's',
        request_id: 'i',
        client_ip: '10.0.0.0/8',
        endpoint: '/api/*',
        status: '4xx',
        attacked: true,
        blocked: 'false',
        bot: 'any',
      }),
    ).toEqual([
      { term: { host: { value: 'h' } } },
      { term: { app: { value: 'a' } } },
      { term: { method: { value: 'GET' } } },
      { term: { user: { value: 'u' } } },
      { term: { role: { value: 'r' } } },
      { term: { attack_types: { value: 'sqli' } } },
      { term: { 'session.key': { value: 's' } } },
      { term: { id: { value: 'i' } } },
      { term: { client_ip: { value: '10.0.0.0/8' } } },
      { prefix: { endpoint: { value: '/api/' } } },
      { term: { status_class: { value: '4xx' } } },
      { term: { attacked: { value: true } } },
      { term: { blocked: { value: false } } },
      { exists: { field: 'bot.type' } },
    ]);
  });

  test('exact status, bot type, empty strings ignored', () => {
    expect(buildFilterClauses({ status: 404, bot: 'scraper', host: '', endpoint: '/x' })).toEqual([
      { term: { endpoint: { value: '/x' } } },
      { term: { status: { value: 404 } } },
      { term: { 'bot.type': { value: 'scraper' } } },
    ]);
  });

  test('api_status: one value is a term, a comma-separated list is a terms clause; flow is a term on flows', () => {
    expect(buildFilterClauses({ api_status: 'shadow', flow: 'billing' })).toEqual([
      { term: { flows: { value: 'billing' } } },
      { term: { api_status: { value: 'shadow' } } },
    ]);
    expect(buildFilterClauses({ api_status: 'shadow, zombie,shadow' })).toEqual([
      { terms: { api_status: ['shadow', 'zombie'] } },
    ]);
    expect(buildFilterClauses({ api_status: ' , ' })).toEqual([]); // only separators: not set
  });

  test('query-string syntax stays a literal term value', () => {
    const v = '{"match_all":{}} OR * \\ "';
    expect(buildFilterClauses({ user: v })).toEqual([{ term: { user: { value: v } } }]);
  });
});

test('isIpOrCidr', () => {
  for (const ok of ['10.0.0.1', '::1', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0']) expect(isIpOrCidr(ok)).toBe(true);
  for (const bad of ['10.0.0', '10.0.0.0/33', '::1/129', 'a/8', '10.0.0.0/', '*']) expect(isIpOrCidr(bad)).toBe(false);
});

test('escaping', () => {
  expect(wildcardPattern('*lo?in\\*')).toBe('*lo\\?in\\\\*');
  expect(escapeRegex('a.b*(c)')).toBe('a\\.b\\*\\(c\\)');
});

test('api_status accepts only known statuses, naming them', () => {
  const schema = z.object(filterShape);
  expect(schema.safeParse({ api_status: 'shadow,zombie' }).success).toBe(true);
  expect(schema.safeParse({ api_status: '' }).success).toBe(true);
  const bad = schema.safeParse({ api_status: 'shadow,ghost' });
  expect(bad.success).toBe(false);
  expect(bad.error?.issues[0]).toMatchObject({
    path: ['api_status'],
    message: expect.stringContaining('documented, zombie, shadow, unknown'),
  });
  expect(splitList(' a, ,b,a ')).toEqual(['a', 'b']);
});
