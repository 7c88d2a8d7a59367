/**
 * The query contract between the service and the plugin frontend, generated from the service's zod schemas:
 * `renderQueryContract()` reads every query type of the registry (backend/src/query/registry.ts), the shared filters
 * and the template-variable fields, and renders src/types/contract.gen.ts — the frontend's query types, enum lists,
 * per-type parameter lists and the service's defaults. src/types/contract.test.ts renders it again and fails when
 * the file on disk differs, so a change on either side alone fails a test.
 *
 * Run `npm run generate:contract` after changing a query schema.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { baseShape } from '../backend/src/query/context';
import { filterShape } from '../backend/src/query/filters';
import { QUERY_TYPES } from '../backend/src/query/registry';
import { VALUE_FIELDS } from '../backend/src/query/values';

/** Where the generated module goes. */
export const CONTRACT_FILE = path.join(__dirname, '..', 'src', 'types', 'contract.gen.ts');

/** The subset of JSON Schema that zod emits for our parameters. */
interface Schema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
}

/** Parameters every query takes that Grafana or the plugin backend sets (refId, time range, interval, data source). */
const BASE_PARAMS = new Set(Object.keys(baseShape));
const FILTER_PARAMS = Object.keys(filterShape);

const toJsonSchema = (schema: z.ZodType): Schema => z.toJSONSchema(schema, { io: 'input' }) as Schema;
const upper = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
const literal = (v: unknown) => JSON.stringify(v);

/** A boolean the service also accepts as the strings "true"/"false" (template variables); the editors write booleans. */
function isBoolParam(s: Schema): boolean {
  const kinds = (s.anyOf ?? []).map((x) => x.type);
  return kinds.length === 2 && kinds.includes('boolean') && kinds.includes('string');
}

/** The TypeScript type of a parameter; `enumName` names the generated list of an enum's values. */
function tsType(s: Schema, enumName?: string): string {
  if (s.const !== undefined) return literal(s.const);
  if (s.enum) return enumName ? `(typeof ${enumName})[number]` : s.enum.map(literal).join(' | ');
  if (s.anyOf) return isBoolParam(s) ? 'boolean' : [...new Set(s.anyOf.map((x) => tsType(x)))].join(' | ');
  if (s.type === 'integer' || s.type === 'number') return 'number';
  if (s.type === 'string' || s.type === 'boolean') return s.type;
  return 'unknown';
}

/** What a parameter's doc comment says: the service's description, range and default. */
function docOf(s: Schema): string {
  const range = (lo?: number, hi?: number, unit = '') =>
    lo !== undefined && hi !== undefined && hi < Number.MAX_SAFE_INTEGER ? `${lo}–${hi}${unit}` : '';
  const parts = [
    s.description ?? '',
    range(s.minimum, s.maximum),
    s.maxLength !== undefined ? `at most ${s.maxLength} characters` : '',
    s.default !== undefined ? `service default ${literal(s.default)}` : '',
  ].filter(Boolean);
  return parts.length ? `  /** ${parts.join('; ')}. */\n` : '';
}

/** Renders the members of an interface and collects the enum lists its parameters need. */
function members(props: Record<string, Schema>, required: string[], enumPrefix: string, enums: string[]): string {
  return Object.entries(props)
    .map(([name, s]) => {
      let enumName: string | undefined;
      if (s.enum) {
        enumName = `${enumPrefix}_${upper(name)}`;
        enums.push(
          `/** Values of \`${name}\` (${enumPrefix.toLowerCase()}). */\nexport const ${enumName} = ${literal(s.enum)} as const;\n`,
        );
      }
      const optional = required.includes(name) ? '' : '?';
      return `${docOf(s)}  ${name}${optional}: ${tsType(s, enumName)};\n`;
    })
    .join('');
}

/** Renders the contract module (formatted like the rest of the repository). */
export function renderQueryContract(): string {
  const enums: string[] = [];
  const filters = toJsonSchema(z.object(filterShape));
  const out: string[] = [];
  const types = Object.entries(QUERY_TYPES);
  const params: Record<string, string[]> = {};
  const filteredTypes: string[] = [];
  const defaults: Record<string, Record<string, unknown>> = {};
  const booleanFilters = FILTER_PARAMS.filter((f) => isBoolParam(filters.properties![f]));

  out.push(`/** The request filters (backend/src/query/filters.ts), flat in every query type that takes them. */
export interface Filters {
${members(filters.properties!, [], 'FILTER', enums)}}
`);
  for (const [type, handler] of types) {
    const schema = toJsonSchema(handler.params);
    const props = schema.properties ?? {};
    // A type takes all the filters (then its interface extends Filters) or none (timeline's session_id is its own).
    const filtered = FILTER_PARAMS.every((f) => f in props);
    const own = Object.keys(props).filter(
      (k) => !BASE_PARAMS.has(k) && !(filtered && FILTER_PARAMS.includes(k)) && k !== 'queryType',
    );
    params[type] = own;
    if (filtered) filteredTypes.push(type);
    defaults[type] = Object.fromEntries(
      own.filter((k) => props[k].default !== undefined).map((k) => [k, props[k].default]),
    );
    const ownProps = Object.fromEntries(['queryType', ...own].map((k) => [k, props[k]]));
    out.push(`/** The \`${type}\` query (docs/api.md). */
export interface ${pascal(type)}Query extends DataQuery${filtered ? ', Filters' : ''} {
${members(ownProps, schema.required ?? [], upper(type), enums)}}
`);
  }
  const names = types.map(([t]) => t);
  const source = `/**
 * GENERATED by \`npm run generate:contract\` (scripts/query-contract.ts) from the service's zod schemas — do not edit.
 * src/types/contract.test.ts fails when this file and the schemas differ. Not listed: the parameters every query
 * takes (${[...BASE_PARAMS].join(', ')}), which Grafana and the plugin backend set.
 */
import type { DataQuery } from '@grafana/schema';

/** The query types of \`POST /v1/query\`, in the service registry's order. */
export const QUERY_TYPE_NAMES = ${literal(names)} as const;

/** The names of the request filters, in the service's order. */
export const FILTER_NAMES = ${literal(FILTER_PARAMS)} as const;

/** The query types that take the filters. */
export const FILTERED_QUERY_TYPES = ${literal(filteredTypes)} as const;

/** The filters that are on/off switches. */
export const BOOLEAN_FILTER_NAMES = ${literal(booleanFilters)} as const;

/** Fields whose values \`GET /v1/values/{field}\` lists (template variables). */
export const VALUE_FIELDS = ${literal(Object.keys(VALUE_FIELDS))} as const;

${enums.join('\n')}
${out.join('\n')}
/** A query of this data source, discriminated by \`queryType\`. */
export type ApiSessionsQuery = ${names.map((t) => `${pascal(t)}Query`).join(' | ')};

/** Each query type's own parameters (besides the filters), in the service's order. */
export const QUERY_PARAMS = ${literal(params)} as const;

/** What the service uses when a parameter is absent. */
export const SERVICE_DEFAULTS = ${literal(defaults)} as const;
`;
  // Prettier's CLI in a child process: its API loads ES modules, which jest (CommonJS) cannot.
  const cli = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [cli, '--stdin-filepath', CONTRACT_FILE], { input: source, encoding: 'utf8' });
}

if (require.main === module) {
  fs.writeFileSync(CONTRACT_FILE, renderQueryContract());
  console.log(`wrote ${path.relative(process.cwd(), CONTRACT_FILE)}`);
}
