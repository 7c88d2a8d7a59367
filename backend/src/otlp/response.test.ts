import { decode, types } from '../../test/otlp/reference';
import { describeField, encodeExportResponse, encodeStatus, partialMessage } from './response';

describe('OTLP answers', () => {
  it('full success: an empty message (protobuf) or {} (JSON), partial_success unset', () => {
    expect(encodeExportResponse('protobuf', 'traces', 0, '')).toHaveLength(0);
    expect(decode(types.traceResponse, encodeExportResponse('protobuf', 'traces', 0, ''))).toEqual({});
    expect(JSON.parse(String(encodeExportResponse('json', 'logs', 0, '')))).toEqual({});
  });

  it('partial success: rejected_spans / rejected_log_records and error_message, read back by protobufjs', () => {
    expect(decode(types.traceResponse, encodeExportResponse('protobuf', 'traces', 300, 'why ✓'))).toEqual({
      partialSuccess: { rejectedSpans: '300', errorMessage: 'why ✓' },
    });
    expect(decode(types.logsResponse, encodeExportResponse('protobuf', 'logs', 2, 'x'))).toEqual({
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'x' },
    });
    expect(JSON.parse(String(encodeExportResponse('json', 'traces', 3, 'm')))).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: 'm' },
    });
  });

  it('failures: a google.rpc.Status with a code and the message, in either encoding', () => {
    expect(decode(types.status, encodeStatus('protobuf', 400, 'bad export'))).toEqual({
      code: 3,
      message: 'bad export',
    });
    expect(decode(types.status, encodeStatus('protobuf', 503, 'later'))).toEqual({ code: 14, message: 'later' });
    expect(JSON.parse(String(encodeStatus('json', 401, 'no')))).toEqual({ code: 16, message: 'no' });
    expect(JSON.parse(String(encodeStatus('json', 429, 'busy')))).toEqual({ code: 8, message: 'busy' });
  });

  it('the partial message says how many, where, which span and which attributes feed the field', () => {
    const origins = [
      { path: 'resourceSpans[0].scopeSpans[0].spans[0]', ref: 'span aa' },
      { path: 'resourceSpans[0].scopeSpans[0].spans[1]', ref: 'span bb' },
    ];
    const msg = partialMessage(
      'traces',
      1,
      2,
      [
        { index: 1, field: 'client_ip', message: 'is required' },
        { index: 1, field: 'host', message: 'is required' },
      ],
      origins,
    );
    expect(msg).toBe(
      '1 of 2 HTTP server spans rejected. resourceSpans[0].scopeSpans[0].spans[1] (span bb): client_ip (from client.address, http.client_ip, net.sock.peer.addr, network.peer.address, net.peer.ip, peer.address): is required',
    );
    expect(partialMessage('logs', 0, 2, [], origins)).toBe('');
  });

  it('lists the first five problems and counts the rest; stays under 2,000 characters', () => {
    const errors = Array.from({ length: 40 }, (_, index) => ({ index, field: 'ts', message: 'x'.repeat(100) }));
    const msg = partialMessage('logs', 40, 40, errors, []);
    expect(msg).toMatch(/^40 of 40 HTTP access-log records rejected\. record 0: ts \(from/);
    expect(msg).toMatch(/and 35 more$/);
    expect(msg.length).toBeLessThanOrEqual(2000);
  });

  it.each([
    ['status', 'status (from http.response.status_code, http.status_code)'],
    ['identifiers.headers.cookie', 'http.request.header.cookie'],
    ['identifiers.response.x-auth-token', 'http.response.header.x-auth-token'],
    ['app', 'app (from the resource service.name)'],
    ['(record)', '(record)'],
  ])('describeField(%j) → %j', (field, want) => expect(describeField(field)).toBe(want));
});
