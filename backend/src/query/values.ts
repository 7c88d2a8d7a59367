/** `GET /v1/values/:field`: distinct values of a field for template variables. */
import { z } from 'zod';
import { NotFoundError, inputErrorFromZod } from '../http/errors';
import { escapeRegex, rangeClause } from './filters';
import { timeParam } from './time';

/** Variable field → stored field. */
export const VALUE_FIELDS = {
  host: 'host',
  app: 'app',
  endpoint: 'endpoint',
  method: 'method',
  user: 'user',
  role: 'role',
  attack_type: 'attack_types',
  status: 'status',
  api_status: 'api_status',
  flow: 'flows',
} as const;
/** A variable field name. */
export type ValueField = keyof typeof VALUE_FIELDS;

/** Query-string parameters of the values endpoint. */
export const valuesParams = z.object({
  prefix: z.string().max(256).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
/** Parsed values parameters. */
export type ValuesParams = z.infer<typeof valuesParams>;

/** Validates the field name (404 when unknown, like an unknown route). */
export function parseValueField(field: string): ValueField {
  if (!Object.hasOwn(VALUE_FIELDS, field))
    throw new NotFoundError(`unknown field "${field}"; one of ${Object.keys(VALUE_FIELDS).join(', ')}`);
  return field as ValueField;
}

/** Validates the query string: times arrive as strings, so numeric strings count as epoch ms. */
export function parseValuesParams(query: Record<string, unknown>): ValuesParams {
  const parsed = valuesParams.safeParse(query);
  if (!parsed.success) throw inputErrorFromZod(parsed.error);
  return parsed.data;
}

/**
 * Terms aggregation on the field; a prefix becomes an `include` regex of the escaped prefix (keyword fields)
 * — `status` is numeric, so its prefix is applied to the answer instead.
 * @example buildValuesBody('host', 'api.', 100, {from:0,to:9}) → { aggs:{values:{terms:{field:'host', size:100, include:'api\\..*'}}} }
 */
export function buildValuesBody(
  field: ValueField,
  prefix: string | undefined,
  limit: number,
  range: { from: number; to: number },
) {
  const terms: Record<string, unknown> = { field: VALUE_FIELDS[field], size: field === 'status' ? 600 : limit };
  if (prefix && field !== 'status') terms.include = `${escapeRegex(prefix)}.*`;
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [rangeClause(range.from, range.to)] } },
    aggs: { values: { terms } },
  };
}

/** Maps the terms buckets to `{value, count}` (pure). */
export function toValues(
  aggs: Record<string, any> | undefined,
  field: ValueField,
  prefix: string | undefined,
  limit: number,
): { value: string; count: number }[] {
  const buckets: { key: string | number; doc_count: number }[] = aggs?.values?.buckets ?? [];
  return buckets
    .map((b) => ({ value: String(b.key), count: b.doc_count }))
    .filter((v) => field !== 'status' || !prefix || v.value.startsWith(prefix))
    .slice(0, limit);
}
