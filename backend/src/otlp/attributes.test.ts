import {
  asInt,
  asNumber,
  capturedHeaders,
  hostWithoutPort,
  normalizeIp,
  pick,
  protocolOf,
  splitUrl,
  wantedAttribute,
} from './attributes';
import { newAttrMap, type AttrMap } from './model';

const attrs = (o: Record<string, any>): AttrMap => Object.assign(newAttrMap(), o);

describe('attribute readers', () => {
  it('pick: the first name present, attributes before body; blanks and Envoy "-" count as absent', () => {
    const a = attrs({ 'http.method': 'GET', 'client.address': '-', 'http.client_ip': '' });
    const b = attrs({ 'http.request.method': 'POST', 'net.sock.peer.addr': '10.0.0.1' });
    expect(pick([a, b], ['http.request.method', 'http.method'])).toBe('POST');
    expect(pick([a, b], ['client.address', 'http.client_ip', 'net.sock.peer.addr'])).toBe('10.0.0.1');
    expect(pick([a], ['nope'])).toBeUndefined();
  });

  it.each([
    [200, 200],
    ['404', 404],
    [' 503 ', 503],
    [['201'], 201],
    ['ok', 'ok'],
    ['1e3', '1e3'],
  ])('asInt(%j) → %j', (v, want) => expect(asInt(v as any)).toEqual(want));

  it.each([
    ['12.5', 12.5],
    [3, 3],
    [-1, undefined],
    ['x', undefined],
    ['', undefined],
  ])('asNumber(%j) → %j', (v, want) => expect(asNumber(v as any)).toEqual(want));

  it.each([
    ['1.1', 'HTTP/1.1'],
    ['2', 'HTTP/2'],
    ['HTTP/1.0', 'HTTP/1.0'],
  ])('protocolOf(%j) → %j', (v, want) => expect(protocolOf(v)).toBe(want));

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::1', '::1'],
  ])('normalizeIp(%j) → %j', (v, want) => expect(normalizeIp(v)).toBe(want));

  it.each([
    ['api.example.com:8443', 'api.example.com'],
    ['api.example.com', 'api.example.com'],
    ['[::1]:80', '::1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('hostWithoutPort(%j) → %j', (v, want) => expect(hostWithoutPort(v)).toBe(want));

  it('splitUrl: path with query and host of a full URL; nothing for garbage', () => {
    expect(splitUrl('https://api.example.com:8443/a/b?x=1')).toEqual({ path: '/a/b?x=1', host: 'api.example.com' });
    expect(splitUrl('http://[::1]:8080/')).toEqual({ path: '/', host: '::1' });
    expect(splitUrl('not a url')).toEqual({});
  });

  it('wantedAttribute keeps the table and captured headers only', () => {
    expect(wantedAttribute('http.route')).toBe(true);
    expect(wantedAttribute('http.request.header.cookie')).toBe(true);
    expect(wantedAttribute('http.response.header.x-auth-token')).toBe(true);
    expect(wantedAttribute('http.scheme')).toBe(false);
    expect(wantedAttribute('db.statement')).toBe(false);
  });
});

describe('capturedHeaders', () => {
  it('joins repeated values as HTTP does, files request and response headers apart, lower-cases names', () => {
    const out = capturedHeaders([
      attrs({
        'http.request.header.cookie': ['PHPSESSID=abc', 'theme=dark'],
        'http.request.header.X-Forwarded-For': ['1.2.3.4', '5.6.7.8'],
        'http.request.header.authorization': 'Bearer t0k',
        'http.response.header.x-auth-token': ['tok-1'],
        'http.method': 'GET',
      }),
    ]);
    expect(out).toEqual({
      headers: {
        cookie: 'PHPSESSID=abc; theme=dark',
        'x-forwarded-for': '1.2.3.4, 5.6.7.8',
        authorization: 'Bearer t0k',
      },
      response: { 'x-auth-token': 'tok-1' },
    });
  });

  it("also files an older SDK's underscore name under its dashed form", () => {
    expect(capturedHeaders([attrs({ 'http.request.header.x_session_id': ['s-1'] })]).headers).toEqual({
      x_session_id: 's-1',
      'x-session-id': 's-1',
    });
  });

  it('drops over-long values, empty names and unsafe names; keeps at most 100 names', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 150; i++) many[`http.request.header.h${i}`] = 'v';
    const out = capturedHeaders([
      attrs({
        'http.request.header.cookie': 'x'.repeat(8193),
        'http.request.header.': 'v',
        'http.request.header.__proto__': 'v',
        ...many,
      }),
    ]);
    expect(Object.keys(out.headers!)).toHaveLength(100);
    expect(out.headers!.cookie).toBeUndefined();
    expect(Object.getPrototypeOf(out.headers)).toBe(Object.prototype);
  });

  it('returns nothing when no header was captured', () => {
    expect(capturedHeaders([attrs({ 'http.method': 'GET' })])).toEqual({});
  });
});
