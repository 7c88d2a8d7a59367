import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordSchema } from '../src/ingest/schema';
import { parseNginxJson } from './parse-nginx-json';

const SAMPLES = join(__dirname, '../../docs/integrations/samples');
const sampleLines = () =>
  readFileSync(join(SAMPLES, 'nginx-json.log'), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
const expectedRecords = () =>
  readFileSync(join(SAMPLES, 'nginx-json.records.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const line = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    msec: '1795852689.173',
    request_id: 'a7719fd9d19165bded25dc5d4f24766a',
    host: 'api.example.com',
    hostname: 'edge-1',
    remote_addr: '203.0.113.7',
    remote_user: '',
    request_method: 'GET',
    request_uri: '/a?b=1',
    server_protocol: 'HTTP/1.1',
    status: '200',
    request_length: '191',
    bytes_sent: '1534',
    request_time: '0.012',
    http_user_agent: 'curl/8.5.0',
    headers: { authorization: '', 'x-session-id': '' },
    cookies: { PHPSESSID: '', sid: '' },
    ...overrides,
  });

describe('parseNginxJson', () => {
  it('turns the documented sample lines (docs/integrations/nginx.md) into the documented records', () => {
    const results = sampleLines().map(parseNginxJson);
    const records = results.filter((r) => r.ok).map((r) => (r as { record: unknown }).record);
    expect(records).toEqual(expectedRecords());
    // The third sample is nginx's answer to an unparseable request (status 400, empty method).
    expect(results[2]).toEqual({ ok: false, reason: 'request_method missing' });
  });

  it('produces records the service accepts (recordSchema)', () => {
    for (const r of expectedRecords()) expect(recordSchema.safeParse(r).error).toBeUndefined();
  });

  it('maps the fields: request_time s → duration_ms, bytes, protocol, node, user', () => {
    const r = parseNginxJson(line({ remote_user: 'bob', request_time: '1.5' }));
    expect(r).toEqual({
      ok: true,
      record: {
        ts: 1795852689173,
        id: 'a7719fd9d19165bded25dc5d4f24766a',
        host: 'api.example.com',
        node: 'edge-1',
        client_ip: '203.0.113.7',
        user: 'bob',
        method: 'GET',
        path: '/a?b=1',
        protocol: 'HTTP/1.1',
        status: 200,
        request_bytes: 191,
        response_bytes: 1534,
        duration_ms: 1500,
        user_agent: 'curl/8.5.0',
      },
    });
  });

  it('keeps only the headers and cookies that were present as identifiers', () => {
    const r = parseNginxJson(
      line({ headers: { authorization: 'Bearer x.y.z', 'x-session-id': '' }, cookies: { PHPSESSID: 'abc', sid: '' } }),
    );
    expect(r.ok && r.record.identifiers).toEqual({
      headers: { authorization: 'Bearer x.y.z' },
      cookies: { PHPSESSID: 'abc' },
    });
    const none = parseNginxJson(line());
    expect(none.ok && none.record.identifiers).toBeUndefined();
  });

  it('accepts unquoted numbers, time_iso8601 instead of msec, body_bytes_sent, status 000 and an app', () => {
    const r = parseNginxJson(
      line({
        msec: undefined,
        time_iso8601: '2026-11-28T07:58:09+00:00',
        status: 0,
        bytes_sent: undefined,
        body_bytes_sent: 7,
        request_time: 0.25,
        app: 'shop',
      }),
    );
    expect(r.ok && r.record).toMatchObject({
      ts: Date.parse('2026-11-28T07:58:09Z'),
      status: 0,
      response_bytes: 7,
      duration_ms: 250,
      app: 'shop',
    });
    expect(parseNginxJson(line({ status: '000' })).ok).toBe(true);
  });

  it('reads IPv6 clients', () => {
    const r = parseNginxJson(line({ remote_addr: '2001:db8::7' }));
    expect(r.ok && r.record.client_ip).toBe('2001:db8::7');
  });

  it.each([
    ['truncated JSON', line().slice(0, 80), /not valid JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['no msec', line({ msec: '' }), /msec/],
    ['bad msec', line({ msec: 'yesterday' }), /msec/],
    ['unix socket client', line({ remote_addr: 'unix:' }), /remote_addr/],
    ['no method', line({ request_method: '' }), /request_method/],
    ['no uri', line({ request_uri: '' }), /request_uri/],
    ['status 999', line({ status: '999' }), /status/],
    ['status text', line({ status: 'ok' }), /status/],
  ])('rejects %s', (_name, text, expected) => {
    const r = parseNginxJson(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(expected);
  });

  it('never repeats a value in its reason (identifiers stay out of error output)', () => {
    const r = parseNginxJson(line({ remote_addr: 'SECRET-abc', cookies: { sid: 'SECRET-abc' } }));
    expect(!r.ok && r.reason).not.toContain('SECRET');
  });

  it('ignores a __proto__ key in the identifier maps', () => {
    const r = parseNginxJson(line().replace('"PHPSESSID":""', '"__proto__":"x","PHPSESSID":"a"'));
    expect(r.ok && r.record.identifiers).toEqual({ cookies: { PHPSESSID: 'a' } });
  });
});
