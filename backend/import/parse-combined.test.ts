import fc from 'fast-check';
import { parseClfDate, parseRequestLine, unescapeLogString } from './clf';
import { parseCombined } from './parse-combined';

const ok = (line: string) => {
  const r = parseCombined(line);
  if (!r.ok) throw new Error(`expected a record, got: ${r.reason}`);
  return r.record;
};
const reason = (line: string) => {
  const r = parseCombined(line);
  if (r.ok) throw new Error('expected unparseable');
  return r.reason;
};

describe('parseCombined', () => {
  it('parses the Apache documentation example', () => {
    expect(
      ok(
        '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
      ),
    ).toEqual({
      ts: Date.parse('2000-10-10T20:55:36Z'),
      client_ip: '127.0.0.1',
      user: 'frank',
      method: 'GET',
      path: '/apache_pb.gif',
      protocol: 'HTTP/1.0',
      status: 200,
      response_bytes: 2326,
      user_agent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
    });
  });

  it('keeps the query string in path (the service keeps only parameter names) and drops the referer', () => {
    const r = ok(
      '203.0.113.9 - - [28/Nov/2026:07:58:09 +0000] "GET /api/v1/users/42/orders?page=2&token=secret HTTP/1.1" 200 3 "https://ref.example/x?y=1" "curl/8.5.0"',
    );
    expect(r.path).toBe('/api/v1/users/42/orders?page=2&token=secret');
    expect(JSON.stringify(r)).not.toContain('ref.example');
    expect(r.user).toBeUndefined();
  });

  it('reads IPv6 clients, also bracketed or with a zone', () => {
    expect(
      ok('2001:db8::7 - - [28/Nov/2026:07:58:13 +0000] "POST /login HTTP/2.0" 401 310 "-" "okhttp/4.12.0"').client_ip,
    ).toBe('2001:db8::7');
    expect(ok('::1 - - [28/Nov/2026:07:58:13 +0000] "GET / HTTP/1.1" 200 3 "-" "-"').client_ip).toBe('::1');
    expect(ok('[::ffff:192.0.2.1] - - [28/Nov/2026:07:58:13 +0000] "GET / HTTP/1.1" 200 3 "-" "-"').client_ip).toBe(
      '::ffff:192.0.2.1',
    );
    expect(ok('fe80::1%eth0 - - [28/Nov/2026:07:58:13 +0000] "GET / HTTP/1.1" 200 3 "-" "-"').client_ip).toBe(
      'fe80::1',
    );
  });

  it('treats "-" fields as absent: user, user agent; "-" bytes as 0', () => {
    const r = ok('192.0.2.1 - - [28/Nov/2026:07:58:13 +0000] "GET /health HTTP/1.1" 204 - "-" "-"');
    expect(r.user).toBeUndefined();
    expect(r.user_agent).toBeUndefined();
    expect(r.response_bytes).toBe(0);
  });

  it('unescapes Apache escapes (\\" and \\\\) in user agents and paths', () => {
    const r = ok(
      String.raw`192.0.2.1 - - [28/Nov/2026:07:58:13 +0000] "GET /search/\"x\"/a\\b HTTP/1.1" 200 10 "-" "Agent \"quoted\" C:\\dir\\ end\\"`,
    );
    expect(r.path).toBe('/search/"x"/a\\b');
    expect(r.user_agent).toBe('Agent "quoted" C:\\dir\\ end\\');
  });

  it('unescapes nginx escapes (\\x22, \\x5C, UTF-8 bytes) written by a real nginx', () => {
    const r = ok(
      String.raw`127.0.0.1 - - [28/Nov/2026:07:58:09 +0000] "GET /p\xC3\xA4th with \x22q\x22 HTTP/1.1" 400 157 "-" "Mozilla/5.0 (X11; Linux x86_64) \x22quoted\x22 \x5Cback"`,
    );
    expect(r.path).toBe('/päth with "q"');
    expect(r.user_agent).toBe('Mozilla/5.0 (X11; Linux x86_64) "quoted" \\back');
  });

  it('accepts the common format (no referer / user agent) and vhost_combined', () => {
    expect(ok('192.0.2.1 - - [28/Nov/2026:07:58:13 +0000] "GET / HTTP/1.1" 200 5').user_agent).toBeUndefined();
    const v = ok(
      'shop.example.com:443 192.0.2.1 - alice [28/Nov/2026:07:58:13 +0000] "GET /cart HTTP/1.1" 200 5 "-" "ua"',
    );
    expect(v).toMatchObject({ host: 'shop.example.com', client_ip: '192.0.2.1', user: 'alice' });
  });

  it('ignores fields after the user agent (nginx "main": x-forwarded-for)', () => {
    const r = ok('192.0.2.1 - - [28/Nov/2026:07:58:13 +0000] "GET / HTTP/1.1" 200 5 "-" "ua" "10.0.0.1, 10.0.0.2"');
    expect(r.user_agent).toBe('ua');
  });

  it('accepts HTTP/0.9, absolute-form, OPTIONS * and CONNECT request lines', () => {
    expect(parseRequestLine('GET /')).toEqual({ method: 'GET', path: '/' });
    expect(parseRequestLine('GET http://example.com/x HTTP/1.1')?.path).toBe('http://example.com/x');
    expect(parseRequestLine('OPTIONS * HTTP/1.1')?.path).toBe('*');
    expect(parseRequestLine('CONNECT example.com:443 HTTP/1.1')?.path).toBe('example.com:443');
  });

  it.each([
    ['"-" request line', '192.0.2.1 - - [28/Nov/2026:07:58:13 +0000] "-" 400 0 "-" "-"', /request line/],
    ['garbage request line', '192.0.2.1 - - [28/Nov/2026:07:58:14 +0000] "GARBAGE" 400 157 "-" "-"', /request line/],
    [
      'TLS handshake bytes',
      String.raw`192.0.2.1 - - [28/Nov/2026:07:58:14 +0000] "\x16\x03\x01\x00\x05hello" 400 157 "-" "-"`,
      /request line/,
    ],
    [
      'relative target',
      '192.0.2.1 - - [28/Nov/2026:07:58:14 +0000] "GET index.html HTTP/1.1" 200 1 "-" "-"',
      /request line/,
    ],
    ['bad month', '192.0.2.1 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', /bad date/],
    ['31 February', '192.0.2.1 - - [31/Feb/2026:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', /bad date/],
    ['hour 25', '192.0.2.1 - - [10/Oct/2000:25:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', /bad date/],
    ['ISO date', '192.0.2.1 - - [2000-10-10T13:55:36Z] "GET / HTTP/1.1" 200 1 "-" "-"', /bad date/],
    ['no date', '192.0.2.1 - - "GET / HTTP/1.1" 200 1 "-" "-"', /date/],
    ['unclosed date', '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700', /date/],
    ['truncated in the request', '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /very/long/pa', /request line/],
    ['truncated after the request', '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1"', /status/],
    ['truncated in the status', '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 20', /status/],
    [
      'truncated in the referer',
      '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "http://ex',
      /referer/,
    ],
    [
      'truncated in the user agent',
      '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (X11',
      /user agent/,
    ],
    [
      'referer without user agent',
      '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-"',
      /user agent/,
    ],
    ['status 700', '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 700 1 "-" "-"', /status/],
    ['host name client', 'gateway.local - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', /IPv4\/IPv6/],
    ['too few fields', '- [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', /before the date/],
    ['not a log line', 'Hello, world', /date/],
  ])('rejects %s', (_name, line, expected) => {
    expect(reason(line)).toMatch(expected);
  });

  it('never repeats a value of the line in its reason', () => {
    const secret = 'tok_SECRET123';
    const lines = [
      `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "${secret}" 400 1 "-" "-"`,
      `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /?t=${secret}`,
      `192.0.2.1 - - [${secret}] "GET / HTTP/1.1" 200 1 "-" "-"`,
    ];
    for (const line of lines) expect(reason(line)).not.toContain(secret);
  });

  it('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseCombined(`192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] ${s}`);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('recovers any user agent escaped the Apache way (property)', () => {
    const apacheEscape = (s: string) =>
      [...Buffer.from(s, 'utf8')]
        .map((b) =>
          b === 0x22
            ? '\\"'
            : b === 0x5c
              ? '\\\\'
              : b < 0x20 || b > 0x7e
                ? `\\x${b.toString(16).padStart(2, '0')}`
                : String.fromCharCode(b),
        )
        .join('');
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 80, unit: 'grapheme' }), (ua) => {
        fc.pre(ua !== '-' && !ua.includes('\uFFFD'));
        const line = `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "${apacheEscape(ua)}"`;
        expect(ok(line).user_agent).toBe(ua);
      }),
    );
  });
});

