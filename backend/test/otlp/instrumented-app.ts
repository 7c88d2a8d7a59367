/**
 * A small HTTP app instrumented with the OpenTelemetry JS SDK, run as its own process by `sdk.test.ts` (the HTTP
 * instrumentation patches `http` through require hooks, which jest's module system bypasses, and the service under
 * test must not be instrumented itself).
 *
 *   OTLP_SIGNAL=traces|logs OTLP_PROTOCOL=proto|json OTEL_SERVICE_NAME=… LOGIN_TOKEN=… \
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://<service>/otlp OTEL_EXPORTER_OTLP_HEADERS='Authorization=Bearer%20<token>' \
 *   node --import tsx backend/test/otlp/instrumented-app.ts
 *
 * The exporters are configured by the standard OTEL_* environment variables only, as docs/integrations/
 * opentelemetry.md tells users to. traces: HttpInstrumentation makes a SERVER span per request and captures the
 * identifying headers. logs: the app emits one access-log record per request through the logs SDK. Prints
 * `LISTENING <port>`; on SIGTERM flushes, prints `EXPORTS <json>` (each export's result code) and exits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { NodeTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

const signal = process.env.OTLP_SIGNAL === 'logs' ? 'logs' : 'traces';
const protocol = process.env.OTLP_PROTOCOL === 'json' ? 'json' : 'proto';
const resource = resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'instrumented-app' });

/** Export results, recorded by wrapping the real exporter's callback. */
const results: { code: number; error?: string }[] = [];
function record(cb: (r: ExportResult) => void): (r: ExportResult) => void {
  return (r) => {
    results.push({ code: r.code, ...(r.error ? { error: String(r.error.message ?? r.error) } : {}) });
    cb(r);
  };
}

/** Identifying headers captured on server spans (semantic conventions: explicit list, never all). */
const CAPTURED_REQUEST = ['cookie', 'authorization', 'x-auth-token'];
const CAPTURED_RESPONSE = ['x-auth-token'];

let shutdown: () => Promise<void>;
let emitAccessLog: ((req: IncomingMessage, res: ServerResponse, startedMs: number) => void) | undefined;

if (signal === 'traces') {
  const inner = protocol === 'json' ? new JsonTraceExporter() : new ProtoTraceExporter();
  const exporter: SpanExporter = {
    export: (spans, cb) => inner.export(spans, record(cb)),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 200 })],
  });
  provider.register();
  new HttpInstrumentation({
    headersToSpanAttributes: { server: { requestHeaders: CAPTURED_REQUEST, responseHeaders: CAPTURED_RESPONSE } },
  });
  shutdown = () => provider.shutdown();
} else {
  const inner = protocol === 'json' ? new JsonLogExporter() : new ProtoLogExporter();
  const exporter: LogRecordExporter = {
    export: (logs, cb) => inner.export(logs, record(cb)),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
  const provider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 200 })],
  });
  const logger = provider.getLogger('access-log');
  emitAccessLog = (req, res, startedMs) => {
    const headers: Record<string, string> = {};
    for (const h of CAPTURED_REQUEST) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[`http.request.header.${h}`] = v;
    }
    const token = res.getHeader('x-auth-token');
    if (typeof token === 'string') headers['http.response.header.x-auth-token'] = token;
    logger.emit({
      timestamp: startedMs,
      body: `${req.method} ${req.url} ${res.statusCode}`,
      attributes: {
        'http.request.method': req.method ?? 'GET',
        'url.path': (req.url ?? '/').split('?')[0],
        'http.response.status_code': res.statusCode,
        'client.address': req.socket.remoteAddress ?? '',
        'user_agent.original': req.headers['user-agent'] ?? '',
        'server.address': req.headers.host ?? '',
        duration_ms: Date.now() - startedMs,
        ...headers,
      },
    });
  };
  shutdown = () => provider.shutdown();
}

// Loaded only now, so the HTTP instrumentation (registered above) patches it.
const http = require('http') as typeof import('node:http');

/** The app: a login that returns a token, item pages, an admin page that refuses. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const started = Date.now();
  res.on('finish', () => emitAccessLog?.(req, res, started));
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/login') {
      res.setHeader('x-auth-token', process.env.LOGIN_TOKEN ?? 'login-token');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else if (req.url?.startsWith('/admin')) {
      res.writeHead(403).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"item":1}');
    }
  });
}

const server = http.createServer(handle);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  shutdown()
    .catch((err: Error) => results.push({ code: ExportResultCode.FAILED, error: err.message }))
    .finally(() => {
      process.stdout.write(`EXPORTS ${JSON.stringify(results)}\n`);
      process.exit(0);
    });
});
