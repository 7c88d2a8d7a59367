/**
 * The reference docs against the code, both ways, so they cannot drift apart: every environment variable the service
 * reads is in docs/configuration.md and every variable there is read; every query parameter of every query type (from
 * the zod schemas of the registry), with its default, bounds and values, is in docs/api.md and every parameter there
 * exists; every error code the service can answer (from the typed errors) is in the error table of docs/api.md and
 * every code there is produced. The names are read from the code (the TypeScript syntax tree of backend/src), never
 * from a copy in this test. Also: no doc links outside the repository, and every in-repository link resolves.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import { baseShape } from './query/context';
import { filterShape } from './query/filters';
import { QUERY_TYPES } from './query/registry';
import { valuesParams } from './query/values';

const ROOT = path.resolve(__dirname, '../..');
const SRC = __dirname;
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The service's TypeScript sources (tests excluded), parsed. */
const sources: ts.SourceFile[] = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
})(SRC).map((file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));

/** Every node of every source file, depth first. */
function* nodes(): Generator<{ node: ts.Node; file: ts.SourceFile }> {
  for (const file of sources) {
    const stack: ts.Node[] = [file];
    while (stack.length > 0) {
      const node = stack.pop()!;
      yield { node, file };
      stack.push(...node.getChildren(file));
    }
  }
}

const stringOf = (node: ts.Node | undefined) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

// ---------------------------------------------------------------------------------------------------------------
// Environment variables

/**
 * The variables the service reads: the keys of config.ts's `envSchema = z.object({...})`, `<NAME>_FILE` for each
 * name in its `FILE_VARIABLES` list, and any `process.env.NAME` / `process.env['NAME']` anywhere in backend/src.
 */
function envVariablesInCode(): Set<string> {
  const names = new Set<string>();
  for (const { node } of nodes()) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = node.initializer;
      if (
        node.name.text === 'envSchema' &&
        ts.isCallExpression(init) &&
        ts.isObjectLiteralExpression(init.arguments[0])
      )
        for (const p of init.arguments[0].properties) if (p.name && ts.isIdentifier(p.name)) names.add(p.name.text);
      const list = ts.isAsExpression(init) ? init.expression : init;
      if (node.name.text === 'FILE_VARIABLES' && ts.isArrayLiteralExpression(list))
        for (const e of list.elements) if (stringOf(e)) names.add(`${stringOf(e)}_FILE`);
    }
    const isProcessEnv = (e: ts.Expression) => e.getText() === 'process.env';
    if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) names.add(node.name.text);
    if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression) && stringOf(node.argumentExpression))
      names.add(stringOf(node.argumentExpression)!);
  }
  return names;
}

/** The first markdown table of the section whose heading starts with `heading` (or of the file): its rows as cells. */
function table(markdown: string, heading?: string): string[][] {
  let text = markdown;
  if (heading !== undefined) {
    const at = markdown.split('\n').findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '').startsWith(heading));
    if (at < 0) throw new Error(`no heading "${heading}"`);
    const rest = markdown.split('\n').slice(at + 1);
    const next = rest.findIndex((l) => /^#+ /.test(l));
    text = rest.slice(0, next < 0 ? undefined : next).join('\n');
  }
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return [];
  const end = lines.slice(start).findIndex((l) => !l.startsWith('|'));
  return lines
    .slice(start + 2, end < 0 ? undefined : start + end) // after the header and its |---| line
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

/** The rows of the first markdown table whose header row starts with `| <firstColumn> |`. */
function tableWithHeader(markdown: string, firstColumn: string): string[][] {
  const at = markdown.indexOf(`\n| ${firstColumn} |`);
  if (at < 0) throw new Error(`no table with a "${firstColumn}" column`);
  return table(markdown.slice(at + 1));
}

