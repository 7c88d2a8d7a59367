import { parseNdjson, parseRecordTs } from './parse-ndjson';

describe('parseNdjson', () => {
  it('passes a record through with ts as epoch ms', () => {
    const r = parseNdjson(
      '{"ts":"2026-11-28T07:35:22.5Z","host":"h","method":"GET","path":"/","status":200,"client_ip":"::1","attacks":[{"type":"sqli"}]}',
    );
    expect(r).toEqual({
      ok: true,
      record: {
        ts: Date.parse('2026-11-28T07:35:22.5Z'),
        host: 'h',
        method: 'GET',
        path: '/',
        status: 200,
        client_ip: '::1',
        attacks: [{ type: 'sqli' }],
      },
    });
  });
  it('accepts epoch ms and zone offsets; rejects other dates', () => {
    expect(parseRecordTs(1795851322000)).toBe(1795851322000);
    expect(parseRecordTs('2026-11-28T08:35:22+01:00')).toBe(Date.parse('2026-11-28T07:35:22Z'));
    for (const bad of ['Nov 28 2026', '2026-11-28', -1, 1.5, null, undefined])
      expect(parseRecordTs(bad)).toBeUndefined();
  });
  it('rejects non-objects, broken JSON and a missing ts', () => {
    expect(parseNdjson('[]').ok).toBe(false);
    expect(parseNdjson('{"ts":').ok).toBe(false);
    expect(parseNdjson('{"path":"/"}')).toEqual({ ok: false, reason: 'ts missing or not RFC 3339 / epoch ms' });
  });
});
