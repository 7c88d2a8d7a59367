import { compileFlows } from './flows';
import { compileMatcher, SHADOW, UNKNOWN, type ScopeSpecs } from './matcher';
import type { ParsedSpec } from './spec';

const spec = (
  ops: [string, string, string[]?][],
  basePaths = [''],
  operationIds: Record<string, string> = {},
): ParsedSpec => ({
  openapi: '3.1.0',
  title: 't',
  infoVersion: '1',
  basePaths,
  format: 'yaml',
  operations: ops.map(([method, path, tags]) => ({
    method,
    path,
    tags: tags ?? [],
    ...(operationIds[`${method} ${path}`] ? { operationId: operationIds[`${method} ${path}`] } : {}),
  })),
});

const v1 = spec(
  [
    ['GET', '/users/{id}'],
    ['GET', '/old'],
    ['DELETE', '/users/{id}'],
    ['POST', '/login'],
  ],
  ['/v2'],
);
const v2 = spec(
  [
    ['GET', '/users/{id}'],
    ['GET', '/users/me'],
    ['GET', '/files/{name}.{ext}'],
    ['GET', '/users/{id}/orders/{order}'],
    ['POST', '/login'],
    ['GET', '/billing', ['Payments']],
  ],
  ['/v2'],
  { 'GET /users/me': 'getMe' },
);
const scopes: ScopeSpecs[] = [
  { kind: 'host', name: 'API.example.com', versions: [v1, v2] },
  { kind: 'app', name: 'shop', versions: [spec([['GET', '/cart']])] },
];
const m = compileMatcher(scopes, compileFlows());
const classify = (method: string, path: string, host = 'api.example.com', app?: string) =>
  m.classify(host, app, method, path);