/** Backticked names in a table cell: "`host`, `app`" → host, app. */
const namesIn = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/configuration.md', () => {
  const doc = read('docs/configuration.md');
  const inCode = envVariablesInCode();
  const documented = new Set(tableWithHeader(doc, 'variable').flatMap((row) => namesIn(row[0])));
  const fileSecrets = new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]*_FILE)`/g)].map((m) => m[1]));

  it('finds the variables in the code (the extraction still works)', () => {
    expect(inCode.size).toBeGreaterThan(30);
    expect(inCode).toContain('OPENSEARCH_URL');
    expect(inCode).toContain('SESSION_SECRET_FILE');
  });

  it('documents every variable the service reads', () => {
    const missing = [...inCode].filter((n) => (n.endsWith('_FILE') ? !fileSecrets.has(n) : !documented.has(n)));
    expect(missing).toEqual([]);
  });

  it('documents no variable the service does not read', () => {
    expect([...documented, ...fileSecrets].filter((n) => !inCode.has(n))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Query parameters

interface ParamSchema {
  type?: string;
  anyOf?: ParamSchema[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  maxLength?: number;
}

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, ParamSchema>; required?: string[] };

const BASE = new Set(Object.keys(baseShape));
const FILTERS = new Set(Object.keys(filterShape));

/** What a parameter table row must say about a parameter: `required`, the default, the bounds, every enum value. */
function expectedFacts(p: ParamSchema, required: boolean): string[] {
  const facts: string[] = [];
  if (required) facts.push('required');
  if (p.default !== undefined) facts.push(`\`${String(p.default)}\``);
  const hasMax = p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER;
  // `.positive()` is an exclusive minimum of 0: for an integer, the documented minimum is 1.
  const min = p.minimum ?? (p.exclusiveMinimum !== undefined ? p.exclusiveMinimum + 1 : undefined);
  if (min !== undefined && hasMax) facts.push(`${min}–${p.maximum}`);
  else if (min !== undefined) facts.push(`≥ ${min}`);
  else if (hasMax) facts.push(`≤ ${p.maximum}`);
  if (p.maxLength !== undefined) facts.push(`≤ ${p.maxLength} characters`);
  for (const v of p.enum ?? []) facts.push(`\`${String(v)}\``);
  return facts;
}

/** Checks a parameter table against a schema's parameters: the same names, and each row states its facts. */
function checkParamTable(rows: string[][], schema: ReturnType<typeof jsonSchema>, names: string[]): void {
  const byName = new Map(rows.flatMap((row) => namesIn(row[0]).map((n) => [n, row.slice(1).join(' | ')] as const)));
  expect([...byName.keys()].sort()).toEqual([...names].sort());
  const wrong = names.flatMap((name) => {
    const row = byName.get(name) ?? '';
    const missing = expectedFacts(schema.properties[name], schema.required?.includes(name) ?? false).filter(
      (fact) => !row.includes(fact),
    );
    return missing.length > 0 ? [`${name}: ${missing.join(', ')}`] : [];
  });
  expect(wrong).toEqual([]);
}

