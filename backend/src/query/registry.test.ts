import { z } from 'zod';
import { InputError } from '../http/errors';
import { QUERY_TYPES, parseQuery, queryRequestSchema } from './registry';

test('unknown or missing queryType → InputError naming queryType', () => {
  for (const body of [{ queryType: 'x' }, {}, null, { queryType: 'toString' }]) {
    try {
      parseQuery(body);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).details?.[0].field).toBe('queryType');
    }
  }
});

test('defaults are applied', () => {
  const { params } = parseQuery({ queryType: 'sessions' });
  expect(params).toMatchObject({ idle_timeout_minutes: 30, split_by_day: true, sort: 'last_activity', limit: 100 });
});

test('the body schema converts to JSON Schema (for /v1/openapi.json)', () => {
  const schema = z.toJSONSchema(queryRequestSchema, { io: 'input' }) as { oneOf?: unknown[]; anyOf?: unknown[] };
  expect((schema.oneOf ?? schema.anyOf)?.length).toBe(Object.keys(QUERY_TYPES).length);
  expect(() => z.toJSONSchema(queryRequestSchema)).not.toThrow();
});

test('the body schema is the registry: each type once, its queryType literal equal to its key', () => {
  const literal = (schema: z.ZodType) => ((schema as z.ZodObject).shape.queryType as z.ZodLiteral).value;
  for (const [type, handler] of Object.entries(QUERY_TYPES)) expect(literal(handler.params)).toBe(type);
  expect(queryRequestSchema.options.map(literal)).toEqual(Object.keys(QUERY_TYPES));
});
