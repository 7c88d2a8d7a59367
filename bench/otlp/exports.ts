/**
 * The same requests as `bench/ingest/records.ts`, as two bodies: `/v1/requests` NDJSON and an OTLP
 * `ExportTraceServiceRequest` (protobuf, encoded by protobufjs from the official .proto files) whose HTTP server
 * spans carry them under the current semantic-convention names, with the attributes an SDK adds besides (scheme,
 * ports, peer address, resource attributes), which the service must read past.
 */
import { createHash } from 'node:crypto';
import { benchRecords } from '../ingest/records';
import { attr, encode, types } from '../../backend/test/otlp/reference';

type BenchRecord = {
  id: string;
  ts: number;
  host: string;
  method: string;
  path: string;
  status: number;
  client_ip: string;
  duration_ms: number;
  request_bytes: number;
  response_bytes: number;
  user_agent: string;
  node: string;
  app: string;
  identifiers: { cookies: Record<string, string>; headers: Record<string, string> };
};

/** Resource attributes as the Node SDK's default detectors report them. */
const RESOURCE = [
  attr('service.name', 'shop'),
  attr('host.name', 'edge-1'),
  attr('telemetry.sdk.language', 'nodejs'),
  attr('telemetry.sdk.name', 'opentelemetry'),
  attr('telemetry.sdk.version', '2.11.0'),
  attr('process.pid', 4242),
  attr('process.runtime.name', 'nodejs'),
  attr('process.runtime.version', '20.20.2'),
];

/** Records [start, start+count) without attack verdicts (OTel has no field for them), so both bodies match. */
export function requestsOf(start: number, count: number, now: number): BenchRecord[] {
  return benchRecords(7, start, count, now).map((r) => {
    const { attacks: _a, blocked: _b, ...rest } = r as BenchRecord & { attacks?: unknown; blocked?: unknown };
    return rest as BenchRecord;
  });
}

/** The NDJSON body of `/v1/requests`. */
export function ndjsonBody(records: BenchRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n');
}

const bytes = (seed: string, n: number) => createHash('sha256').update(seed).digest().subarray(0, n);

/** The span of one record (protobufjs object form). */
function spanOf(r: BenchRecord): object {
  const [path, query] = r.path.split('?');
  const start = BigInt(r.ts) * 1_000_000n;
  const attributes = [
    attr('http.request.method', r.method),
    attr('url.scheme', 'https'),
    attr('url.path', path),
    ...(query ? [attr('url.query', query)] : []),
    attr('server.address', r.host),
    attr('server.port', 443),
    attr('network.peer.address', '10.0.0.12'),
    attr('network.peer.port', 51234),
    attr('network.protocol.version', '1.1'),
    attr('client.address', r.client_ip),
    attr('user_agent.original', r.user_agent),
    attr('http.response.status_code', r.status),
    attr('http.request.body.size', r.request_bytes),
    attr('http.response.body.size', r.response_bytes),
    attr('http.request.header.cookie', [`PHPSESSID=${r.identifiers.cookies.PHPSESSID}`]),
    attr('http.request.header.x-request-id', [r.identifiers.headers['x-request-id']]),
  ];
  return {
    traceId: bytes(`t${r.id}`, 16),
    spanId: bytes(`s${r.id}`, 8),
    name: `${r.method} ${path}`,
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(Math.round(r.duration_ms * 1e6))),
    attributes,
    status: {},
  };
}

/** The OTLP protobuf export of the records (one resource, one scope). */
export function otlpBody(records: BenchRecord[]): Buffer {
  return encode(types.traceRequest, {
    resourceSpans: [
      {
        resource: { attributes: RESOURCE },
        scopeSpans: [
          { scope: { name: '@opentelemetry/instrumentation-http', version: '0.222.0' }, spans: records.map(spanOf) },
        ],
      },
    ],
  });
}
