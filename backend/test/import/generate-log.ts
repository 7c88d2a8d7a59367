/**
 * Generates combined-format access logs for the import tests: several actors (IPv4 and IPv6 clients, user agents
 * with quotes and backslashes) plus one known session, and broken lines at known positions.
 */
import { mulberry32 } from '../../demo/rng';

/** A known actor whose requests form exactly one session (one ip+ua, gaps of 10 s). */
export const KNOWN = {
  ip: '198.51.100.77',
  ua: 'KnownSession/1.0 (\\"quoted\\")',
  uaDecoded: 'KnownSession/1.0 ("quoted")',
  requests: 40,
};

/** The broken lines inserted, in order. */
export const BROKEN = [
  '203.0.113.5 - - [31/Feb/2021:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
  '203.0.113.5 - - [01/Mar/2021:10:00:00 +0000] "-" 400 0 "-" "-"',
  '203.0.113.5 - - [01/Mar/2021:10:00:00 +0000] "GET /trunc',
  'garbage line without structure',
  '203.0.113.5 - - [01/Mar/2021:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (trunc',
  String.raw`203.0.113.5 - - [01/Mar/2021:10:00:00 +0000] "\x16\x03\x01" 400 0 "-" "-"`,
  'gateway.local - - [01/Mar/2021:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `[dd/Mon/yyyy:HH:MM:SS +0000]` content for an epoch ms. */
export function clfDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const rng = mulberry32;

/** The generated log: its text and what it contains. */
export interface GeneratedLog {
  text: string;
  records: number;
  /** 1-based line numbers of the broken lines. */
  brokenLines: number[];
  newestTs: number;
}

/**
 * `actors` × `perActor` good lines plus the known session, sorted by time, starting at `start` (epoch ms), with
 * the broken lines spread through the file and a few empty lines.
 */
export function generateCombinedLog(opts: {
  actors: number;
  perActor: number;
  start: number;
  seed?: number;
}): GeneratedLog {
  const rand = rng(opts.seed ?? 7);
  const entries: { ts: number; line: string }[] = [];
  const paths = [
    '/api/v1/items/17',
    '/api/v1/items?page=2&q=x',
    '/login',
    '/api/v1/users/42/orders',
    String.raw`/search/\"a b\"`,
  ];
  for (let a = 0; a < opts.actors; a++) {
    const ip = a % 5 === 0 ? `2001:db8::${(a + 1).toString(16)}` : `192.0.2.${(a % 250) + 1}`;
    const ua = `Agent-${a}/2.0 (X11; \\\\path\\\\ \\"q\\")`;
    let ts = opts.start + Math.floor(rand() * 3_600_000);
    for (let i = 0; i < opts.perActor; i++) {
      ts += 1000 + Math.floor(rand() * 20_000);
      const path = paths[Math.floor(rand() * paths.length)];
      const status = [200, 200, 200, 201, 404, 500][Math.floor(rand() * 6)];
      entries.push({
        ts,
        line: `${ip} - ${a % 7 === 0 ? `user${a}` : '-'} [${clfDate(ts)}] "GET ${path} HTTP/1.1" ${status} ${Math.floor(rand() * 5000)} "-" "${ua}"`,
      });
    }
  }
  for (let i = 0; i < KNOWN.requests; i++) {
    const ts = opts.start + 1_800_000 + i * 10_000;
    entries.push({
      ts,
      line: `${KNOWN.ip} - - [${clfDate(ts)}] "POST /api/v1/cart/${i} HTTP/1.1" 200 12 "https://shop.example/" "${KNOWN.ua}"`,
    });
  }
  entries.sort((x, y) => x.ts - y.ts);
  const lines = entries.map((e) => e.line);
  const brokenLines: number[] = [];
  BROKEN.forEach((b, i) => lines.splice(Math.floor(((i + 1) * lines.length) / (BROKEN.length + 1)), 0, b));
  lines.splice(10, 0, '');
  lines.forEach((l, i) => {
    if (BROKEN.includes(l)) brokenLines.push(i + 1);
  });
  return {
    text: lines.join('\n') + '\n',
    records: entries.length,
    brokenLines,
    newestTs: entries[entries.length - 1].ts,
  };
}
