import { z } from 'zod';
import YAML from 'yaml';
import { trimTrailing } from '../text';

/**
 * A minimal OpenAPI 3.0 / 3.1 loader: only what classification needs (version, servers' base paths, paths →
 * methods → operationId / tags). Everything else in the document is accepted and ignored.
 */

/** HTTP methods an OpenAPI path item can hold. */
export const SPEC_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of a spec: `path` is the spec's path template (without base path). */
export interface SpecOperation {
  method: string;
  path: string;
  operationId?: string;
  tags: string[];
}

/** What classification keeps of one spec document. */
export interface ParsedSpec {
  /** `3.0.3`, `3.1.0`, … */
  openapi: string;
  title: string;
  /** `info.version` as written in the document. */
  infoVersion: string;
  /** Base paths of `servers[].url` (`/v2`, or `` for the root); at least one. */
  basePaths: string[];
  operations: SpecOperation[];
  /** `json` or `yaml`: how the text was written (kept when the document is persisted). */
  format: 'json' | 'yaml';
}

/** Thrown when a document is not a usable OpenAPI 3.0/3.1 spec; the message names the problem. */
export class SpecError extends Error {}

const MAX_OPERATIONS = 20_000;

const operationSchema = z.looseObject({
  operationId: z.string().max(512).optional(),
  tags: z.array(z.string().max(256)).max(100).optional(),
});

const serverSchema = z.looseObject({
  url: z.string().max(2048),
  variables: z.record(z.string(), z.looseObject({ default: z.string() })).optional(),
});

const specSchema = z.looseObject({
  openapi: z.string().regex(/^3\.[01]\.\d+$/, 'must be an OpenAPI 3.0.x or 3.1.x version (e.g. "3.0.3", "3.1.0")'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(serverSchema).max(100).optional(),
  // 3.1 documents may describe only webhooks; then there are no paths to match.
  paths: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Parses an OpenAPI 3.0/3.1 document written in JSON or YAML. Throws SpecError with the parser's message
 * (`not valid YAML: … at line 3, column 5`, `openapi: must be an OpenAPI 3.0.x or 3.1.x version …`,
 * `paths./users/{id: unbalanced braces in the path template`).
 */
export function parseSpec(text: string): ParsedSpec {
  const { raw, format } = parseText(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new SpecError('the document must be an object with "openapi", "info" and "paths"');
  if ('swagger' in raw && !('openapi' in raw))
    throw new SpecError('swagger: Swagger 2.0 is not supported; convert it to OpenAPI 3.0 or 3.1');
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SpecError(
      parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`).join('; '),
    );
  }
  const doc = parsed.data;
  return {
    openapi: doc.openapi,
    title: doc.info.title,
    infoVersion: doc.info.version,
    basePaths: basePathsOf(doc.servers),
    operations: operationsOf(doc.paths ?? {}),
    format,
  };
}

function parseText(text: string): { raw: unknown; format: 'json' | 'yaml' } {
  if (text.trim() === '') throw new SpecError('the document is empty');
  if (/^\s*[{[]/.test(text)) {
    try {
      return { raw: JSON.parse(text), format: 'json' };
    } catch (err) {
      throw new SpecError(`not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    return { raw: YAML.parse(text, { maxAliasCount: 100 }), format: 'yaml' };
  } catch (err) {
    throw new SpecError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `https://api.example.com/v2/` → `/v2`; `{scheme}://h/{base}` with defaults substituted; relative `/v2` kept. */
export function basePathsOf(servers: z.infer<typeof serverSchema>[] | undefined): string[] {
  if (!servers || servers.length === 0) return [''];
  const out = new Set<string>();
  for (const s of servers) {
    const url = s.url.replace(/\{([^{}]*)\}/g, (_, name: string) => s.variables?.[name]?.default ?? '');
    const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url) ?? /^\/\/[^/]*/.exec(url);
    let path = abs ? url.slice(abs[0].length) : url;
    path = path.split(/[?#]/)[0];
    if (!path.startsWith('/')) path = `/${path}`;
    out.add(trimTrailing(path, '/'));
  }
  return [...out];
}

function operationsOf(paths: Record<string, unknown>): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue; // specification extensions
    if (!path.startsWith('/')) throw new SpecError(`paths.${path}: a path must start with "/"`);
    if (!balancedTemplate(path)) throw new SpecError(`paths.${path}: unbalanced braces in the path template`);
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new SpecError(`paths.${path}: must be a path item object`);
    for (const method of SPEC_METHODS) {
      const value = (item as Record<string, unknown>)[method];
      if (value === undefined) continue;
      const op = operationSchema.safeParse(value);
      if (!op.success) {
        const issue = op.error.issues[0];
        throw new SpecError(
          `paths.${path}.${method}${issue.path.length ? `.${issue.path.map(String).join('.')}` : ''}: ${issue.message}`,
        );
      }
      ops.push({
        method: method.toUpperCase(),
        path,
        ...(op.data.operationId ? { operationId: op.data.operationId } : {}),
        tags: op.data.tags ?? [],
      });
      if (ops.length > MAX_OPERATIONS) throw new SpecError(`paths: more than ${MAX_OPERATIONS} operations`);
    }
  }
  return ops;
}

function balancedTemplate(path: string): boolean {
  let open = false;
  for (const ch of path) {
    if (ch === '{') {
      if (open) return false;
      open = true;
    } else if (ch === '}') {
      if (!open) return false;
      open = false;
    }
  }
  return !open;
}
