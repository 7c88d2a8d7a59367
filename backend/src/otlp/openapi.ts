/**
 * The OTLP routes in the service's OpenAPI document (`GET /v1/openapi.json`): the OTLP/JSON request shapes (the
 * fields we read; unknown fields are allowed, as OTLP requires), the protobuf alternative, and the answers.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const int64 = { oneOf: [{ type: 'string', pattern: '^-?[0-9]{1,20}$' }, { type: 'integer' }] };
const nanos = {
  oneOf: [
    { type: 'string', pattern: '^[0-9]{1,20}$' },
    { type: 'integer', minimum: 0 },
  ],
};
const hexId = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-fA-F]{${bytes * 2}}$` });
const attributes = { type: 'array', items: ref('OtlpKeyValue') };
const list = (items: object) => ({ type: 'array', items });

/** Component schemas of the OTLP/JSON encoding. */
export const otlpSchemas = {
  OtlpAnyValue: {
    type: 'object',
    description: 'one of the value fields',
    properties: {
      stringValue: { type: 'string' },
      boolValue: { type: 'boolean' },
      intValue: int64,
      doubleValue: { type: 'number' },
      arrayValue: { type: 'object', properties: { values: list(ref('OtlpAnyValue')) } },
      kvlistValue: { type: 'object', properties: { values: attributes } },
      bytesValue: { type: 'string' },
    },
  },
  OtlpKeyValue: {
    type: 'object',
    properties: { key: { type: 'string' }, value: ref('OtlpAnyValue') },
    required: ['key'],
  },
  OtlpResource: { type: 'object', properties: { attributes } },
  OtlpTraceExport: {
    type: 'object',
    description: 'ExportTraceServiceRequest in OTLP/JSON (lowerCamelCase, hex ids, 64-bit integers as strings)',
    properties: {
      resourceSpans: list({
        type: 'object',
        properties: {
          resource: ref('OtlpResource'),
          scopeSpans: list({
            type: 'object',
            properties: {
              spans: list({
                type: 'object',
                properties: {
                  traceId: hexId(16),
                  spanId: hexId(8),
                  kind: { type: 'integer', minimum: 0, maximum: 5, description: '2 = SERVER' },
                  startTimeUnixNano: nanos,
                  endTimeUnixNano: nanos,
                  attributes,
                },
              }),
            },
          }),
        },
      }),
    },
  },
  OtlpLogsExport: {
    type: 'object',
    description: 'ExportLogsServiceRequest in OTLP/JSON',
    properties: {
      resourceLogs: list({
        type: 'object',
        properties: {
          resource: ref('OtlpResource'),
          scopeLogs: list({
            type: 'object',
            properties: {
              logRecords: list({
                type: 'object',
                properties: {
                  timeUnixNano: nanos,
                  observedTimeUnixNano: nanos,
                  traceId: hexId(16),
                  spanId: hexId(8),
                  body: ref('OtlpAnyValue'),
                  attributes,
                },
              }),
            },
          }),
        },
      }),
    },
  },
  OtlpStatus: {
    type: 'object',
    description: 'google.rpc.Status',
    properties: { code: { type: 'integer' }, message: { type: 'string' } },
  },
};

const binary = { type: 'string', format: 'binary' };

function status(description: string): object {
  return {
    description,
    content: { 'application/json': { schema: ref('OtlpStatus') }, 'application/x-protobuf': { schema: binary } },
  };
}

function exportOperation(summary: string, body: string, rejected: string): object {
  return {
    post: {
      summary,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref(body) }, 'application/x-protobuf': { schema: binary } },
      },
      responses: {
        '200': {
          description: 'stored; partialSuccess lists what was rejected (ignored non-request items are not counted)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  partialSuccess: {
                    type: 'object',
                    properties: { [rejected]: { type: 'string' }, errorMessage: { type: 'string' } },
                  },
                },
              },
            },
            'application/x-protobuf': { schema: binary },
          },
        },
        '400': status('the export does not decode; the message names where'),
        '401': status('missing or invalid ingest token'),
        '413': status('body or item count too large'),
        '415': status('not application/x-protobuf or application/json'),
        '429': status('overloaded; retry after Retry-After seconds'),
        '503': status('storage unavailable; retry after Retry-After seconds'),
      },
    },
  };
}

/** Paths of the OTLP routes (ingest token). */
export const otlpPaths = {
  '/otlp/v1/traces': exportOperation(
    'OpenTelemetry traces: HTTP server spans become request records (OTLP/HTTP, ingest token)',
    'OtlpTraceExport',
    'rejectedSpans',
  ),
  '/otlp/v1/logs': exportOperation(
    'OpenTelemetry logs: HTTP access-log records become request records (OTLP/HTTP, ingest token)',
    'OtlpLogsExport',
    'rejectedLogRecords',
  ),
};
