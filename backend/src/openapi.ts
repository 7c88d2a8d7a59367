import { z } from 'zod';
import { recordSchema } from './ingest/schema';
import { otlpPaths, otlpSchemas } from './otlp/openapi';

/** Converts a zod schema to JSON Schema for OpenAPI 3.1 (input shape, so defaults are optional). */
function jsonSchema(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      required: ['code', 'message'],
    },
  },
};
const ingestResult = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  required: ['accepted', 'rejected', 'errors'],
};
const err = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

/** Builds the OpenAPI 3.1 document from the zod schemas of the record and of the query body. */
export function buildOpenApi(querySchema: z.ZodType, version: string): object {
  const record = jsonSchema(recordSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'API Sessions',
      version,
      description: 'Ingest API request metadata; query sessions as Grafana data frames.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Record: record,
        Query: jsonSchema(querySchema),
        IngestResult: ingestResult,
        Error: errorBody,
        ...otlpSchemas,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/requests': {
        post: {
          summary: 'Ingest request records (ingest token)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Record' },
                    { type: 'array', items: { $ref: '#/components/schemas/Record' } },
                  ],
                },
              },
              'application/x-ndjson': { schema: { type: 'string', description: 'one Record per line' } },
            },
          },
          responses: {
            '200': {
              description: 'accepted records are durable',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } } },
            },
            '400': {
              description: 'nothing in the body is usable',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } } },
            },
            '401': err('missing or invalid token'),
            '413': err('body too large'),
            '415': err('unsupported content type or encoding'),
            '429': err('overloaded; retry after Retry-After seconds'),
            '503': err('storage unavailable; retry after Retry-After seconds'),
          },
        },
      },
      ...otlpPaths,
      '/v1/query': {
        post: {
          summary: 'Query sessions, timelines, requests, breakdowns, performance and patterns (query token)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Query' } } },
          },
          responses: {
            '200': {
              description: 'Grafana data frames',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { frames: { type: 'array', items: { type: 'object' } } } },
                },
              },
            },
            '400': err('invalid query; details name the field'),
            '401': err('missing or invalid token'),
            '503': err('storage unavailable'),
          },
        },
      },
      '/v1/values/{field}': {
        get: {
          summary: 'Distinct values of a field for template variables (query token)',
          parameters: [
            {
              name: 'field',
              in: 'path',
              required: true,
              schema: {
                type: 'string',
                enum: ['host', 'app', 'endpoint', 'method', 'user', 'role', 'attack_type', 'status'],
              },
            },
            { name: 'prefix', in: 'query', schema: { type: 'string' } },
            { name: 'from', in: 'query', schema: { type: 'string' } },
            { name: 'to', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: {
            '200': { description: 'values with counts' },
            '400': err('invalid parameter'),
            '401': err('missing or invalid token'),
          },
        },
      },
      '/v1/specs': {
        get: {
          summary: 'List loaded OpenAPI specs per host/app with their versions (admin token)',
          responses: { '200': { description: 'specs' }, '401': err('missing or invalid token') },
        },
        post: {
          summary: 'Upload a new version of an OpenAPI 3.0/3.1 spec (admin token); see docs/inventory.md',
          parameters: [
            { name: 'host', in: 'query', schema: { type: 'string' } },
            { name: 'app', in: 'query', schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: {
              'application/yaml': { schema: { type: 'string' } },
              'application/json': { schema: { type: 'object' } },
            },
          },
          responses: {
            '201': { description: 'stored as the current version' },
            '400': err('malformed spec; the last good version stays'),
            '401': err('missing or invalid token'),
            '409': err('SPECS_DIR is not set'),
          },
        },
      },
      '/v1/specs/reload': {
        post: {
          summary: 'Re-read SPECS_DIR (admin token)',
          responses: { '200': { description: 'reloaded' }, '401': err('missing or invalid token') },
        },
      },
      '/healthz': {
        get: { summary: 'process alive (no token)', security: [], responses: { '200': { description: 'ok' } } },
      },
      '/healthz/ready': {
        get: {
          summary: 'ready for traffic, for load balancers (no token): plain text ok / not ready, nothing else',
          security: [],
          responses: { '200': { description: 'ok' }, '503': { description: 'not ready' } },
        },
      },
      '/readyz': {
        get: {
          summary: 'OpenSearch reachable and template installed',
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/v1/openapi.json': { get: { summary: 'this document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
