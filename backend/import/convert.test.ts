import { createConverter, DEFAULT_HOST } from './convert';

const LINE = '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 1 "-" "ua"';

describe('createConverter', () => {
  it('fills the default host, sets --host/--app, shifts ts and adds a stable id', () => {
    const plain = createConverter({ format: 'combined' })(LINE, 1);
    expect(plain.ok && plain.record.host).toBe(DEFAULT_HOST);
    const c = createConverter({ format: 'combined', host: 'api.example.com', app: 'shop', offsetMs: 1000 });
    const r = c(LINE, 7);
    expect(r.ok && r.record).toMatchObject({
      host: 'api.example.com',
      app: 'shop',
      ts: Date.UTC(2000, 9, 10, 20, 55, 37),
    });
    const again = createConverter({ format: 'combined', host: 'api.example.com', app: 'shop', offsetMs: 99_999 })(
      LINE,
      7,
    );
    expect(again.ok && r.ok && again.record.id).toBe(r.ok && r.record.id);
    const elsewhere = c(LINE, 8);
    expect(elsewhere.ok && r.ok && elsewhere.record.id).not.toBe(r.ok && r.record.id);
    expect(r.ok && r.record.id).toMatch(/^imp-[0-9a-f]{32}$/);
  });
  it('keeps an id the line carries (nginx $request_id, NDJSON id) and --host overrides the line host', () => {
    const c = createConverter({ format: 'ndjson', host: 'override' });
    const r = c('{"id":"abc","ts":1,"host":"orig","method":"GET","path":"/","status":200,"client_ip":"::1"}', 1);
    expect(r.ok && r.record).toMatchObject({ id: 'abc', host: 'override' });
  });
  it('passes parse failures through', () => {
    expect(createConverter({ format: 'combined' })('nope', 1)).toEqual({ ok: false, reason: 'no [date] field' });
  });
});
