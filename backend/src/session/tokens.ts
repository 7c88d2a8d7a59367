/** Parsing helpers for identifier carriers. None of them throws: bad input gives `undefined`/empty. */
import { isWhiteSpace } from '../text';

/** Parses a Cookie header (`a=1; b=2`) into a map. Malformed pairs are skipped. */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (key && value && !(key in out)) out[key] = value;
  }
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
    let i = n + 1;
    while (i < v.length && isWhiteSpace(v.charCodeAt(i))) i++;
    // `v` is trimmed, so something non-blank follows the white space and the rest needs no trimming.
    return v.slice(i);
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

/** Query parameters of a path's query string (values decoded; malformed escapes kept raw). */
export function parseQueryString(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!query) return out;
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
    const v = eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
    if (k && !(k in out)) out[k] = v;
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
