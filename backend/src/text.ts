/**
 * Small string helpers that run in linear time on any input. Values we record come from attackers, so code on the
 * ingest path uses these instead of regexes such as `/\s+(.+)$/` or `/\/+$/`, which backtrack or rescan on hostile
 * input (see docs/fuzzing.md, "Linear-time matching").
 */

/** True for the characters `String.prototype.trim` and the regex class `\s` treat as white space. */
export function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `s` without the trailing run of `char` (one UTF-16 unit): `trimTrailing('/a//', '/')` → `/a`. */
export function trimTrailing(s: string, char: string): string {
  const code = char.charCodeAt(0);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === code) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the leading and trailing runs of `char`: `trimChar('--a-b--', '-')` → `a-b`. */
export function trimChar(s: string, char: string): string {
  const code = char.charCodeAt(0);
  let start = 0;
  while (start < s.length && s.charCodeAt(start) === code) start++;
  return trimTrailing(s.slice(start), char);
}
