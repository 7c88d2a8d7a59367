import { createPipeline } from './pipeline';
import { DEFAULT_RULES } from '../session/rules';
import { DAY_MS } from '../durations';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const pipeline = createPipeline({ rules: DEFAULT_RULES, secret: 'secret-0123456789abcdef', retentionDays: 7 });
const base = {
  ts: NOW - 1000,
  host: 'API.example.com',
  method: 'get',
  path: '/users/42?token=SECRET-Q&x=1',
  status: 404,
  client_ip: '2001:db8::1',
};
const run = (...values: unknown[]) =>
  pipeline.run(
    values.map((value, index) => ({ index, value })),
    NOW,
  );

describe('ingest pipeline', () => {
  it('builds the stored document from an allow-list and never keeps raw identifiers', () => {
    const { docs, errors } = run({
      ...base,
      identifiers: { cookies: { PHPSESSID: 'SECRET-COOKIE' }, headers: { authorization: 'Bearer SECRET-TOKEN' } },
      attacks: [{ type: 'SQLi', blocked: true }, { type: 'sqli' }],
      bot: { type: 'Scraper', score: 0.5 },
      unknown_field: 'dropped',
    });
    expect(errors).toEqual([]);
    const doc = docs[0].doc;
    expect(doc).toMatchObject({
      host: 'api.example.com',
      method: 'GET',
      path: '/users/42',
      endpoint: '/users/{int}',
      query_params: ['token', 'x'],
      status_class: '4xx',
      attack_types: ['sqli'],
      attack_count: 2,
      attacked: true,
      blocked: true,
      is_error: 0,
      bot: { type: 'scraper', score: 0.5 },
      session: { key_source: 'cookie:PHPSESSID' },
    });
    expect(doc.id).toMatch(/^auto-[0-9a-f]{40}$/);
    const text = JSON.stringify(doc);
    for (const secret of ['SECRET-COOKIE', 'SECRET-TOKEN', 'SECRET-Q', 'unknown_field', 'identifiers'])
      expect(text).not.toContain(secret);
  });

  it('gives the same generated id to the same record, so a retried body is stored once', () => {
    expect(run(base).docs[0].doc.id).toBe(run(base).docs[0].doc.id);
    expect(run(base).docs[0].doc.id).not.toBe(run({ ...base, status: 200 }).docs[0].doc.id);
  });

  it('rejects invalid records one by one, naming the field, and keeps the valid ones', () => {
    const { docs, errors } = run(base, { ...base, status: '200' }, { ...base, client_ip: 'nope' }, 42, {
      ...base,
      ts: 'yesterday',
    });
    expect(docs.map((d) => d.index)).toEqual([0]);
    expect(errors).toEqual([
      { index: 1, field: 'status', message: expect.stringMatching(/number/) },
      { index: 2, field: 'client_ip', message: 'must be an IPv4 or IPv6 address' },
      { index: 3, field: '(record)', message: expect.stringMatching(/object/) },
      { index: 4, field: 'ts', message: expect.stringMatching(/RFC 3339/) },
    ]);
  });

  it('never throws on structures the validator cannot handle', () => {
    const headers = Object.create(null);
    headers.constructor = null;
    const { errors } = run({ ...base, identifiers: { headers } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 0 });
  });

  it('lists every missing required field', () => {
    const { errors } = run({});
    expect(errors.map((e) => e.field).sort()).toEqual(['client_ip', 'host', 'method', 'path', 'status', 'ts']);
  });

  it('rejects records outside retention or too far in the future, saying so', () => {
    const { errors } = run(
      { ...base, ts: NOW - 8 * DAY_MS },
      { ...base, ts: new Date(NOW + 6 * 60_000).toISOString() },
      { ...base, ts: NOW + 4 * 60_000 },
    );
    expect(errors).toEqual([
      { index: 0, field: 'ts', message: 'is older than the retention window (7 days)' },
      { index: 1, field: 'ts', message: 'is more than 5 minutes in the future' },
    ]);
  });

  it('rejects 1 MB strings and oversized maps with a clear message', () => {
    const { errors } = run(
      { ...base, user_agent: 'x'.repeat(1_000_000) },
      { ...base, context: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
    );
    expect(errors[0]).toMatchObject({ index: 0, field: 'user_agent', message: expect.stringMatching(/1024/) });
    expect(errors[1]).toMatchObject({ index: 1, field: 'context', message: 'at most 20 entries' });
  });

  it('accepts RFC 3339 and epoch ms, and keeps a node-sent endpoint', () => {
    const { docs } = run({ ...base, ts: '2026-11-28T11:59:00.250+01:00', endpoint: '/users/{id}' });
    expect(docs[0].doc.ts).toBe(Date.parse('2026-11-28T10:59:00.250Z'));
    expect(docs[0].doc.endpoint).toBe('/users/{id}');
  });
});
