import { isAccessLog, mapLogs } from './map-logs';
import { newAttrMap, type OtlpLogRecord, type ResourceGroup } from './model';

function log(attrs: Record<string, any>, over: Partial<OtlpLogRecord> = {}): OtlpLogRecord {
  return {
    timeNs: 1_700_000_000_250_000_000,
    observedNs: 1_700_000_000_900_000_000,
    traceId: '',
    spanId: '',
    body: undefined,
    attrs: Object.assign(newAttrMap(), attrs),
    scope: 0,
    index: 0,
    ...over,
  };
}
const group = (items: OtlpLogRecord[]): ResourceGroup<OtlpLogRecord> => ({
  index: 0,
  resource: Object.assign(newAttrMap(), { 'service.name': 'edge-envoy' }),
  items,
});

/** What Envoy's OpenTelemetry access logger sends with the attributes of docs/integrations/opentelemetry.md. */
const ENVOY = {
  'http.request.method': 'GET',
  'url.path': '/api/cart?x=1',
  'http.response.status_code': '200',
  'client.address': '198.51.100.9',
  'user_agent.original': 'okhttp/4.12',
  'server.address': 'shop.example.com:443',
  duration_ms: '17',
  'http.request.body.size': '0',
  'http.response.body.size': '2048',
  'http.request.header.cookie': 'PHPSESSID=xyz',
  'http.request.header.authorization': '-',
};

describe('mapLogs', () => {
  it("maps an Envoy access-log record (string values, '-' for absent) onto a record", () => {
    const out = mapLogs([group([log(ENVOY)])]);
    expect(out).toMatchObject({ ignored: 0, total: 1 });
    const v = out.items[0].value as any;
    expect(v).toMatchObject({
      ts: 1_700_000_000_250,
      duration_ms: 17,
      method: 'GET',
      path: '/api/cart?x=1',
      status: 200,
      client_ip: '198.51.100.9',
      user_agent: 'okhttp/4.12',
      host: 'shop.example.com',
      request_bytes: 0,
      response_bytes: 2048,
      app: 'edge-envoy',
      identifiers: { headers: { cookie: 'PHPSESSID=xyz' } },
    });
    expect(v.id).toMatch(/^log-[0-9a-f]{40}$/);
  });

  it('reads a key-value body (a structured access log), attributes first; seconds duration; observed time as fallback', () => {
    const body = Object.assign(newAttrMap(), {
      'http.request.method': 'PUT',
      'url.path': '/b',
      'http.server.request.duration': 0.0125,
    });
    const v = mapLogs([group([log({ 'url.path': '/a' }, { body, timeNs: 0 })])]).items[0].value as any;
    expect(v).toMatchObject({ method: 'PUT', path: '/a', duration_ms: 12.5, ts: 1_700_000_000_900 });
  });

  it('ignores application logs without counting them as rejected', () => {
    const out = mapLogs([
      group([log({ 'log.message': 'started' }), log({ 'http.request.method': 'GET' }), log(ENVOY, { index: 2 })]),
    ]);
    expect(out).toMatchObject({ ignored: 2, total: 3 });
    expect(out.origins[0].path).toBe('resourceLogs[0].scopeLogs[0].logRecords[2]');
    expect(isAccessLog(log(ENVOY))).toBe(true);
  });

  it('gives the same record the same id (a resent export is stored once) and different records different ids', () => {
    const id = (r: OtlpLogRecord) => (mapLogs([group([r])]).items[0].value as any).id;
    expect(id(log(ENVOY))).toBe(id(log(ENVOY)));
    expect(id(log(ENVOY))).not.toBe(id(log(ENVOY, { timeNs: 1_700_000_000_250_000_384 })));
    expect(id(log(ENVOY))).not.toBe(id(log({ ...ENVOY, 'url.path': '/other' })));
  });
});
