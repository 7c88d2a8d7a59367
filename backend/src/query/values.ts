/** `GET /v1/values/:field`: distinct values of a field for template variables and ad-hoc filters. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { InputError, NotFoundError, inputErrorFromZod } from '../http/errors';
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
  client_ip: 'client_ip',
  session_id: 'session.key',
  bot: 'bot.type',
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
  const filter: object[] = [rangeClause(range.from, range.to)];
  if (prefix && field === 'client_ip') {
    const ip = ipPrefixQuery(prefix);
    if (!ip) {
      const message = 'for client_ip, leading IPv4 octets (10.1.), an address or a CIDR (2001:db8::/32)';
      throw new InputError(`prefix: ${message}`, [{ field: 'prefix', message }]);
    }
    filter.push(ip);
  } else if (prefix && field !== 'status') terms.include = `${escapeRegex(prefix)}.*`;
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter } },
    aggs: { values: { terms } },
  };
}

/**
 * An `ip` field takes no regex: a typed prefix becomes the range it names. Dotted IPv4 octets are the CIDR they
 * cover (`10.1.` and `10.1` → `10.1.0.0/16`); a full address or a CIDR is itself. Anything else is undefined (the
 * caller answers 400 naming `prefix`).
 * @example ipPrefixQuery('192.168.') → {term: {client_ip: {value: '192.168.0.0/16'}}}
 */
export function ipPrefixQuery(prefix: string): object | undefined {
  const term = (value: string) => ({ term: { client_ip: { value } } });
  const octets = prefix.replace(/\.$/, '').split('.');
  const isOctet = (o: string) => /^\d{1,3}$/.test(o) && Number(o) <= 255;
  if (octets.length < 4 && octets.every(isOctet))
    return term(`${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${octets.length * 8}`);
  const [address, bits, more] = prefix.split('/');
  const version = isIP(address);
  if (version === 0 || more !== undefined) return undefined;
  if (bits === undefined) return term(address);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (version === 4 ? 32 : 128)) return undefined;
  return term(`${address}/${Number(bits)}`);
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
