import { isHttpServerSpan, mapSpans } from './map-spans';
import { routeTemplate } from './record';
import { newAttrMap, type OtlpSpan, type ResourceGroup } from './model';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

function span(attrs: Record<string, any>, over: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: TRACE,
    spanId: SPAN,
    kind: 2,
    startNs: 1_700_000_000_123_456_768,
    durationNs: 12_345_678,
    attrs: Object.assign(newAttrMap(), attrs),
    scope: 0,
    index: 0,
    ...over,
  };
}
const group = (
  items: OtlpSpan[],
  resource: Record<string, any> = { 'service.name': 'shop' },
): ResourceGroup<OtlpSpan> => ({
  index: 0,
  resource: Object.assign(newAttrMap(), resource),
  items,
});

const STABLE = {
  'http.request.method': 'GET',
  'url.path': '/api/items/17',
  'url.query': 'page=2&sid=s3cr3t',
  'http.response.status_code': 200,
  'client.address': '203.0.113.7',
  'user_agent.original': 'curl/8.5',
  'server.address': 'api.example.com',
  'http.route': '/api/items/:id',
  'enduser.id': 'alice',
  'network.protocol.version': '1.1',
  'http.response.body.size': 512,
  'http.request.header.cookie': ['PHPSESSID=abc123'],
  'http.response.header.x-auth-token': ['tok-9'],
};