describe('parseClfDate', () => {
  it('applies the zone offset', () => {
    expect(parseClfDate('10/Oct/2000:13:55:36 -0700')).toBe(Date.UTC(2000, 9, 10, 20, 55, 36));
    expect(parseClfDate('01/Jan/2026:00:30:00 +0530')).toBe(Date.UTC(2025, 11, 31, 19, 0, 0));
    expect(parseClfDate('29/Feb/2024:12:00:00 +0000')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseClfDate('10/Oct/2000:13:55:36.250 +0000')).toBe(Date.UTC(2000, 9, 10, 13, 55, 36, 250));
  });
  it('rejects impossible dates and zones', () => {
    for (const d of [
      '29/Feb/2025:12:00:00 +0000',
      '00/Jan/2026:00:00:00 +0000',
      '10/Oct/2000:13:60:00 +0000',
      '10/Oct/2000:13:55:36 +1500',
      '10/oct/2000:13:55:36 +0000',
      '10/Oct/2000:13:55:36',
    ]) {
      expect(parseClfDate(d)).toBeUndefined();
    }
  });
});

describe('unescapeLogString', () => {
  it('handles C escapes, \\x bytes, a trailing backslash and unknown escapes', () => {
    expect(unescapeLogString(String.raw`a\tb\nc`)).toBe('a\tb\nc');
    expect(unescapeLogString(String.raw`caf\xC3\xA9`)).toBe('café');
    expect(unescapeLogString('end\\')).toBe('end\\');
    expect(unescapeLogString(String.raw`\q`)).toBe('\\q');
    expect(unescapeLogString('plain')).toBe('plain');
  });
});
