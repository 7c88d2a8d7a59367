import { isWhiteSpace, trimChar, trimTrailing } from './text';

describe('text helpers', () => {
  it('agrees with \\s on every UTF-16 code unit', () => {
    for (let code = 0; code <= 0xffff; code++) expect(isWhiteSpace(code)).toBe(/\s/.test(String.fromCharCode(code)));
  });
  it('trims runs of one character', () => {
    expect(trimTrailing('/a//', '/')).toBe('/a');
    expect(trimTrailing('///', '/')).toBe('');
    expect(trimTrailing('abc', '/')).toBe('abc');
    expect(trimChar('--a-b--', '-')).toBe('a-b');
  });
  it('trims in linear time (a `/\\/+$/` regex rescans every run)', () => {
    const started = performance.now();
    expect(trimTrailing(`${'/'.repeat(200_000)}x`, '/')).toHaveLength(200_001);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