describe('docs/api.md: query parameters', () => {
  const doc = read('docs/api.md');

  it.each(Object.keys(QUERY_TYPES))('`%s`: its own parameters, defaults, bounds and values', (type) => {
    const schema = jsonSchema(QUERY_TYPES[type as keyof typeof QUERY_TYPES].params);
    const names = Object.keys(schema.properties);
    const takesFilters = [...FILTERS].every((f) => names.includes(f));
    const own = names.filter((n) => n !== 'queryType' && !BASE.has(n) && !(takesFilters && FILTERS.has(n)));
    checkParamTable(table(doc, `\`${type}\``), schema, own);
  });

  it('the parameters of every query type (time range, refId, interval)', () => {
    const schema = jsonSchema(QUERY_TYPES.sessions.params);
    checkParamTable(table(doc, 'Parameters of every query type'), schema, [...BASE]);
  });

  it('the filters, and which query types take them', () => {
    const rows = table(doc, 'Filters');
    expect(rows.flatMap((r) => namesIn(r[0])).sort()).toEqual([...FILTERS].sort());
    const takers = Object.entries(QUERY_TYPES)
      .filter(([, h]) => [...FILTERS].every((f) => f in jsonSchema(h.params).properties))
      .map(([t]) => t);
    const heading = doc.split('\n').find((l) => l.startsWith('### Filters'))!;
    expect(namesIn(heading).sort()).toEqual(takers.sort());
  });

  it('GET /v1/values/{field}', () => {
    const schema = jsonSchema(valuesParams);
    checkParamTable(table(doc, '`GET /v1/values/{field}`'), schema, Object.keys(schema.properties));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Error codes

/**
 * The error codes the service can answer, from the syntax tree: a function, method or class constructor with a
 * parameter named `code` takes its code at that position, so every string literal passed there (`new AppError(409,
 * 'block_exists', …)`, `super(…)` in an error class, `new InputError(msg, details, 'invalid_spec')`,
 * `inputErrorFromZod(err, 'invalid_block')`, `rejectAll(c, 'records_rejected')`) and every default of such a
 * parameter (`code = 'invalid_query'`) is a code.
 */
function errorCodesInCode(): Set<string> {
  const codeParam = new Map<string, number>(); // callee name → index of its `code` parameter
  const codes = new Set<string>();
  const superOf = new Map<ts.Node, string>(); // class → the class it extends
  for (const { node } of nodes()) {
    if (ts.isClassDeclaration(node) && node.name) {
      const base = node.heritageClauses?.[0]?.types[0]?.expression.getText();
      if (base) superOf.set(node, base);
    }
    if (!(ts.isFunctionDeclaration(node) || ts.isConstructorDeclaration(node))) continue;
    const index = node.parameters.findIndex((p) => p.name.getText() === 'code');
    if (index < 0) continue;
    const owner = ts.isConstructorDeclaration(node) ? node.parent.name?.text : node.name?.text;
    if (owner) codeParam.set(owner, index);
    const fallback = stringOf(node.parameters[index].initializer);
    if (fallback) codes.add(fallback);
  }
  for (const { node } of nodes()) {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue;
    let callee = node.expression.getText();
    if (node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      let cls: ts.Node = node;
      while (!ts.isClassDeclaration(cls)) cls = cls.parent;
      callee = superOf.get(cls) ?? '';
    }
    const index = codeParam.get(callee);
    const code = index === undefined ? undefined : stringOf(node.arguments?.[index]);
    if (code) codes.add(code);
  }
  return codes;
}

describe('docs/api.md: error codes', () => {
  const inCode = errorCodesInCode();
  const documented = new Set(tableWithHeader(read('docs/api.md'), 'status').flatMap((row) => namesIn(row[1])));

  it('finds the codes in the code (the extraction still works)', () => {
    for (const code of ['invalid_query', 'unauthorized', 'records_rejected', 'invalid_spec', 'internal'])
      expect(inCode).toContain(code);
  });

  it('lists every code the service answers in the error table', () => {
    expect([...inCode].filter((c) => !documented.has(c))).toEqual([]);
  });

  it('lists no code the service does not answer', () => {
    expect([...documented].filter((c) => !inCode.has(c))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Links

/** README.md and every markdown file under docs/. */
const markdownFiles = [
  'README.md',
  ...(function walk(dir: string): string[] {
    return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
      const rel = path.join(dir, name);
      if (statSync(path.join(ROOT, rel)).isDirectory()) return walk(rel);
      return name.endsWith('.md') ? [rel] : [];
    });
  })('docs'),
];

describe('doc links', () => {
  /** `[text](target)` links of a markdown file, outside code blocks. */
  const links = (file: string) =>
    [
      ...read(file)
        .replace(/```[\s\S]*?```/g, '')
        .matchAll(/\]\(([^)\s]+)\)/g),
    ].map((m) => m[1]);

  it.each(markdownFiles)('%s links only into the repository, to files that exist', (file) => {
    const bad = links(file).filter((target) => {
      if (/^[a-z]+:|^\/\//i.test(target)) return true; // another site (or a mailto:, …)
      const rel = target.split('#')[0];
      if (rel === '') return false; // an anchor in the same file
      const resolved = path.resolve(ROOT, path.dirname(file), rel);
      return !resolved.startsWith(ROOT + path.sep) || !existsSync(resolved);
    });
    expect(bad).toEqual([]);
  });
});
