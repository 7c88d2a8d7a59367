import { createPipeline } from '../ingest/pipeline';
import { createIdentityExtractor } from '../session/identity';
import { DEFAULT_RULES, parseSessionRules } from '../session/rules';
import { readDecisionRequest } from './decision-input';

const SECRET = 'unit-secret-0123456789';
const NOW = Date.now();

/** The session key ingest stores for one record (through the real pipeline). */
function ingestKey(record: Record<string, unknown>, rules = DEFAULT_RULES) {
  const out = createPipeline({ rules, secret: SECRET, retentionDays: 7 }).run([{ index: 0, value: record }], NOW);
  expect(out.errors).toEqual([]);
  return out.docs[0].doc;
}

const base = { ts: NOW - 1000, host: 'api.example.com', method: 'GET', status: 200, client_ip: '203.0.113.7' };

describe('readDecisionRequest', () => {
  it('reads client IP, host, app and the original URI (nginx)', () => {
    const r = readDecisionRequest(
      {
        'x-real-ip': '203.0.113.7',
        'x-forwarded-for': '10.0.0.1, 198.51.100.1',
        'x-forwarded-host': 'API.example.com',
        host: 'decision.internal',
        'x-api-sessions-app': 'shop',
        'x-original-uri': '/cart?sid=abc&x=1',
        'x-decision-token': 'secret-token-0123456789',
        cookie: 'PHPSESSID=s1',
      },
      '/v1/decision',
      '127.0.0.1',
    );
    expect(r.ip).toEqual({ family: 4, bytes: Uint8Array.from([203, 0, 113, 7]) });
    expect(r.host).toBe('api.example.com');
    expect(r.app).toBe('shop');
    expect(r.identity.pathQuery).toEqual({ sid: 'abc', x: '1' });
    expect(r.identity.identifiers?.headers).not.toHaveProperty('x-decision-token');
    expect(r.identity.identifiers?.headers?.cookie).toBe('PHPSESSID=s1');
  });

  it('takes the last X-Forwarded-For hop, then the peer; the Envoy path suffix as URI', () => {
    const r = readDecisionRequest(
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.9', host: 'api.example.com' },
      '/v1/decision/orders/7?token=t1',
      '127.0.0.1',
    );
    expect(r.identity.clientIp).toBe('203.0.113.9');
    expect(r.host).toBe('api.example.com');
    expect(r.identity.pathQuery).toEqual({ token: 't1' });
    const peer = readDecisionRequest({}, '/v1/decision', '::ffff:127.0.0.1');
    expect(peer.identity.clientIp).toBe('::ffff:127.0.0.1');
    expect(peer.ip?.family).toBe(4);
    expect(readDecisionRequest({ 'x-real-ip': 'not-an-ip' }, '/v1/decision', undefined).ip).toBeUndefined();
  });

  describe('gives the session key ingest stored for the same request', () => {
    const extractor = createIdentityExtractor(DEFAULT_RULES, SECRET);
    const decide = (headers: Record<string, string>, path = '/v1/decision') =>
      extractor.identifyRequest(readDecisionRequest(headers, path, '127.0.0.1').identity);

    it('session cookie', () => {
      const doc = ingestKey({ ...base, path: '/cart', identifiers: { cookies: { PHPSESSID: 'abc' } } });
      const id = decide({ 'x-real-ip': '203.0.113.7', cookie: 'theme=dark; PHPSESSID=abc', 'user-agent': 'ua/1' });
      expect(id.key).toBe(doc.session.key);
      expect(id.keySource).toBe('cookie:PHPSESSID');
    });

    it('bearer token header', () => {
      const doc = ingestKey({ ...base, path: '/x', identifiers: { headers: { Authorization: 'Bearer tok-1' } } });
      expect(decide({ 'x-real-ip': '203.0.113.7', authorization: 'Bearer tok-1' }).key).toBe(doc.session.key);
    });

    it('client IP + user agent fallback', () => {
      const doc = ingestKey({ ...base, path: '/x', user_agent: 'curl/8' });
      expect(decide({ 'x-real-ip': '203.0.113.7', 'user-agent': 'curl/8' }).key).toBe(doc.session.key);
    });

    it('configured query key and JWT user rule', () => {
      const rules = parseSessionRules(
        'keys: [{query: sid}]\nuser: [{jwt: {header: authorization, claim: sub}}]\nfallback: false',
      );
      const jwt = `h.${Buffer.from(JSON.stringify({ sub: 'alice' })).toString('base64url')}.s`;
      const doc = ingestKey(
        { ...base, path: '/cart?sid=q1', identifiers: { headers: { authorization: `Bearer ${jwt}` } } },
        rules,
      );
      const id = createIdentityExtractor(rules, SECRET).identifyRequest(
        readDecisionRequest(
          { 'x-real-ip': '203.0.113.7', 'x-original-uri': '/cart?sid=q1', authorization: `Bearer ${jwt}` },
          '/v1/decision',
          undefined,
        ).identity,
      );
      expect(id.key).toBe(doc.session.key);
      expect(id.user).toBe('alice');
      expect(doc.user).toBe('alice');
    });
  });
});
