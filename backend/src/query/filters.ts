import { isIP } from 'node:net';
import { z } from 'zod';
import { API_STATUSES } from '../storage/mappings';

/** A boolean parameter: JSON boolean or the strings `"true"`/`"false"` (template variables are strings). */
export const boolParam = z.union([z.boolean(), z.enum(['true', 'false'])]);

/** Normalizes a `boolParam` value. */
export function toBool(v: z.infer<typeof boolParam> | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return v === true || v === 'true';
}

const text = z.string().max(1024);

/** True for an IPv4/IPv6 address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return isIP(value) !== 0;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Status filter: an exact status (number or digit string) or a class such as `4xx`. */
export const statusParam = z.union([
  z.number().int().min(0).max(599),
  z.string().regex(/^([1-5]xx|none|[0-5]?\d{1,2})$/i, 'must be a status code (0-599) or a class like "4xx"'),
]);

/**
 * The request filters shared by sessions, requests, breakdown, performance and patterns. Flat in the body.
 * Empty strings mean "not set" (Grafana editors send them for cleared inputs).
 */
export const filterShape = {
  host: text.optional(),
  app: text.optional(),
  method: text.optional(),
  user: text.optional(),
  role: text.optional(),
  endpoint: text.optional().describe('exact endpoint template, or a prefix when it ends with *'),
  status: statusParam.optional(),
  attack_type: text.optional(),
  attacked: boolParam.optional(),
  blocked: boolParam.optional(),
  bot: text.optional().describe('bot type, or "any" for any bot verdict'),
  client_ip: z
    .string()
    .refine((v) => v === '' || isIpOrCidr(v), 'must be an IPv4/IPv6 address or CIDR')
    .optional(),
  session_id: text.optional(),
  request_id: text.optional(),
  api_status: z
    .string()
    .max(256)
    .refine(
      (v) => v === '' || splitList(v).every((s) => (API_STATUSES as readonly string[]).includes(s)),
      `must be one or a comma-separated list of ${API_STATUSES.join(', ')}`,
    )
    .optional()
    .describe(
      'documented, zombie, shadow or unknown, or a comma-separated list such as "shadow,zombie" (API inventory)',
    ),
  flow: text.optional().describe('business flow, e.g. authentication, billing'),
};

/** Parsed filter values. */
export type Filters = z.infer<z.ZodObject<typeof filterShape>>;

/** Names of all filter parameters. */
export const FILTER_NAMES = Object.keys(filterShape) as (keyof Filters)[];

/** An OpenSearch query clause (term, terms, range, prefix, wildcard, exists, bool). */
export type Clause = Record<string, unknown>;

const TERM_FIELDS: Partial<Record<keyof Filters, string>> = {
  host: 'host',
  app: 'app',
  method: 'method',
  user: 'user',
  role: 'role',
  attack_type: 'attack_types',
  session_id: 'session.key',
  request_id: 'id',
  client_ip: 'client_ip',
  flow: 'flows',
};

const term = (field: string, value: unknown): Clause => ({ term: { [field]: { value } } });

/**
 * Translates filters into bool-filter clauses. Values only ever become `term`/`prefix`/`exists` values,
 * never query-string syntax, so quotes, `*`, `?`, `OR` or JSON fragments match literally.
 * @example buildFilterClauses({ host: 'a', endpoint: '/api/*', status: '4xx', client_ip: '10.0.0.0/8' })
 * → [{term:{host:{value:'a'}}}, {term:{client_ip:{value:'10.0.0.0/8'}}}, {prefix:{endpoint:{value:'/api/'}}},
 *    {term:{status_class:{value:'4xx'}}}]
 */
export function buildFilterClauses(f: Partial<Filters>): Clause[] {
  const clauses: Clause[] = [];
  for (const [name, field] of Object.entries(TERM_FIELDS)) {
    const v = f[name as keyof Filters];
    if (typeof v === 'string' && v !== '') clauses.push(term(field, v));
  }
  const statuses = splitList(f.api_status ?? '');
  if (statuses.length === 1) clauses.push(term('api_status', statuses[0]));
  if (statuses.length > 1) clauses.push({ terms: { api_status: statuses } });
  if (f.endpoint) clauses.push(endpointClause(f.endpoint));
  if (f.status !== undefined && f.status !== '') clauses.push(statusClause(f.status));
  const attacked = toBool(f.attacked);
  if (attacked !== undefined) clauses.push(term('attacked', attacked));
  const blocked = toBool(f.blocked);
  if (blocked !== undefined) clauses.push(term('blocked', blocked));
  if (f.bot) clauses.push(f.bot === 'any' ? { exists: { field: 'bot.type' } } : term('bot.type', f.bot));
  return clauses;
}

/**
 * Splits a comma-separated list (Grafana's csv format of a multi-value variable), trimming and dropping empties.
 * @example splitList('shadow, zombie,') → ['shadow', 'zombie']
 */
export function splitList(v: string): string[] {
  return [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

/** True when at least one filter is set. */
export function hasFilters(f: Partial<Filters>): boolean {
  return buildFilterClauses(f).length > 0;
}

function endpointClause(endpoint: string): Clause {
  // A trailing `*` means prefix; the rest is matched literally by the prefix query (no wildcard syntax).
  if (endpoint.endsWith('*')) return { prefix: { endpoint: { value: endpoint.slice(0, -1) } } };
  return term('endpoint', endpoint);
}

function statusClause(status: number | string): Clause {
  const s = String(status).toLowerCase();
  if (/^[1-5]xx$/.test(s) || s === 'none') return term('status_class', s);
  return term('status', Number(s));
}

/** The range clause on `ts` for [from, to] (epoch ms, inclusive). */
export function rangeClause(from: number, to: number): Clause {
  return { range: { ts: { gte: from, lte: to, format: 'epoch_millis' } } };
}

/**
 * Escapes a user pattern where only `*` is a wildcard, for a `wildcard` query (`?` and `\` become literal).
 * @example wildcardPattern('*lo?in*') → '*lo\\?in*'
 */
export function wildcardPattern(pattern: string): string {
  return pattern.replace(/[\\?]/g, (c) => `\\${c}`);
}

/**
 * The clause of an endpoint pattern (`*` matches anything, everything else literally).
 * @example endpointPatternClause('/api/cart*') → { wildcard: { endpoint: { value: '/api/cart*' } } }
 */
export function endpointPatternClause(pattern: string): Clause {
  return { wildcard: { endpoint: { value: wildcardPattern(pattern) } } };
}

/**
 * Escapes text for a Lucene regular expression (terms `include`), so a prefix matches literally.
 * @example escapeRegex('a.b*') → 'a\\.b\\*'
 */
export function escapeRegex(s: string): string {
  return s.replace(/[.?+*|{}[\]()"\\#@&<>~^$-]/g, (c) => `\\${c}`);
}
