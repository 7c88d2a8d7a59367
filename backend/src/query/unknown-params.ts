import type { FieldProblem } from '../http/errors';

/** At most this many unknown parameters are named in one answer (a body may carry thousands of keys). */
const MAX_NAMED = 10;
/** Longer names are cut in the answer (a name is attacker-controlled text). */
const MAX_NAME_CHARS = 64;
/** Suggestions are looked for only for names this short (edit distance is quadratic in the lengths). */
const MAX_SUGGEST_CHARS = 40;

/**
 * The parameters of `body` that `known` does not list, each as a problem naming it, with the closest known name
 * when one is within 2 edits (a typo: `idle_timeout_minute` → "did you mean idle_timeout_minutes?"). Unknown
 * parameters are refused rather than dropped: a misspelled filter silently dropped returns every session, which
 * looks like an answer (issue 19).
 * Example: unknownParams({queryType: 'sessions', hots: 'a'}, ['queryType', 'host']) →
 * [{field: 'hots', message: 'unknown parameter of queryType sessions; did you mean host?'}].
 */
export function unknownParams(body: Record<string, unknown>, known: readonly string[], type: string): FieldProblem[] {
  const allowed = new Set(known);
  const problems: FieldProblem[] = [];
  let extra = 0;
  for (const name of Object.keys(body)) {
    if (allowed.has(name)) continue;
    if (problems.length >= MAX_NAMED) {
      extra++;
      continue;
    }
    const suggestion = closest(name, known);
    problems.push({
      field: printable(name),
      message: `unknown parameter of queryType ${type}${suggestion ? `; did you mean ${suggestion}?` : ''}`,
    });
  }
  if (extra > 0) problems.push({ field: '(body)', message: `${extra} more unknown parameters` });
  return problems;
}

/** The name as it can be shown: control characters replaced, cut to MAX_NAME_CHARS. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_NAME_CHARS ? `${clean.slice(0, MAX_NAME_CHARS)}…` : clean;
}

/** The known name within 2 edits of `name` (the nearest; case-insensitive), or undefined. */
export function closest(name: string, known: readonly string[]): string | undefined {
  if (name.length > MAX_SUGGEST_CHARS) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    if (Math.abs(k.length - name.length) >= bestDistance) continue;
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (two rows; both strings are short: see MAX_SUGGEST_CHARS). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