describe('mapSpans', () => {
  it('maps the current semantic-convention names onto a /v1/requests record', () => {
    const out = mapSpans([group([span(STABLE)], { 'service.name': 'shop', 'host.name': 'pod-1' })]);
    expect(out).toMatchObject({ ignored: 0, total: 1 });
    expect(out.items).toEqual([
      {
        index: 0,
        value: {
          id: `${TRACE}-${SPAN}`,
          ts: 1_700_000_000_123,
          duration_ms: 12.346,
          method: 'GET',
          path: '/api/items/17?page=2&sid=s3cr3t',
          host: 'api.example.com',
          status: 200,
          client_ip: '203.0.113.7',
          user_agent: 'curl/8.5',
          endpoint: '/api/items/{id}',
          user: 'alice',
          protocol: 'HTTP/1.1',
          response_bytes: 512,
          app: 'shop',
          node: 'pod-1',
          identifiers: { headers: { cookie: 'PHPSESSID=abc123' }, response: { 'x-auth-token': 'tok-9' } },
        },
      },
    ]);
    expect(out.origins).toEqual([{ path: 'resourceSpans[0].scopeSpans[0].spans[0]', ref: `span ${SPAN}` }]);
  });

  it('maps the older names (nginx otel module, pre-1.20 SDKs)', () => {
    const out = mapSpans([
      group([
        span({
          'http.method': 'POST',
          'http.target': '/login?next=/home',
          'http.status_code': 302,
          'net.sock.peer.addr': '198.51.100.4',
          'http.user_agent': 'Mozilla/5.0',
          'http.host': 'shop.example.com:8443',
          'http.flavor': '2.0',
          'http.request_content_length': 42,
        }),
      ]),
    ]);
    expect(out.items[0].value).toMatchObject({
      method: 'POST',
      path: '/login?next=/home',
      status: 302,
      client_ip: '198.51.100.4',
      user_agent: 'Mozilla/5.0',
      host: 'shop.example.com',
      protocol: 'HTTP/2.0',
      request_bytes: 42,
    });
  });

  it('prefers client.address, then http.client_ip, then the socket peer; maps IPv4-mapped IPv6 to IPv4', () => {
    const ip = (a: Record<string, any>) =>
      (mapSpans([group([span({ 'http.method': 'GET', 'url.path': '/', ...a })])]).items[0].value as any).client_ip;
    expect(ip({ 'client.address': '1.1.1.1', 'http.client_ip': '2.2.2.2', 'net.sock.peer.addr': '3.3.3.3' })).toBe(
      '1.1.1.1',
    );
    expect(ip({ 'http.client_ip': '2.2.2.2', 'net.sock.peer.addr': '3.3.3.3' })).toBe('2.2.2.2');
    expect(ip({ 'network.peer.address': '::ffff:127.0.0.1' })).toBe('127.0.0.1');
    expect(ip({})).toBeUndefined();
  });

  it('uses the original method when instrumentation reported _OTHER, and url.full for path and host', () => {
    const out = mapSpans([
      group([
        span({
          'http.request.method': '_OTHER',
          'http.request.method_original': 'PROPFIND',
          'url.full': 'https://dav.example.com/a?b=1',
        }),
      ]),
    ]);
    expect(out.items[0].value).toMatchObject({ method: 'PROPFIND', path: '/a?b=1', host: 'dav.example.com' });
  });

  it('ignores client, producer, consumer and non-HTTP server spans without counting them as rejected', () => {
    const spans = [
      span(STABLE, { kind: 3 }),
      span(STABLE, { kind: 4 }),
      span(STABLE, { kind: 5 }),
      span({ 'rpc.system': 'grpc', 'rpc.method': 'Get' }, { kind: 2 }),
      span({ 'http.route': '/x' }, { kind: 1 }),
      span(STABLE, { kind: 2, index: 5 }),
    ];
    const out = mapSpans([group(spans)]);
    expect(out).toMatchObject({ ignored: 5, total: 6 });
    expect(out.origins[0].path).toBe('resourceSpans[0].scopeSpans[0].spans[5]');
  });

  it('takes internal or unspecified spans that carry a method and a path (some proxies send no kind)', () => {
    expect(isHttpServerSpan(span({ 'http.method': 'GET', 'http.target': '/' }, { kind: 0 }))).toBe(true);
    expect(isHttpServerSpan(span({ 'http.method': 'GET', 'url.path': '/' }, { kind: 1 }))).toBe(true);
    expect(isHttpServerSpan(span({ 'http.method': 'GET' }, { kind: 1 }))).toBe(false);
  });

  it('leaves required fields out when missing (validation names them); status 0 when no response was sent', () => {
    const v = mapSpans([group([span({ 'http.request.method': 'GET' }, { startNs: 0, durationNs: undefined })], {})])
      .items[0].value as any;
    expect(v).toEqual({ id: `${TRACE}-${SPAN}`, method: 'GET', status: 0 });
  });

  it('has no id without a valid trace and span id (the pipeline then derives one from the content)', () => {
    const v = mapSpans([group([span(STABLE, { spanId: '' }), span(STABLE, { traceId: 'abcd' })])]).items;
    expect(v.map((i) => (i.value as any).id)).toEqual([undefined, undefined]);
  });

  it('drops a negative duration (clock skew) instead of failing the record', () => {
    expect((mapSpans([group([span(STABLE, { durationNs: -5 })])]).items[0].value as any).duration_ms).toBeUndefined();
  });

  it('truncates an over-long user agent and app instead of rejecting the request', () => {
    const v = mapSpans([
      group([span({ ...STABLE, 'user_agent.original': 'u'.repeat(5000) })], { 'service.name': 's'.repeat(999) }),
    ]).items[0].value as any;
    expect(v.user_agent).toHaveLength(1024);
    expect(v.app).toHaveLength(256);
  });
});

describe('routeTemplate', () => {
  it.each([
    ['/users/:id/orders/:order?', '/users/{id}/orders/{order}'],
    ['/users/{id}', '/users/{id}'],
    ['/a:b', '/a:b'],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (route, want) => expect(routeTemplate(route)).toBe(want));
});

describe("Envoy's tracer (OpenTracing-style tags)", () => {
  it('maps http.url, peer.address, user_agent, http.protocol and the sizes', () => {
    const out = mapSpans([
      group([
        span({
          'http.method': 'GET',
          'http.url': 'https://shop.example.com/api/cart?x=1',
          'http.status_code': '200',
          'peer.address': '198.51.100.8',
          user_agent: 'curl/8',
          'http.protocol': 'HTTP/2',
          request_size: '0',
          response_size: '512',
        }),
      ]),
    ]);
    expect(out.items[0].value).toMatchObject({
      method: 'GET',
      path: '/api/cart?x=1',
      host: 'shop.example.com',
      status: 200,
      client_ip: '198.51.100.8',
      user_agent: 'curl/8',
      protocol: 'HTTP/2',
      request_bytes: 0,
      response_bytes: 512,
    });
  });
});
