/**
 * Hostile input on `POST /v1/requests` (property-based, fast-check), against the real service over HTTP and the
 * real OpenSearch node. Every answer must be a documented status with a clear JSON body; 400s name the field;
 * the service must stay up (/healthz after every property) and nothing may pollute Object.prototype.
 */
import { gzipSync } from 'node:zlib';
import * as net from 'node:net';
import fc from 'fast-check';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { startTestService, storedDocs, TEST_TOKENS, type TestService } from '../service';
import {
  answerProblem,
  anyValue,
  deepJson,
  fcOpts,
  freshRecord,
  hostileString,
  RECORD_FIELDS,
  STRING_FIELDS,
  withPath,
} from './hostile';

jest.setTimeout(180_000);

const client = testClient();
const prefix = uniquePrefix('fuzz-ingest');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { LOG_LEVEL: 'silent', MAX_BODY_BYTES: String(4 * 1024 * 1024) });
});
afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

/** After each property: the service still answers and nothing leaked into Object.prototype. */
afterEach(async () => {
  const health = await fetch(`${svc.url}/healthz`);
  expect(health.status).toBe(200);
  for (const k of ['polluted', 'isAdmin', 'type', 'a']) expect(({} as Record<string, unknown>)[k]).toBeUndefined();
});

/** Posts raw bytes to the ingest endpoint. */
function postRaw(body: Buffer | string, headers: Record<string, string> = {}) {
  return svc.post('/v1/requests', undefined, { raw: body, headers });
}

const ingestOk = (res: { status: number; json: any }) => answerProblem(res, { ingest: true });

describe('ingest: malformed bodies', () => {
  it('random bytes as JSON or NDJSON never give a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          fc.string({ unit: 'binary', maxLength: 300 }),
        ),
        fc.constantFrom('application/json', 'application/x-ndjson', 'application/jsonl', ''),
        async (body, type) => {
          const res = await postRaw(body, type ? { 'content-type': type } : { 'content-type': '' });
          expect(ingestOk(res)).toBeUndefined();
          expect([200, 400]).toContain(res.status);
        },
      ),
      fcOpts(),
    );
  });

  it('mutilated valid JSON (truncated, spliced, doubled) gives 200 or a 400 naming (body)/(record)/a field', async () => {
    const valid = JSON.stringify([freshRecord(), freshRecord()]);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(valid.length),
        fc.nat(valid.length),
        fc.string({ unit: 'binary-ascii', maxLength: 5 }),
        async (a, b, splice) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const body = valid.slice(0, lo) + splice + valid.slice(hi);
          const res = await postRaw(body);
          expect(ingestOk(res)).toBeUndefined();
        },
      ),
      fcOpts(),
    );
  });

  it('NDJSON with good, broken, blank and invalid-UTF-8 lines: good lines accepted, bad lines named by index', async () => {
    const line = fc.oneof(
      fc.constant({ kind: 'good' as const }),
      fc.string({ maxLength: 30 }).map((s) => ({ kind: 'bad' as const, text: `{${s}` })),
      fc
        .constantFrom(
          'NaN',
          'Infinity',
          '-Infinity',
          '{"ts":NaN}',
          '[1,2',
          '{"a":1}{"b":2}',
          'null',
          '"x"',
          '123',
          '[]',
        )
        .map((text) => ({ kind: 'bad' as const, text })),
      fc.constant({ kind: 'utf8' as const }),
      fc.constant({ kind: 'blank' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), fc.boolean(), async (lines, crlf) => {
        const parts: Buffer[] = [];
        for (const l of lines) {
          if (l.kind === 'good') parts.push(Buffer.from(JSON.stringify(freshRecord())));
          else if (l.kind === 'bad') parts.push(Buffer.from(l.text));
          else if (l.kind === 'utf8')
            parts.push(
              Buffer.concat([
                Buffer.from('{"host":"'),
                Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
                Buffer.from('"}'),
              ]),
            );
          else parts.push(Buffer.alloc(0));
        }
        const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(crlf ? '\r\n' : '\n'), p])));
        const res = await postRaw(body, { 'content-type': 'application/x-ndjson' });
        expect(ingestOk(res)).toBeUndefined();
        const good = lines.filter((l) => l.kind === 'good').length;
        const nonBlank = lines.filter((l) => l.kind !== 'blank').length;
        if (nonBlank === 0) {
          expect(res.status).toBe(400);
          return;
        }
        expect(res.json.accepted).toBe(good);
        expect(res.status).toBe(good > 0 ? 200 : 400);
        // every non-good, non-blank line is reported at its own (0-based line) index
        const badIdx = lines.map((l, i) => (l.kind === 'bad' || l.kind === 'utf8' ? i : -1)).filter((i) => i >= 0);
        const reported = new Set(res.json.errors.map((e: { index: number }) => e.index));
        for (const i of badIdx) expect(reported.has(i)).toBe(true);
      }),
      fcOpts(100),
    );
  });

  it('NaN / Infinity / huge-number literals in the JSON text', async () => {
    const literal = fc.constantFrom(
      'NaN',
      'Infinity',
      '-Infinity',
      '1e308',
      '1e309',
      '-1e309',
      '-0',
      '9007199254740993',
      '0x10',
      '1_000',
      '1e-400',
      '00',
      '+1',
      '.5',
      '1.',
      '-',
      '1e',
      '123456789012345678901234567890',
    );
    const field = fc.constantFrom(
      'ts',
      'status',
      'duration_ms',
      'request_bytes',
      'response_bytes',
      'bot.score',
      'host',
    );
    await fc.assert(
      fc.asyncProperty(field, literal, async (f, lit) => {
        const rec = freshRecord({ bot: { type: 'crawler', score: 0.5 } });
        const marker = '"__MARKER__"';
        const text = JSON.stringify(withPath(rec, f, '__MARKER__')).replace(marker, lit);
        const res = await postRaw(text);
        expect(ingestOk(res)).toBeUndefined();
        if (res.status === 400 && res.json.error?.code !== 'invalid_body') {
          // parsed but invalid: the error names the field
          const fields: string[] = res.json.errors.map((e: { field: string }) => e.field);
          expect(fields.some((x) => x === f || x.startsWith(`${f}.`) || f.startsWith(`${x}.`))).toBe(true);
        }
      }),
      fcOpts(120),
    );
  });
});

