/**
 * Returns a copy of `query` with `name` set to `value`, or without `name` when `value` is undefined, so that cleared
 * fields disappear from the saved JSON instead of lingering as `""`.
 */
export function setField<Q extends object, K extends keyof Q>(query: Q, name: K, value: Q[K] | undefined): Q {
  const next = { ...query };
  if (value === undefined) {
    delete next[name];
  } else {
    next[name] = value as Q[K];
  }
  return next;
}

/** Parses an integer typed by the user; empty or invalid input means "not set". */
export function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const n = Number(trimmed);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/**
 * Parses a value that may be a number or a template variable (`start`, `end`, `status`): digits become a number,
 * anything else stays text, empty means "not set". Example: `'404'` → 404, `'4xx'` → `'4xx'`, `'$start'` → `'$start'`.
 */
export function parseNumberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}
