import { closest, editDistance, unknownParams } from './unknown-params';

describe('unknownParams', () => {
  const known = ['queryType', 'host', 'client_ip', 'idle_timeout_minutes', 'limit'];

  it('accepts a body of known parameters', () => {
    expect(unknownParams({ queryType: 'sessions', host: 'a', limit: 5 }, known, 'sessions')).toEqual([]);
  });

  it('names each unknown parameter and suggests the closest known one', () => {
    expect(
      unknownParams({ queryType: 'sessions', hots: 'a', idle_timeout_minute: 5, zzz: 1 }, known, 'sessions'),
    ).toEqual([
      { field: 'hots', message: 'unknown parameter of queryType sessions; did you mean host?' },
      {
        field: 'idle_timeout_minute',
        message: 'unknown parameter of queryType sessions; did you mean idle_timeout_minutes?',
      },
      { field: 'zzz', message: 'unknown parameter of queryType sessions' },
    ]);
  });

  it('bounds the answer: ten names, control characters replaced, long names cut', () => {
    const body: Record<string, unknown> = { queryType: 'sessions', ['a\nb'.padEnd(100, 'x')]: 1 };
    for (let i = 0; i < 50; i++) body[`k${i}`] = i;
    const problems = unknownParams(body, known, 'sessions');
    expect(problems).toHaveLength(11);
    expect(problems[0].field).toBe(`a?b${'x'.repeat(61)}…`);
    expect(problems[10]).toEqual({ field: '(body)', message: '41 more unknown parameters' });
  });
});

describe('closest', () => {
  it('finds a name within two edits, case-insensitively, else nothing', () => {
    expect(closest('ClientIp', ['client_ip', 'host'])).toBe('client_ip');
    expect(closest('limt', ['limit'])).toBe('limit');
    expect(closest('nothing_like_it', ['limit'])).toBeUndefined();
    expect(closest('x'.repeat(1000), ['limit'])).toBeUndefined();
  });

  it('computes edit distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