describe('ingest: wrong types and hostile values in every field', () => {
  it('a wrong-typed value in any field is a 200 or a 400 that names that field', async () => {
    const path = fc.constantFrom<string>(
      ...RECORD_FIELDS,
      'identifiers.headers',
      'identifiers.cookies',
      'identifiers.query',
      'identifiers.response',
      'identifiers.headers.authorization',
      'identifiers.cookies.PHPSESSID',
      'context.tenant',
      'bot.type',
      'bot.score',
    );
    await fc.assert(
      fc.asyncProperty(path, anyValue, fc.boolean(), async (p, v, asArray) => {
        const rec = withPath(freshRecord(), p, v);
        const res = await svc.post('/v1/requests', asArray ? [rec] : rec);
        expect(ingestOk(res)).toBeUndefined();
        if (res.status === 400) {
          const top = p.split('.')[0];
          const fields: string[] = res.json.errors.map((e: { field: string }) => e.field);
          expect(fields.some((x) => x === top || x.startsWith(`${top}.`))).toBe(true);
        }
      }),
      fcOpts(250),
    );
  });

  it('__proto__ / constructor / prototype keys at the top level and nested never pollute and never 5xx (exhaustive)', async () => {
    // A small space, so every combination is sent (a random sample missed `constructor: null` in a map 1 time in 4).
    const wheres = [
      '',
      'identifiers',
      'identifiers.headers',
      'identifiers.cookies',
      'identifiers.query',
      'identifiers.response',
      'context',
      'bot',
      'attacks.0',
    ];
    const keys = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf', 'hasOwnProperty'];
    const payloads = [
      '{"polluted":"yes","isAdmin":true}',
      '{"prototype":{"polluted":1}}',
      '"x"',
      '1',
      'null',
      '[]',
      '{"type":"sqli"}',
    ];
    const problems: string[] = [];
    for (const w of wheres) {
      for (const k of keys) {
        const bodies = payloads.map((pl) => {
          const base = freshRecord({
            attacks: [{ type: 'sqli' }],
            identifiers: { headers: { 'x-a': '1' }, cookies: {}, query: {}, response: {} },
            context: { c: 'v' },
            bot: { type: 'b' },
          });
          const target = w === '' ? base : (w.split('.').reduce((o: any, s) => o[s], base) as Record<string, unknown>);
          target.__MARK__ = 0;
          return { pl, text: JSON.stringify(base).replace('"__MARK__":0', `"${k}":${pl}`) };
        });
        // one request per payload, plus all payloads of this (where, key) as one array body
        for (const { pl, text } of [
          ...bodies,
          { pl: 'all, as an array', text: `[${bodies.map((b) => b.text).join(',')}]` },
        ]) {
          const res = await postRaw(text);
          const problem = ingestOk(res);
          if (problem) problems.push(`${w || '(top)'}.${k} = ${pl}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('CR/LF/NUL and other control characters in identifier names and values, user agent, user, context', async () => {
    const ctl = fc
      .array(
        fc.constantFrom(
          '\r',
          '\n',
          '\r\n',
          '\u0000',
          '\t',
          '\u001b[31m',
          '\u2028',
          '\u2029',
          'Set-Cookie: a=b',
          'x',
          ':',
          ';',
          '=',
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(
        ctl,
        ctl,
        fc.constantFrom('headers', 'cookies', 'query', 'response'),
        async (name, value, kind) => {
          const rec = freshRecord({
            identifiers: { [kind]: { [name]: value, cookie: `${name}=${value}; PHPSESSID=${value}` } },
            user_agent: `ua${value}`,
            user: `u${value}`,
            role: value,
            context: { [name.slice(0, 64)]: value },
            session_id: `s${value}`,
          });
          const res = await svc.post('/v1/requests', rec);
          expect(ingestOk(res)).toBeUndefined();
        },
      ),
      fcOpts(120),
    );
  });

  it('JWT-shaped identifiers with hostile payloads (deep, __proto__, wrong-typed claims, broken base64)', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const payload = fc.oneof(
      fc.constantFrom(
        '{"sub":{"a":1}}',
        '{"sub":["x"]}',
        '{"sub":null}',
        '{"sub":1e308}',
        '{"sub":true}',
        '{"sub":""}',
        '{"__proto__":{"polluted":1},"sub":"u"}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        'null',
        '[]',
        '"x"',
        '1',
        `{"sub":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
        '{"sub":"a\u0000b\r\n"}',
        '{bad json',
      ),
      fc
        .dictionary(fc.constantFrom('sub', 'role', 'user', 'email', '__proto__', 'constructor'), anyValue, {
          maxKeys: 4,
        })
        .map((o) => JSON.stringify(o)),
    );
    const shape = fc.constantFrom(
      (p: string) => `Bearer h.${b64(p)}.s`,
      (p: string) => `h.${b64(p)}.s`,
      (p: string) => `Bearer h.${b64(p)}`,
      (p: string) => `Bearer h.${b64(p)}==.s`,
      (p: string) => `Bearer h.${Buffer.from(p).toString('base64')}.s`,
      (p: string) => `Bearer ..${b64(p)}`,
    );
    await fc.assert(
      fc.asyncProperty(payload, shape, fc.constantFrom('headers', 'cookies'), async (pl, mk, kind) => {
        const value = mk(pl).slice(0, 8192);
        const rec = freshRecord({
          identifiers: {
            [kind]: kind === 'headers' ? { authorization: value } : { token: value, jwt: value, access_token: value },
          },
        });
        const res = await svc.post('/v1/requests', rec);
        expect(ingestOk(res)).toBeUndefined();
        expect(res.status).toBe(200);
      }),
      fcOpts(80),
    );
  });

  it('ts and client_ip edge cases are a 200 or a 400 naming the field', async () => {
    const now = Date.now();
    const ts = fc.oneof(
      fc.constantFrom(
        '2026-02-30T00:00:00Z',
        '2026-11-28T23:59:60Z',
        '2026-11-28T24:00:00Z',
        '0000-01-01T00:00:00Z',
        '+275760-09-13T00:00:00Z',
        '2026-11-28T07:35:22+25:00',
        '2026-11-28T07:35:22',
        '2026-11-28',
        'now',
        '',
        ' ',
        'T',
        '1e12',
        String(now),
        new Date(now).toISOString(),
        new Date(now).toISOString().replace('Z', '+00:00'),
        new Date(now).toISOString().replace('T', ' '),
        new Date(now).toISOString().replace(/\.\d+Z$/, '.123456789Z'),
        new Date(now).toISOString().toLowerCase(),
      ),
      fc.constantFrom(now, now - 60_000, now + 10 * 60_000, 8.64e15, 8.64e15 + 1, -1, now + 0.5, 1e21),
    );
    const ip = fc.constantFrom(
      '::ffff:1.2.3.4',
      'fe80::1%eth0',
      '::',
      '::1',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '1.2.3',
      '01.2.3.4',
      '1.2.3.4/32',
      '2001:db8::/32',
      ' 1.2.3.4',
      '1.2.3.4\n',
      '[::1]',
      '1:2:3:4:5:6:7:8:9',
      'localhost',
      '',
    );
    await fc.assert(
      fc.asyncProperty(fc.option(ts, { nil: undefined }), fc.option(ip, { nil: undefined }), async (t, i) => {
        const rec = freshRecord({
          ...(t !== undefined ? { ts: t } : {}),
          ...(i !== undefined ? { client_ip: i } : {}),
        });
        const res = await svc.post('/v1/requests', rec);
        expect(ingestOk(res)).toBeUndefined();
        if (res.status === 400) {
          const fields: string[] = res.json.errors.map((e: { field: string }) => e.field);
          expect(fields.every((f) => f === 'ts' || f === 'client_ip' || f === '(record)')).toBe(true);
        }
      }),
      fcOpts(120),
    );
  });

  it('context keys that confuse flat_object (dots, empty segments) are stored or rejected, never 5xx', async () => {
    const key = fc.constantFrom(
      '.',
      '..',
      'a.',
      '.a',
      'a..b',
      'a.b',
      'a.b.c.d.e.f',
      ' ',
      '\u0000',
      '__proto__',
      'constructor',
      'a'.repeat(64),
      '*',
      'a*b',
      '\\',
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), hostileString, async (keys, value) => {
        const context = Object.fromEntries(keys.map((k) => [k, value.slice(0, 1024)]));
        const res = await postRaw(JSON.stringify(freshRecord({ context })));
        expect(ingestOk(res)).toBeUndefined();
      }),
      fcOpts(80),
    );
  });

  it('hostile strings in every string field are stored or rejected with the field named', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STRING_FIELDS, 'attacks.0.type', 'attacks.0.rule', 'bot.type'),
        hostileString,
        async (f, v) => {
          const rec = withPath(freshRecord({ attacks: [{ type: 'xss' }], bot: { type: 'crawler' } }), f, v);
          const res = await svc.post('/v1/requests', rec);
          expect(ingestOk(res)).toBeUndefined();
          if (res.status === 400) {
            const top = f.split('.')[0];
            expect(
              res.json.errors.some(
                (e: { field: string }) => e.field === top || e.field.startsWith(`${top}.`) || e.field === '(record)',
              ),
            ).toBe(true);
          }
        },
      ),
      fcOpts(200),
    );
  });
});

