/**
 * Parser for nginx/Apache access logs in the "combined" format (and its relatives):
 *
 *   combined:       %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"
 *   common (CLF):   %h %l %u %t "%r" %>s %b
 *   vhost_combined: %v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"
 *
 * Fields after the user agent (nginx's `"$http_x_forwarded_for"`, timings) are ignored.
 */
import { parseClfDate, parseRequestLine, readQuoted, unescapeLogString } from './clf';
import { clientIp } from './ip';
import { fail, type ImportRecord, type ParseResult } from './record';

/**
 * Parses one combined/common/vhost_combined line into a record (no `host` unless the line has a vhost).
 * Mapping: client → `client_ip`, user (unless `-`) → `user`, date → `ts`, request line → `method`/`path`/`protocol`,
 * status → `status`, bytes (`-` = 0) → `response_bytes`, user agent (unless `-`) → `user_agent`; ident and referer
 * are dropped. Never throws; `reason` never repeats a value of the line.
 * @example parseCombined('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "-" "curl/8"')
 *   → { ok: true, record: { ts: 971211336000, client_ip: '127.0.0.1', user: 'frank', method: 'GET', path: '/a.gif', … } }
 */
export function parseCombined(line: string): ParseResult {
  const open = line.indexOf(' [');
  if (open < 0) return fail('no [date] field');
  const head = line.slice(0, open).split(' ');
  if (head.length !== 3 && head.length !== 4) return fail('expected "client ident user [date]" before the date');
  const [vhost, client, , user] = head.length === 4 ? head : [undefined, ...head];

  const close = line.indexOf(']', open);
  if (close < 0) return fail('date is not closed with ]');
  const ts = parseClfDate(line.slice(open + 2, close));
  if (ts === undefined) return fail('bad date (expected [10/Oct/2000:13:55:36 -0700])');

  if (line[close + 1] !== ' ') return fail('truncated after the date');
  const request = readQuoted(line, close + 2);
  if (!request) return fail('missing or unterminated "request line"');
  const req = parseRequestLine(unescapeLogString(request.raw));
  if (!req) return fail('malformed request line (expected "METHOD /path HTTP/x.y")');

  const tail = /^ (\d{3}) (\d+|-)(?= |$)/.exec(line.slice(request.next));
  if (!tail) return fail('missing status or bytes after the request line');
  const status = Number(tail[1]);
  if (status > 599) return fail('status out of range 0–599');
  let pos = request.next + tail[0].length;

  let userAgent: string | undefined;
  if (pos < line.length) {
    const referer = line[pos] === ' ' ? readQuoted(line, pos + 1) : undefined;
    if (!referer) return fail('malformed or unterminated "referer"');
    pos = referer.next;
    const agent = line[pos] === ' ' ? readQuoted(line, pos + 1) : undefined;
    if (!agent) return fail('missing or unterminated "user agent"');
    const ua = unescapeLogString(agent.raw);
    if (ua !== '-' && ua !== '') userAgent = ua;
  }

  const ip = clientIp(client ?? '');
  if (!ip) return fail('client is not an IPv4/IPv6 address');

  const record: ImportRecord = { ts, method: req.method, path: req.path, status, client_ip: ip };
  if (req.protocol) record.protocol = req.protocol;
  record.response_bytes = tail[2] === '-' ? 0 : Number(tail[2]);
  if (userAgent !== undefined) record.user_agent = userAgent;
  if (user && user !== '-') record.user = unescapeLogString(user);
  if (vhost) {
    const host = vhost.replace(/:\d+$/, '');
    if (host && host !== '-') record.host = host;
  }
  return { ok: true, record };
}
