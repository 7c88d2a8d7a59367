import { claimValue, decodeJwtPayload, parseCookieHeader, parseQueryString, stripScheme } from './tokens';

describe('identifier parsing', () => {
  it('parses cookie headers and skips malformed parts', () => {
    expect(parseCookieHeader('a=1; b="two"; =x; junk; c=')).toEqual({ a: '1', b: 'two' });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
  it('strips auth schemes', () => {
    expect(stripScheme('Bearer abc')).toBe('abc');
    expect(stripScheme('token  xyz ')).toBe('xyz');
    expect(stripScheme('plain')).toBe('plain');
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
    expect(parseQueryString('a=1&b=%E0%A4%A&c&a=2')).toEqual({ a: '1', b: '%E0%A4%A', c: '' });
  });
});