describe('ingest: size and shape extremes', () => {
  it('a 1 MB string in each string field is a 400 naming the field', async () => {
    const big = 'x'.repeat(1024 * 1024);
    for (const f of [
      ...STRING_FIELDS,
      'identifiers.headers.authorization',
      'identifiers.headers',
      'context.k',
      'attacks.0.type',
      'bot.type',
    ]) {
      const value = f === 'identifiers.headers' ? { [big]: 'v' } : big;
      const res = await svc.post(
        '/v1/requests',
        withPath(freshRecord({ attacks: [{ type: 'x' }], bot: { type: 'b' } }), f, value),
      );
      expect({ f, problem: ingestOk(res) }).toEqual({ f, problem: undefined });
      expect({ f, status: res.status }).toEqual({ f, status: 400 });
      const top = f.split('.')[0];
      expect(res.json.errors.some((e: { field: string }) => e.field === top || e.field.startsWith(`${top}.`))).toBe(
        true,
      );
    }
  });

  it('deep nesting (10k–100k levels) as the body, inside fields and in unknown fields', async () => {
    for (const depth of [10_000, 50_000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        const deep = deepJson(depth, kind);
        const valid = JSON.stringify(freshRecord());
        const bodies: [string, string][] = [
          ['body', deep],
          ['identifiers', valid.replace(/}$/, `,"identifiers":${deep}}`)],
          ['identifiers.headers', valid.replace(/}$/, `,"identifiers":{"headers":${deep}}}`)],
          ['context', valid.replace(/}$/, `,"context":${deep}}`)],
          ['unknown', valid.replace(/}$/, `,"zzz":${deep}}`)],
          ['__proto__', valid.replace(/}$/, `,"__proto__":${deep}}`)],
          ['array', `[${valid},${deep}]`],
        ];
        for (const [where, body] of bodies) {
          for (const type of ['application/json', 'application/x-ndjson']) {
            const res = await postRaw(body, { 'content-type': type });
            const label = `${kind} depth ${depth} in ${where} (${type})`;
            expect({ label, problem: ingestOk(res) }).toEqual({ label, problem: undefined });
          }
        }
      }
    }
  });

  it('body limits: over MAX_BODY_BYTES → 413; gzip bomb → 413; broken gzip → 400; other encodings/types → 415', async () => {
    const limit = svc.config.maxBodyBytes;
    const big = Buffer.alloc(limit + 1, 0x20);
    expect((await postRaw(big)).status).toBe(413);

    // small on the wire, past the limit inflated: zeros, spaces, and a valid-looking record padded with whitespace
    for (const inflated of [
      Buffer.alloc(limit * 4),
      Buffer.alloc(limit + 10, 0x20),
      Buffer.concat([Buffer.from(JSON.stringify(freshRecord())), Buffer.alloc(limit * 8, 0x0a)]),
    ]) {
      const bomb = gzipSync(inflated, { level: 9 });
      expect(bomb.length).toBeLessThan(100 * 1024);
      for (const type of ['application/json', 'application/x-ndjson']) {
        const res = await postRaw(bomb, { 'content-encoding': 'gzip', 'content-type': type });
        expect(ingestOk(res)).toBeUndefined();
        expect(res.status).toBe(413);
      }
    }
    // a gzip bomb of nested gzip (gzip inside gzip): the inner layer is just bytes → 400, not inflated again
    const nested = gzipSync(gzipSync(Buffer.alloc(limit * 4)));
    const nestedRes = await postRaw(nested, { 'content-encoding': 'gzip' });
    expect(ingestOk(nestedRes)).toBeUndefined();
    expect(nestedRes.status).toBe(400);

    // truncated / corrupt gzip
    const good = gzipSync(JSON.stringify(freshRecord()));
    for (const broken of [
      good.subarray(0, good.length - 5),
      Buffer.concat([good.subarray(0, 12), Buffer.from('garbage')]),
      Buffer.from('not gzip at all'),
      Buffer.alloc(0),
    ]) {
      const res = await postRaw(broken, { 'content-encoding': 'gzip' });
      expect(ingestOk(res)).toBeUndefined();
      expect(res.status).toBe(400);
    }
    // a valid gzip body still works
    const ok = await postRaw(good, { 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);

    for (const enc of ['br', 'deflate', 'gzip, gzip', 'compress', 'x', 'gzip\u0000']) {
      const res = await postRaw(JSON.stringify(freshRecord()), { 'content-encoding': enc }).catch(() => undefined);
      if (!res) continue; // fetch refused the header value itself
      expect(ingestOk(res)).toBeUndefined();
      expect(res.status).toBe(415);
    }
    for (const type of [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/json-patch+json',
    ]) {
      const res = await postRaw(JSON.stringify(freshRecord()), { 'content-type': type });
      expect(ingestOk(res)).toBeUndefined();
      expect(res.status).toBe(415);
    }
  });

  it('an array of 50k tiny invalid items answers 400 with at most 1000 listed errors', async () => {
    const body = `[${Array.from({ length: 50_000 }, () => '1').join(',')}]`;
    const res = await postRaw(body);
    expect(ingestOk(res)).toBeUndefined();
    expect(res.status).toBe(400);
    expect(res.json.rejected).toBe(50_000);
    expect(res.json.errors.length).toBeLessThanOrEqual(1000);
  });
});

