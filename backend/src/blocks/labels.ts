/**
 * Labelled tokens: `ADMIN_TOKENS=soc-grafana:<token>,alerts:<token>,<token>`. The label names who acted in a block's
 * history; the token itself is never stored or logged. An entry without a label gets `token-<8 hex>`, the start of
 * the token's SHA-256 (enough to tell tokens apart, useless for guessing one).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A token and the label recorded for it. */
export interface LabelledToken {
  label: string;
  token: string;
}

/** Longest label. */
export const MAX_LABEL = 64;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** True for 1–64 letters, digits, `.`, `_` or `-`. */
export function isLabel(s: string): boolean {
  if (s.length === 0 || s.length > MAX_LABEL) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
    if (!ok) return false;
  }
  return true;
}

/**
 * Splits one list entry: `label:token` when the text before the first `:` is a label, else the whole entry is the
 * token and the label is derived from its hash.
 * @example parseLabelledToken('soc:abc…') → { label: 'soc', token: 'abc…' }
 */
export function parseLabelledToken(entry: string): LabelledToken {
  const colon = entry.indexOf(':');
  if (colon > 0 && isLabel(entry.slice(0, colon)))
    return { label: entry.slice(0, colon), token: entry.slice(colon + 1) };
  return { label: `token-${sha256(entry).toString('hex').slice(0, 8)}`, token: entry };
}

/** Labelled tokens compared in constant time (over SHA-256 digests); answers the label of a presented token. */
export class LabelledTokenSet {
  private readonly entries: { digest: Buffer; label: string }[];
  constructor(tokens: readonly LabelledToken[]) {
    this.entries = tokens.map((t) => ({ digest: sha256(t.token), label: t.label }));
  }

  /** Whether the set has any token. */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** The label of `token`, or undefined when it is not in the set. Compares against every entry. */
  labelOf(token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    const d = sha256(token);
    let found: string | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d) && found === undefined) found = e.label;
    return found;
  }
}
