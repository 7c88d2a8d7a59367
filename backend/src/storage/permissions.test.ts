/**
 * docs/operations.md "OpenSearch permissions" lists exactly the OpenSearch calls the service makes, and its role
 * grants exactly the permissions that table names (issue 20).
 *
 * The calls are found in backend/src with the TypeScript type checker: every call whose signature is declared by the
 * OpenSearch client's API (`client.indices.putIndexTemplate(…)`, `ctx.client.search(…)`, whatever the variable is
 * called), plus `client.transport.request({method, path})` with its method and path. That a security-enabled cluster
 * grants the calls with this role is checked live by backend/test/security/permissions.test.ts (OpenSearch 2.19.4
 * with the security plugin, the role parsed from the doc, the real service as a user with that role); not the ISM
 * calls (no ISM plugin for the local node).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const CLIENT_PACKAGE = `${path.sep}@opensearch-project${path.sep}opensearch${path.sep}`;

/** The name of a client API method from its declaration: `indices.putIndexTemplate`, `bulk`. */
function apiName(decl: ts.Declaration): string {
  const name = (decl as ts.MethodSignature).name.getText();
  const parent = decl.parent;
  return ts.isTypeLiteralNode(parent) &&
    (ts.isPropertySignature(parent.parent) || ts.isPropertyDeclaration(parent.parent))
    ? `${parent.parent.name.getText()}.${name}`
    : name;
}

/**
 * `METHOD /path` of a `transport.request({method, path})` call, `${…}` parts written `{}`. A shorthand `{ path }`
 * is followed to the constant it names.
 */
function transportRequestName(call: ts.CallExpression, checker: ts.TypeChecker, where: string): string {
  const arg = call.arguments[0];
  const value = (name: string): ts.Expression | undefined => {
    if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
    const p = arg.properties.find((x) => x.name?.getText() === name);
    if (p && ts.isPropertyAssignment(p)) return p.initializer;
    if (p && ts.isShorthandPropertyAssignment(p)) {
      const decl = checker.getShorthandAssignmentValueSymbol(p)?.valueDeclaration;
      return decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
    }
    return undefined;
  };
  const method = value('method');
  const route = value('path');
  if (!method || !ts.isStringLiteral(method) || !route)
    throw new Error(`${where}: transport.request without a literal method and path; list it by hand`);
  let text: string;
  if (ts.isStringLiteral(route) || ts.isNoSubstitutionTemplateLiteral(route)) text = route.text;
  else if (ts.isTemplateExpression(route))
    text = route.head.text + route.templateSpans.map((s) => `{}${s.literal.text}`).join('');
  else throw new Error(`${where}: transport.request path is not a literal; list it by hand`);
  return `${method.text} ${text}`;
}

/** Every OpenSearch API call in backend/src (tests excluded), by name, with where it is made. */
function openSearchCalls(): Map<string, string[]> {
  const configFile = path.join(ROOT, 'backend/tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const srcDir = path.join(ROOT, 'backend', 'src') + path.sep;
  const files = parsed.fileNames.filter((f) => path.resolve(f).startsWith(srcDir) && !f.endsWith('.test.ts'));
  const program = ts.createProgram(files, parsed.options);
  const checker = program.getTypeChecker();
  const calls = new Map<string, string[]>();
  for (const sf of program.getSourceFiles()) {
    if (!path.resolve(sf.fileName).startsWith(srcDir) || sf.fileName.endsWith('.test.ts')) continue;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const decl = checker.getResolvedSignature(node)?.getDeclaration();
        const declFile = decl?.getSourceFile().fileName ?? '';
        if (decl && declFile.includes(CLIENT_PACKAGE)) {
          const where = `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          const base = path.basename(declFile);
          const target = node.expression.expression;
          let name: string | undefined;
          if (base === 'OpenSearchApi.d.ts') name = apiName(decl);
          // The transport's own request: only `<client>.transport.request(…)` is a call of ours (`super.request` is
          // the client's transport passing requests on; `request.abort()` cancels one).
          else if (
            base === 'Transport.d.ts' &&
            node.expression.name.text === 'request' &&
            ts.isPropertyAccessExpression(target) &&
            target.name.text === 'transport'
          )
            name = transportRequestName(node, checker, where);
          if (name) calls.set(name, [...(calls.get(name) ?? []), where]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return calls;
}

const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** The permissions table and the role of docs/operations.md "OpenSearch permissions". */
function documented() {
  const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const start = doc.indexOf('\n## OpenSearch permissions\n');
  expect(start).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split(' | '));
  const calls = rows.map((cells) => ticked(cells[0])[0]);
  /** scope (`cluster` or an index pattern for INDEX_PREFIX=api-sessions) → permissions. */
  const granted = new Map<string, Set<string>>();
  for (const cells of rows) {
    for (const group of cells[cells.length - 1].split('; ')) {
      const colon = group.indexOf(': ');
      const scopes = group.slice(0, colon).startsWith('cluster')
        ? ['cluster']
        : ticked(group.slice(0, colon)).map((p) => p.replace('<prefix>', 'api-sessions'));
      const permissions = ticked(group.slice(colon + 2));
      expect([group, scopes.length > 0 && permissions.length > 0]).toEqual([group, true]);
      for (const scope of scopes) {
        const set = granted.get(scope) ?? new Set<string>();
        permissions.forEach((p) => set.add(p));
        granted.set(scope, set);
      }
    }
  }
  const yamlStart = section.indexOf('```yaml\n');
  const yamlText = section.slice(yamlStart + 8, section.indexOf('```', yamlStart + 8));
  const role = Object.values(parse(yamlText) as Record<string, unknown>)[0] as {
    cluster_permissions: string[];
    index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
  };
  const roleGrants = new Map<string, Set<string>>([['cluster', new Set(role.cluster_permissions)]]);
  for (const p of role.index_permissions)
    for (const pattern of p.index_patterns) roleGrants.set(pattern, new Set(p.allowed_actions));
  return { calls, granted, roleGrants };
}

const sorted = (m: Map<string, Set<string>>) =>
  Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));

describe('docs/operations.md "OpenSearch permissions"', () => {
  const calls = openSearchCalls();
  const doc = documented();

  it('lists every OpenSearch call of the service, and no other', () => {
    // Failing? A call was added or removed: update the table (and the role) in docs/operations.md.
    const undocumented = [...calls.keys()].filter((c) => !doc.calls.includes(c)).map((c) => `${c} (${calls.get(c)})`);
    const gone = doc.calls.filter((c) => !calls.has(c));
    expect({ undocumented, gone }).toEqual({ undocumented: [], gone: [] });
    expect(new Set(doc.calls).size).toBe(doc.calls.length);
  });

  it('finds the calls it should (the check itself works)', () => {
    for (const c of ['bulk', 'search', 'cluster.health', 'indices.putIndexTemplate', 'PUT /_plugins/_ism/policies/{}'])
      expect([c, calls.has(c)]).toEqual([c, true]);
    expect(calls.has('close')).toBe(false); // not a request
  });

  it('gives the role exactly the permissions the table names', () => {
    expect(sorted(doc.roleGrants)).toEqual(sorted(doc.granted));
  });
});
