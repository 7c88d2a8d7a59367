import { claimValue, decodeJwtPayload, MAX_PAIRS, parseCookieHeader, parseQueryString, stripScheme } from './tokens';

describe('identifier parsing', () => {
  it('parses cookie headers and skips malformed parts', () => {
    expect(parseCookieHeader('a=1; b="two"; =x; junk; c=')).toEqual({ a: '1', b: 'two' });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
  it('strips auth schemes', () => {
    expect(stripScheme('Bearer abc')).toBe('abc');
    expect(stripScheme('token  xyz ')).toBe('xyz');
    expect(stripScheme('plain')).toBe('plain');
    expect(stripScheme('Bearer')).toBe('Bearer');
    expect(stripScheme('Bearerabc')).toBe('Bearerabc');
    expect(stripScheme('TOKEN\tq')).toBe('q');
    expect(stripScheme('Bearer \u2028a\u2028b')).toBe('a\u2028b');
  });
  it('strips schemes in linear time on hostile whitespace (issue 13)', () => {
    // `Bearer`, a long run of spaces, then line separators: quadratic backtracking in a `\s+(.+)$` regex.
    const hostile = `Bearer${' '.repeat(100_000)}\u2028a\u2028b`;
    const started = performance.now();
    expect(stripScheme(hostile)).toBe('a\u2028b');
    const stripped = stripScheme(`token${'\t'.repeat(100_000)}x${' '.repeat(100_000)}y`);
    expect([stripped.length, stripped.at(0), stripped.at(-1)]).toEqual([100_002, 'x', 'y']);
    expect(performance.now() - started).toBeLessThan(500); // linear: well under 1 ms; quadratic: seconds
  });
  it('decodes JWT payloads without verifying and reads dotted claims', () => {
    const p = Buffer.from(JSON.stringify({ sub: 'u1', org: { id: 7 } })).toString('base64url');
    const payload = decodeJwtPayload(`Bearer h.${p}.s`);
    expect(claimValue(payload, 'sub')).toBe('u1');
    expect(claimValue(payload, 'org.id')).toBe('7');
    expect(claimValue(payload, 'org')).toBeUndefined();
    expect(claimValue(payload, '__proto__')).toBeUndefined();
    expect(decodeJwtPayload('h.!!!.s')).toBeUndefined();
    expect(decodeJwtPayload('only.two')).toBeUndefined();
    expect(decodeJwtPayload(`h.${Buffer.from('not json').toString('base64url')}.s`)).toBeUndefined();
  });
  it('parses query strings, tolerating bad escapes', () => {
    expect(parseQueryString('a=1&b=%E0%A4%A&c&a=2&d=x+y%21')).toEqual({ a: '1', b: '%E0%A4%A', c: '', d: 'x y!' });
  });
  it('reads at most MAX_PAIRS parts of a cookie header or query string', () => {
    const many = Array.from({ length: MAX_PAIRS + 5 }, (_, i) => `k${i}=v`);
    expect(Object.keys(parseCookieHeader(many.join('; ')))).toHaveLength(MAX_PAIRS);
    expect(Object.keys(parseQueryString(many.join('&')))).toHaveLength(MAX_PAIRS);
    expect(parseCookieHeader(`${';'.repeat(MAX_PAIRS)}sid=1`)).toEqual({}); // empty parts count too
  });
});
