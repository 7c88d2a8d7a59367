/**
 * Pieces of the Common/Combined Log Format shared by the combined parser: the `[10/Oct/2000:13:55:36 -0700]`
 * date, quoted fields with Apache/nginx escapes, and the request line. All pure.
 */

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
const CLF_DATE = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([+-])(\d{2})(\d{2})$/;

/**
 * Parses a CLF date (without the brackets) into epoch ms; undefined when malformed or out of range.
 * An optional fraction (`13:55:36.123`) is accepted, as some custom formats add one.
 * @example parseClfDate('10/Oct/2000:13:55:36 -0700') → 971211336000
 */
export function parseClfDate(text: string): number | undefined {
  const m = CLF_DATE.exec(text);
  if (!m) return undefined;
  const month = MONTHS[m[2]];
  if (month === undefined) return undefined;
  const [day, year, hour, minute, second, offH, offM] = [m[1], m[3], m[4], m[5], m[6], m[9], m[10]].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60 || offH > 14 || offM > 59)
    return undefined;
  const fraction = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second, fraction) - offsetMs;
}

/**
 * Reads a double-quoted field starting at `start` (which must be `"`). A backslash escapes the next character, so
 * `\"` does not end the field. Returns the raw (still escaped) content and the index after the closing quote, or
 * undefined when the quote is never closed (a truncated line).
 */
export function readQuoted(line: string, start: number): { raw: string; next: number } | undefined {
  if (line[start] !== '"') return undefined;
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') return { raw: line.slice(start + 1, i), next: i + 1 };
  }
  return undefined;
}

const C_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, b: 8 };

/**
 * Undoes the escaping Apache (`\"`, `\\`, `\n`, `\xhh`) and nginx (`\xHH` for `"`, `\` and non-ASCII bytes) apply
 * to logged strings. `\xHH` sequences are bytes, decoded together as UTF-8; an unknown escape is kept as written.
 * @example unescapeLogString('say \\"hi\\" \\xC3\\xA9') → 'say "hi" é'
 */
export function unescapeLogString(raw: string): string {
  if (!raw.includes('\\')) return raw;
  const bytes: number[] = [];
  const pushText = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
  let i = 0;
  while (i < raw.length) {
    const slash = raw.indexOf('\\', i);
    if (slash < 0 || slash === raw.length - 1) {
      pushText(raw.slice(i));
      break;
    }
    pushText(raw.slice(i, slash));
    const next = raw[slash + 1];
    const hex = /^x([0-9a-fA-F]{2})/.exec(raw.slice(slash + 1, slash + 4));
    if (hex) {
      bytes.push(parseInt(hex[1], 16));
      i = slash + 4;
    } else if (next === '"' || next === '\\') {
      bytes.push(next.charCodeAt(0));
      i = slash + 2;
    } else if (next in C_ESCAPES) {
      bytes.push(C_ESCAPES[next]);
      i = slash + 2;
    } else {
      pushText(`\\${next}`);
      i = slash + 2;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The parts of an HTTP request line. */
export interface RequestLine {
  method: string;
  path: string;
  protocol?: string;
}

const METHOD = /^[A-Za-z_-]{1,16}$/;
const PROTOCOL = /^HTTP\/\d(\.\d)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Splits `GET /path HTTP/1.1` (also HTTP/0.9's `GET /path`, absolute-form `GET http://h/p HTTP/1.1`, `OPTIONS *`
 * and `CONNECT host:443 HTTP/1.1`). A path containing spaces keeps them. Returns undefined for `-`, TLS or other
 * binary garbage, a missing path, or control characters.
 */
export function parseRequestLine(text: string): RequestLine | undefined {
  if (CONTROL.test(text)) return undefined;
  const parts = text.split(' ');
  if (parts.length < 2) return undefined;
  const method = parts[0];
  if (!METHOD.test(method)) return undefined;
  let protocol: string | undefined;
  if (parts.length >= 3 && PROTOCOL.test(parts[parts.length - 1])) protocol = parts.pop();
  const path = parts.slice(1).join(' ');
  const validTarget =
    path.startsWith('/') ||
    /^https?:\/\//i.test(path) ||
    path === '*' ||
    (method.toUpperCase() === 'CONNECT' && /^[^\s/]+:\d+$/.test(path));
  if (!validTarget) return undefined;
  return protocol ? { method, path, protocol } : { method, path };
}
