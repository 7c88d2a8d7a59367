/**
 * Property test: the compiled trie answers exactly like a naive reference that scans every operation with a regex
 * (the thing the trie exists to avoid), on random specs with overlapping literal and templated paths.
 */
import fc from 'fast-check';
import { compileFlows } from './flows';
import { compileMatcher, type ScopeSpecs } from './matcher';
import type { ParsedSpec } from './spec';

const SEGMENTS = ['users', 'me', 'orders', '{id}', '{x}', 'v2', 'items'];
const CONCRETE = ['users', 'me', 'orders', '42', 'v2', 'items', 'abc'];
const METHODS = ['GET', 'POST'];
const flows = compileFlows({ flows: [], defaults: false, disable_defaults: [] });

const templateArb = fc
  .array(fc.constantFrom(...SEGMENTS), { minLength: 0, maxLength: 4 })
  .map((s) => `/${s.join('/')}`);
const opArb = fc.record({ method: fc.constantFrom(...METHODS), path: templateArb });
const versionArb = fc.array(opArb, { minLength: 0, maxLength: 12 });
const requestArb = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.array(fc.constantFrom(...CONCRETE), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
});

const asSpec = (ops: { method: string; path: string }[]): ParsedSpec => ({
  openapi: '3.1.0',
  title: 't',
  infoVersion: '1',
  basePaths: [''],
  format: 'yaml',
  operations: ops.map((o) => ({ ...o, tags: [] })),
});

/** Per segment: 0 literal, 1 template; lower sorts first (OpenAPI: concrete before templated). */
const rank = (template: string) =>
  template
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith('{') ? 1 : 0));
const byRank = (a: string, b: string) => {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return 0;
};
const toRe = (template: string) => new RegExp(`^${template.replace(/\{[^{}]+\}/g, '[^/]+')}$`);
const normal = (t: string) => (t.length > 1 && t.endsWith('/') ? t.slice(0, -1) : t);

function reference(
  versions: { method: string; path: string }[][],
  method: string,
  path: string,
): { status: string; endpoint?: string } {
  const p = normal(path);
  const pick = (ops: { method: string; path: string }[]) =>
    ops
      .filter((o) => o.method === method && toRe(normal(o.path)).test(p))
      .map((o) => normal(o.path))
      .sort(byRank)[0];
  const current = pick(versions[versions.length - 1]);
  if (current) return { status: 'documented', endpoint: current };
  const older = versions.slice(0, -1).flat();
  const z = pick(older);
  return z ? { status: 'zombie', endpoint: z } : { status: 'shadow' };
}

it('matches like a full scan with regexes (documented / zombie / shadow and the template)', () => {
  fc.assert(
    fc.property(
      fc.array(versionArb, { minLength: 1, maxLength: 3 }),
      fc.array(requestArb, { minLength: 1, maxLength: 20 }),
      (versions, requests) => {
        const scope: ScopeSpecs = { kind: 'host', name: 'h', versions: versions.map(asSpec) };
        const m = compileMatcher([scope], flows);
        for (const r of requests) {
          const got = m.classify('h', undefined, r.method, r.path);
          const want = reference(versions, r.method, r.path);
          // Templates differing only in parameter names ({id} vs {x}) are the same path; compare their shapes.
          const shape = (e?: string) => e?.replace(/\{[^{}]+\}/g, '{}');
          expect({ status: got.status, endpoint: shape(got.endpoint) }).toEqual({
            status: want.status,
            endpoint: shape(want.endpoint),
          });
        }
      },
    ),
    { numRuns: 300 },
  );
});