describe('ingest: stored documents stay clean', () => {
  it('records with hostile strings are stored verbatim (lower-cased host), identifiers never stored', async () => {
    const tag = `clean-${Date.now()}`;
    const values = ['a*b', '" or 1=1', '\\', '{"match_all":{}}', '<script>x</script>', 'a\r\nb', 'a\u0000b'];
    const recs = values.map((v, i) =>
      freshRecord({
        id: `${tag}-${i}`,
        host: v,
        user: v,
        identifiers: { headers: { authorization: `Bearer secret-${i}` } },
      }),
    );
    const res = await svc.post('/v1/requests', recs);
    expect(res.status).toBe(200);
    expect(res.json.accepted).toBe(values.length);
    const docs = await storedDocs(svc.client, prefix, tag);
    expect(docs.map((d) => d.host).sort()).toEqual([...values].map((v) => v.toLowerCase()).sort());
    expect(JSON.stringify(docs)).not.toContain('secret-');
  });
});

describe('HTTP-level garbage', () => {
  /** Sends raw bytes on a socket and returns what came back (the status line and headers, or until close or 2 s idle). */
  function rawHttp(url: string, bytes: string | Buffer): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
      const sock = net.connect(Number(port), hostname);
      let out = '';
      const done = () => {
        sock.destroy();
        resolve(out);
      };
      sock.setTimeout(2000, done);
      sock.on('data', (d) => {
        out += d.toString('latin1');
        if (/^HTTP\/1\.[01] \d{3}[^]*\r\n\r\n/.test(out)) setTimeout(done, 50); // status and headers are enough
      });
      sock.on('end', done);
      sock.on('error', done);
      sock.write(bytes);
    });
  }

  it('CR/LF/NUL in header names and values, broken request lines and chunking get a 4xx, never a 5xx or a hang', async () => {
    const auth = `Authorization: Bearer ${TEST_TOKENS.ingest}\r\n`;
    const body = JSON.stringify(freshRecord());
    const cases = [
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}X-Evil: a\u0000b\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}X-Ev\u0000il: ab\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}X-Evil: a\rb\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.ingest}\u0000\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
      `POST /v1/requests\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST /v1/req uests HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GARBAGE\r\n\r\n`,
      `POST /v1/requests HTTP/9.9\r\nHost: x\r\n\r\n`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n`,
      `POST /v1/requests HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n`,
      `POST /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.query}\r\nContent-Type: application/json; charset=utf-16\r\nContent-Length: 2\r\n\r\n{}`,
      `POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.query}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}`,
      `POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.query}\r\nContent-Type: application/json\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\n{}`,
    ];
    for (const c of cases) {
      const out = await rawHttp(svc.url, Buffer.from(c, 'latin1'));
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(out)?.[1] ?? 0);
      const label = JSON.stringify(c.slice(0, 120));
      // 0 = the parser closed the connection without an answer, which is fine for garbage; a 5xx is not
      expect({ label, fine: status === 0 || (status >= 400 && status < 500) }).toEqual({ label, fine: true });
    }
  });
});