describe('compileMatcher', () => {
  it('documents a templated path under the server base path and returns the spec template', () => {
    expect(classify('GET', '/v2/users/17')).toEqual({ status: 'documented', endpoint: '/v2/users/{id}', flows: [] });
    expect(classify('GET', '/v2/users/17/')).toMatchObject({ status: 'documented', endpoint: '/v2/users/{id}' });
    expect(classify('GET', '/v2/users/17/orders/abc')).toMatchObject({
      status: 'documented',
      endpoint: '/v2/users/{id}/orders/{order}',
    });
  });

  it('prefers literal segments over templates, and falls back to the template for other methods', () => {
    expect(classify('GET', '/v2/users/me')).toMatchObject({
      status: 'documented',
      endpoint: '/v2/users/me',
      operationId: 'getMe',
    });
    // DELETE /users/me is not in v2 at all, but v1 had DELETE /users/{id}.
    expect(classify('DELETE', '/v2/users/me')).toMatchObject({ status: 'zombie', endpoint: '/v2/users/{id}' });
  });

  it('matches mixed segments such as {name}.{ext}', () => {
    expect(classify('GET', '/v2/files/report.pdf')).toMatchObject({
      status: 'documented',
      endpoint: '/v2/files/{name}.{ext}',
    });
    expect(classify('GET', '/v2/files/report')).toBe(SHADOW);
    expect(classify('GET', '/v2/files/.pdf')).toBe(SHADOW); // a parameter needs at least one character
    expect(classify('GET', '/v2/files/a.b.c')).toMatchObject({ endpoint: '/v2/files/{name}.{ext}' });
    expect(classify('GET', '/v2/files/a\u2028b.c\nd')).toMatchObject({ endpoint: '/v2/files/{name}.{ext}' });
  });

  it('matches mixed segments in linear time on hostile paths (issue 13)', () => {
    // `{a}.{b}.{c}.{d}!` once became nested lazy quantifiers: polynomial backtracking on a run of dots.
    const mixed = compileMatcher(
      [
        {
          kind: 'host',
          name: 'h',
          versions: [
            spec([
              ['GET', '/f/{a}.{b}.{c}.{d}!'],
              ['GET', '/g/x{a}-{b}-{c}y'],
            ]),
          ],
        },
      ],
      compileFlows(),
    );
    const started = performance.now();
    expect(mixed.classify('h', undefined, 'GET', `/f/${'.'.repeat(8000)}`)).toBe(SHADOW);
    expect(mixed.classify('h', undefined, 'GET', `/g/x${'-'.repeat(8000)}z`)).toBe(SHADOW);
    expect(mixed.classify('h', undefined, 'GET', `/f/${'.'.repeat(8000)}!`)).toMatchObject({ status: 'documented' });
    expect(performance.now() - started).toBeLessThan(500); // linear: under 1 ms; the regex took minutes
  });

  it('answers shadow for a path deeper than every spec path, also with a trailing slash', () => {
    expect(classify('GET', '/v2/users/1/orders/2/')).toMatchObject({ status: 'documented' });
    expect(classify('GET', '/v2/users/1/orders/2/x')).toBe(SHADOW);
    expect(classify('GET', '/v2/users/1/orders/2//')).toBe(SHADOW);
    expect(classify('GET', '/v2'.repeat(50_000))).toBe(SHADOW);
  });

  it('calls an operation only an earlier version had zombie, and one no version had shadow', () => {
    expect(classify('GET', '/v2/old')).toMatchObject({ status: 'zombie', endpoint: '/v2/old' });
    expect(classify('GET', '/v2/nope')).toBe(SHADOW);
    expect(classify('POST', '/v2/users/17')).toBe(SHADOW);
    expect(classify('GET', '/users/17')).toBe(SHADOW); // no base path
    expect(classify('GET', '/v2/users')).toBe(SHADOW);
    expect(classify('GET', '/v2/users//orders/x')).toBe(SHADOW); // a parameter needs a value
  });

  it('attaches the flows of the matched operation (patterns and tags)', () => {
    expect(classify('POST', '/v2/login')).toMatchObject({ status: 'documented', flows: ['authentication'] });
    expect(
      compileMatcher(
        scopes,
        compileFlows({
          flows: [{ flow: 'pay', endpoints: [], tags: ['payments'], operation_ids: [] }],
          defaults: true,
          disable_defaults: [],
        }),
      ).classify('api.example.com', undefined, 'GET', '/v2/billing'),
    ).toMatchObject({ flows: ['billing', 'pay'] });
  });

  it('picks the app spec first, then the host (also without :port); unknown when neither has one', () => {
    expect(classify('GET', '/cart', 'other.example.com', 'shop')).toMatchObject({
      status: 'documented',
      endpoint: '/cart',
    });
    expect(classify('GET', '/v2/users/1', 'api.example.com:8443')).toMatchObject({ status: 'documented' });
    expect(classify('GET', '/v2/users/1', 'other.example.com')).toBe(UNKNOWN);
    expect(classify('GET', '/v2/users/1', 'api.example.com', 'unknown-app')).toMatchObject({ status: 'documented' });
    expect(compileMatcher([], compileFlows()).classify('h', undefined, 'GET', '/')).toBe(UNKNOWN);
  });

  it('matches the root path and a base path root', () => {
    const root = compileMatcher(
      [{ kind: 'host', name: 'h', versions: [spec([['GET', '/']], ['/api'])] }],
      compileFlows(),
    );
    expect(root.classify('h', undefined, 'GET', '/api')).toMatchObject({ status: 'documented', endpoint: '/api' });
    expect(root.classify('h', undefined, 'GET', '/api/')).toMatchObject({ status: 'documented' });
    expect(root.classify('h', undefined, 'GET', '/')).toBe(SHADOW);
  });

  it('stays fast with 3 specs of 500 operations (trie, not a scan)', () => {
    const big = (n: number) =>
      spec(Array.from({ length: 500 }, (_, i) => ['GET', `/svc${n}/r${i}/{id}/items/{item}`] as [string, string]));
    const bm = compileMatcher(
      [0, 1, 2].map((n) => ({ kind: 'host' as const, name: `h${n}`, versions: [big(n)] })),
      compileFlows(),
    );
    expect(bm.classify('h1', undefined, 'GET', '/svc1/r499/7/items/9')).toMatchObject({
      status: 'documented',
      endpoint: '/svc1/r499/{id}/items/{item}',
    });
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) bm.classify('h2', undefined, 'GET', `/svc2/r${i % 600}/${i}/items/1`);
    // ms per lookup: 20 µs is generous for a loaded machine; a lookup typically takes well under 1 µs.
    expect((performance.now() - t0) / 100_000).toBeLessThan(0.02);
  });
});
