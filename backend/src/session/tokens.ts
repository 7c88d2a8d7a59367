/** Parsing helpers for identifier carriers. None of them throws: bad input gives `undefined`/empty. */
import { isWhiteSpace } from '../text';

/**
 * Most `;`/`&`-separated parts one Cookie header, query string or path-parameter list is read for. Identity needs
 * only a few named values; reading every part of an 8 KB run of `a=1&` cost ~1 ms a record (issue 13).
 */
export const MAX_PAIRS = 200;

/**
 * Calls `onPair(name, value)` for the `name=value` parts of `text` separated by `separator`, at most `limit` parts
 * (empty and malformed parts count too, so the work is bounded whatever the input). Linear in the part read.
 */
export function forEachPair(
  text: string,
  separator: string,
  limit: number,
  onPair: (name: string, value: string | undefined) => void,
): void {
  let start = 0;
  for (let parts = 0; start <= text.length && parts < limit; parts++) {
    let end = text.indexOf(separator, start);
    if (end === -1) end = text.length;
    if (end > start) {
      const part = text.slice(start, end);
      const eq = part.indexOf('=');
      onPair(eq === -1 ? part : part.slice(0, eq), eq === -1 ? undefined : part.slice(eq + 1));
    }
    start = end + 1;
  }
}

/** Parses a Cookie header (`a=1; b=2`) into a map: the first MAX_PAIRS parts; malformed pairs are skipped. */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!header) return out;
  forEachPair(header, ';', MAX_PAIRS, (rawKey, rawValue) => {
    if (rawValue === undefined) return;
    const key = rawKey.trim();
    let value = rawValue.trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (key && value && !(key in out)) out[key] = value;
  });
  return out;
}

const SCHEMES = ['bearer', 'token'];

/**
 * Strips an auth scheme (`Bearer abc` → `abc`, `token  xyz ` → `xyz`) so a token matches wherever it appears;
 * anything else comes back trimmed. A plain scan, linear on any input: the regex it replaces (`\s+(.+)$`)
 * backtracked quadratically on `Bearer` + thousands of spaces + U+2028.
 */
export function stripScheme(value: string): string {
  const v = value.trim();
  for (const scheme of SCHEMES) {
    const n = scheme.length;
    if (v.length <= n + 1 || !isWhiteSpace(v.charCodeAt(n)) || v.slice(0, n).toLowerCase() !== scheme) continue;
    // `v` is trimmed, so something non-blank follows the white space (trimStart is native: ~1 ns a character).
    return v.slice(n + 1).trimStart();
  }
  return v;
}

/**
 * Decodes a JWT's payload without verifying it. Accepts `Bearer <jwt>` too.
 * Returns undefined for anything that is not three base64url parts with a JSON object payload.
 */
export function decodeJwtPayload(value: string | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  const parts = stripScheme(value).split('.');
  if (parts.length !== 3 || parts[1].length === 0 || parts[1].length > 16384) return undefined;
  if (!/^[A-Za-z0-9_-]+=*$/.test(parts[1])) return undefined;
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const payload: unknown = JSON.parse(json);
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a (dotted) claim from a JWT payload as a string; objects and arrays are not session values. */
export function claimValue(payload: Record<string, unknown> | undefined, claim: string): string | undefined {
  let cur: unknown = payload;
  for (const part of claim.split('.')) {
    if (!cur || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === 'string') return cur || undefined;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return undefined;
}

/** Query parameters of a path's query string: the first MAX_PAIRS parts, values decoded (bad escapes kept raw). */
export function parseQueryString(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!query) return out;
  forEachPair(query, '&', MAX_PAIRS, (rawKey, rawValue) => {
    const k = safeDecode(rawKey);
    if (k && !(k in out)) out[k] = rawValue === undefined ? '' : safeDecode(rawValue);
  });
  return out;
}

function safeDecode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
