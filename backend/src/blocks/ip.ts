/**
 * IP addresses and CIDR ranges for blocks and decisions, parsed by hand in linear time (no regular expressions):
 * every value here comes from a request header or an API body and is attacker-controlled.
 *
 * An address is kept as its family plus 4 or 16 bytes. IPv4-mapped IPv6 addresses (`::ffff:203.0.113.7`) are
 * treated as the IPv4 address, so a block on `203.0.113.0/24` matches a dual-stack proxy's view of the client too.
 */
import { isIP } from 'node:net';

/** An address family: 4 or 6. */
export type IpFamily = 4 | 6;

/** A parsed address: family and network-order bytes (4 for IPv4, 16 for IPv6). */
export interface IpAddress {
  family: IpFamily;
  bytes: Uint8Array;
}

/** A parsed range: the network address (host bits zero) and the prefix length. */
export interface IpRange {
  family: IpFamily;
  bytes: Uint8Array;
  prefix: number;
}

/** Longest text accepted as an address or range (the longest IPv6 form with a /128 is 49 characters). */
export const MAX_IP_TEXT = 64;

/** Narrowest prefixes a block may use: wider ranges would block a large share of the internet by mistake. */
export const MIN_BLOCK_PREFIX: Record<IpFamily, number> = { 4: 8, 6: 16 };

/**
 * Parses an IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is dropped). Returns undefined for anything else.
 * @example parseIp('::ffff:203.0.113.7') → { family: 4, bytes: [203, 0, 113, 7] }
 */
export function parseIp(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > MAX_IP_TEXT) return undefined;
  let s = text;
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  const family = isIP(s);
  if (family === 4) return { family: 4, bytes: parseV4(s) };
  if (family !== 6) return undefined;
  const bytes = parseV6(s);
  return isV4Mapped(bytes) ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

/**
 * Parses an address or a CIDR range (`203.0.113.0/24`, `2001:db8::/32`); a plain address is a /32 or /128.
 * Host bits are cleared (`203.0.113.9/24` → `203.0.113.0/24`). Returns an error message instead when invalid.
 */
export function parseRange(text: string): IpRange | string {
  if (text.length === 0 || text.length > MAX_IP_TEXT)
    return `must be an IP address or CIDR range (at most ${MAX_IP_TEXT} characters)`;
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!ip) return 'must be an IPv4 or IPv6 address, or a CIDR range such as 203.0.113.0/24';
  const bits = ip.bytes.length * 8;
  let prefix = bits;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (digits.length === 0 || digits.length > 3 || !isDigits(digits))
      return 'the prefix length after / must be a number';
    prefix = Number(digits);
    // An IPv4-mapped IPv6 range counts its prefix over 128 bits.
    if (ip.family === 4 && text.slice(0, slash).includes(':')) prefix -= 96;
    if (prefix < 0 || prefix > bits) return `the prefix length must be 0–${bits} for IPv${ip.family}`;
  }
  return { family: ip.family, bytes: maskBytes(ip.bytes, prefix), prefix };
}

/** Canonical text of a range: the address alone for a /32 or /128, else `network/prefix`. */
export function formatRange(r: IpRange): string {
  const addr = r.family === 4 ? Array.from(r.bytes).join('.') : formatV6(r.bytes);
  return r.prefix === r.bytes.length * 8 ? addr : `${addr}/${r.prefix}`;
}

/**
 * Lookup key of an address's first `prefix` bits (host bits cleared): the same key for every address of one range.
 * IPv4 keys are numbers, IPv6 keys hex strings.
 */
export function prefixKey(bytes: Uint8Array, prefix: number): number | string {
  if (bytes.length === 4) {
    const n = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    return prefix === 0 ? 0 : (n & (0xffffffff << (32 - prefix))) >>> 0;
  }
  let out = '';
  const masked = maskBytes(bytes, prefix);
  const used = Math.ceil(prefix / 8);
  for (let i = 0; i < used; i++) out += HEX[masked[i]];
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `a.b.c.d` (already validated by net.isIP) → 4 bytes. */
function parseV4(s: string): Uint8Array {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      out[part++] = value;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  out[part] = value;
  return out;
}

/** An IPv6 address (already validated by net.isIP, zone removed) → 16 bytes. */
function parseV6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  const gap = s.indexOf('::');
  const head = gap === -1 ? s : s.slice(0, gap);
  const tail = gap === -1 ? '' : s.slice(gap + 2);
  const headWords = groupsToWords(head);
  const tailWords = groupsToWords(tail);
  headWords.forEach((w, i) => writeWord(out, i, w));
  tailWords.forEach((w, i) => writeWord(out, 8 - tailWords.length + i, w));
  return out;
}

/** `a:b:1.2.3.4` → 16-bit words (a dotted IPv4 tail gives two words). */
function groupsToWords(part: string): number[] {
  if (part === '') return [];
  const words: number[] = [];
  for (const group of part.split(':')) {
    if (group.includes('.')) {
      const v4 = parseV4(group);
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else words.push(parseInt(group, 16));
  }
  return words;
}

function writeWord(out: Uint8Array, index: number, word: number): void {
  out[index * 2] = word >> 8;
  out[index * 2 + 1] = word & 0xff;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bitsLeft = prefix - i * 8;
    if (bitsLeft >= 8) out[i] = bytes[i];
    else if (bitsLeft > 0) out[i] = bytes[i] & (0xff << (8 - bitsLeft));
  }
  return out;
}

/** RFC 5952 text of 16 bytes: lower-case hex, the longest run (≥ 2) of zero words as `::`. */
function formatV6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
