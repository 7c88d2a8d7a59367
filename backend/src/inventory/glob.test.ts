import fc from 'fast-check';
import { compileGlob } from './glob';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The regex the glob replaces, as the reference (run only on short inputs). */
const reference = (pieces: string[], minGap: number) =>
  new RegExp(`^${pieces.map(escape).join(minGap === 0 ? '[^]*' : '[^]+')}$`);

describe('compileGlob', () => {
  it('matches whole inputs with gaps of at least minGap characters', () => {
    const ext = compileGlob(['', '.', ''], 1);
    expect(['report.pdf', 'a.b.c', 'a\nb.c'].map((s) => ext.test(s))).toEqual([true, true, true]);
    expect(['.pdf', 'report.', 'report', ''].map((s) => ext.test(s))).toEqual([false, false, false, false]);
    const login = compileGlob(['', '/login', ''], 0);
    expect(['/login', '/api/login/x', '/loginx'].map((s) => login.test(s))).toEqual([true, true, true]);
    expect(login.test('/logi')).toBe(false);
    expect(compileGlob(['/users'], 0).test('/users')).toBe(true);
    expect(compileGlob(['/users'], 0).test('/users/1')).toBe(false);
    expect(compileGlob(['a', 'a'], 0).test('a')).toBe(false); // pieces never overlap
    expect(compileGlob(['ab', 'ba'], 1).test('abba')).toBe(false);
    expect(compileGlob(['ab', 'ba'], 1).test('abxba')).toBe(true);
  });

  it('agrees with the equivalent regex on random pieces and inputs', () => {
    const piece = fc.string({ unit: fc.constantFrom('a', 'b', '.', '/'), maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 5 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '\n'), maxLength: 14 }),
        fc.constantFrom(0, 1),
        (pieces, input, minGap) => compileGlob(pieces, minGap).test(input) === reference(pieces, minGap).test(input),
      ),
      { numRuns: 3000 },
    );
  });

  it('runs in linear time on inputs that make the regex backtrack (issue 13)', () => {
    const glob = compileGlob(['', 'a', 'a', 'a', 'a', 'b'], 0);
    const started = performance.now();
    expect(glob.test('a'.repeat(200_000))).toBe(false);
    expect(compileGlob(['', '.', '.', '.', '!'], 1).test('.'.repeat(200_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
