import { createHmac } from 'node:crypto';
import { buildCarriers, createIdentityExtractor } from './identity';
import { DEFAULT_RULES, parseSessionRules } from './rules';

const SECRET = 'test-secret-0123456789';
const hmac = (v: string) => createHmac('sha256', SECRET).update(v).digest('hex');
const carriers = (
  ids: Parameters<typeof buildCarriers>[0],
  extra: { query?: Record<string, string>; sessionId?: string; ip?: string; ua?: string } = {},
) => buildCarriers(ids, extra.query ?? {}, extra.sessionId, extra.ip ?? '10.0.0.1', extra.ua);

const rules = parseSessionRules(`
keys:
  - jwt: { header: authorization, claim: sub }
  - response: x-auth-token
  - header: x-auth-token
  - cookie: sid
  - query: session
user:
  - jwt: { header: authorization, claim: sub }
role:
  - jwt: { header: authorization, claim: role }
context:
  - name: tenant
    header: x-tenant
  - name: account
    cookie: acct
    hash: true
`);

function jwt(payload: object): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'HS256' })}.${b(payload)}.c2ln`;
}

describe('session identity', () => {
  const id = createIdentityExtractor(rules, SECRET);

  it('uses the first configured rule that is present and names it', () => {
    const r = id.identify(
      carriers({
        headers: { Authorization: `Bearer ${jwt({ sub: 'alice', role: 'admin' })}` },
        cookies: { sid: 'zzz' },
      }),
      {},
    );
    expect(r).toMatchObject({ key: hmac('alice'), keySource: 'jwt:authorization.sub', user: 'alice', role: 'admin' });
  });

  it('joins equal values found in different places (login response token → later header)', () => {
    const login = id.identify(carriers({ response: { 'X-Auth-Token': 'tok-123' } }), {});
    const later = id.identify(carriers({ headers: { 'x-auth-token': 'tok-123' } }), {});
    expect(login.key).toBe(later.key);
    expect(login.keySource).toBe('response:x-auth-token');
    expect(later.keySource).toBe('header:x-auth-token');
  });

  it('reads cookies from the map and from a Cookie header, and query parameters', () => {
    expect(id.identify(carriers({ cookies: { sid: 'abc' } }), {}).key).toBe(hmac('abc'));
    expect(id.identify(carriers({ headers: { cookie: 'x=1; sid=abc' } }), {}).key).toBe(hmac('abc'));
    expect(id.identify(carriers({}, { query: { session: 'q1' } }), {})).toMatchObject({
      key: hmac('q1'),
      keySource: 'query:session',
    });
  });

  it('treats a malformed JWT or cookie header as absent, never as a failure', () => {
    // The JWT rule is skipped; the built-in set then uses the opaque bearer token itself.
    const r = id.identify(
      carriers({ headers: { authorization: 'Bearer not.a-jwt', cookie: ';;=;garbage' } }, { ua: 'UA' }),
      {},
    );
    expect(r).toMatchObject({ keySource: 'header:authorization', key: hmac('not.a-jwt'), user: undefined });
    const strict = createIdentityExtractor(
      parseSessionRules('keys: [{jwt: {header: authorization, claim: sub}}]\nfallback: false'),
      SECRET,
    );
    expect(
      strict.identify(carriers({ headers: { authorization: 'Bearer not.a-jwt' } }, { ua: 'UA' }), {}).keySource,
    ).toBe('ip+ua');
    const arrayPayload = `Bearer a.${Buffer.from('[1,2]').toString('base64url')}.c`;
    expect(strict.identify(carriers({ headers: { authorization: arrayPayload } }), {}).keySource).toBe('ip');
  });

  it('falls back to built-in cookies, then ip+ua, then ip', () => {
    const plain = createIdentityExtractor(DEFAULT_RULES, SECRET);
    expect(plain.identify(carriers({ cookies: { PHPSESSID: 'p1' } }), {})).toMatchObject({
      key: hmac('p1'),
      keySource: 'cookie:PHPSESSID',
    });
    expect(plain.identify(carriers({ cookies: { JSESSIONID: 'j1' } }), {}).keySource).toBe('cookie:JSESSIONID');
    expect(plain.identify(carriers({}, { sessionId: 'node-42' }), {})).toMatchObject({
      key: hmac('node-42'),
      keySource: 'node:session_id',
    });
    expect(plain.identify(carriers({}, { ip: '1.2.3.4', ua: 'curl/8' }), {})).toMatchObject({
      key: hmac('ip+ua:1.2.3.4\ncurl/8'),
      keySource: 'ip+ua',
    });
    expect(plain.identify(carriers({}, { ip: '1.2.3.4' }), {})).toMatchObject({
      key: hmac('ip:1.2.3.4'),
      keySource: 'ip',
    });
  });

  it('does not use the built-in set when fallback is off', () => {
    const strict = createIdentityExtractor(parseSessionRules('keys: [{cookie: sid}]\nfallback: false'), SECRET);
    expect(strict.identify(carriers({ cookies: { PHPSESSID: 'p1' } }, { ua: 'x' }), {}).keySource).toBe('ip+ua');
  });

  it('explicit user/role/context win; context rules add values, hashed where asked', () => {
    const r = id.identify(carriers({ headers: { 'x-tenant': 'acme' }, cookies: { acct: '99' } }), {
      user: 'bob',
      context: { plan: 'gold' },
    });
    expect(r.user).toBe('bob');
    expect(r.context).toEqual({ plan: 'gold', tenant: 'acme', account: hmac('99') });
  });
});

describe('session rules file', () => {
  it('rejects a rule with two locations, naming the field', () => {
    expect(() => parseSessionRules('keys:\n  - header: a\n    cookie: b')).toThrow(/keys\.0: a rule needs exactly one/);
  });
  it('rejects unknown keys and bad YAML clearly', () => {
    expect(() => parseSessionRules('kees: []')).toThrow(/Unrecognized key/);
    expect(() => parseSessionRules('keys: [')).toThrow(/not valid YAML/);
  });
  it('accepts JSON', () => {
    expect(parseSessionRules('{"keys":[{"query":"sid"}]}').keys).toEqual([{ query: 'sid' }]);
  });
});
