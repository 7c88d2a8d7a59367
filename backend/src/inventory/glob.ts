/**
 * Wildcard matching in linear time, for spec path templates (`{name}.{ext}`) and flow patterns (`*\/login*`).
 *
 * A pattern is literal pieces with gaps between them; the whole input must match. Each gap takes any run of
 * characters (line terminators included) of at least `minGap` characters. The first and last pieces are anchored at
 * the ends; the middle ones are found left to right with `indexOf`, taking the earliest place each time, which is
 * always a correct choice (an earlier piece leaves more room for the next ones). So a test costs one pass over the
 * input per piece at most — never the polynomial backtracking of the `^.+?\..+?$` or `^.*a.*b.*$` regexes it
 * replaces.
 */

/** A compiled wildcard pattern. */
export interface Glob {
  /** True when the whole of `input` matches. */
  test(input: string): boolean;
}

/**
 * Compiles literal `pieces` with a gap between each two. Example: `compileGlob(['', '.', ''], 1)` is `{a}.{b}`:
 * `report.pdf` and `a.b.c` match, `.pdf` and `report` do not.
 */
export function compileGlob(pieces: readonly string[], minGap: number): Glob {
  if (pieces.length === 0) throw new Error('compileGlob: at least one piece');
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1);
  const gaps = pieces.length - 1;
  const minLength = pieces.reduce((n, p) => n + p.length, 0) + gaps * minGap;
  if (gaps === 0) return { test: (input) => input === first };
  return {
    test(input) {
      if (input.length < minLength || !input.startsWith(first) || !input.endsWith(last)) return false;
      const end = input.length - last.length; // where the last piece starts
      let pos = first.length;
      for (const piece of middle) {
        const at = input.indexOf(piece, pos + minGap);
        if (at === -1 || at + piece.length + minGap > end) return false;
        pos = at + piece.length;
      }
      return end - pos >= minGap;
    },
  };
}
