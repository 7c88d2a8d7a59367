/**
 * OpenAPI specs for the ingest benchmarks (`BENCH_SPECS=3x500`): `count` specs of `ops` operations each.
 * The first describes `shop.example.com` (the bench records' host) under the base path `/api/v1`, with the
 * records' product, cart, order and profile endpoints documented; `/api/v1/search` and `/static/…` stay shadow.
 * The others describe hosts the records never use, so they only add to what is compiled.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { ScopeSpecs } from '../../backend/src/inventory/matcher';
import { parseSpec } from '../../backend/src/inventory/spec';

const METHODS = ['get', 'post', 'put', 'delete'];

/** Parses `3x500` into { count: 3, ops: 500 }; undefined for unset / `0` / `none`. */
export function parseBenchSpecs(value: string | undefined): { count: number; ops: number } | undefined {
  if (!value || value === '0' || value === 'none') return undefined;
  const m = /^(\d+)x(\d+)$/.exec(value);
  if (!m) throw new Error(`BENCH_SPECS must look like 3x500 (specs x operations), got "${value}"`);
  return { count: Number(m[1]), ops: Number(m[2]) };
}

/** The host of spec `n` (0 = the bench records' host). */
const benchSpecHost = (n: number) => (n === 0 ? 'shop.example.com' : `api${n}.example.com`);

/** One OpenAPI 3.1 document (YAML text) with `ops` operations. */
function benchSpecText(n: number, ops: number): string {
  const paths: Record<string, Record<string, object>> = {};
  const add = (p: string, method: string, extra: object = {}) => {
    paths[p] ??= {};
    paths[p][method] = { operationId: `op${n}_${Object.keys(paths).length}_${method}`, tags: [`t${n % 7}`], ...extra };
  };
  let count = 0;
  if (n === 0) {
    for (const [p, methods] of [
      ['/products/{id}', METHODS],
      ['/cart', METHODS],
      ['/orders/{id}/items', METHODS],
      ['/users/{id}/profile', METHODS],
    ] as const) {
      for (const m of methods) {
        add(p, m);
        count++;
      }
    }
  }
  for (let i = 0; count < ops; i++) {
    // Resources with an item, a sub-collection and a sub-item: realistic depth and many templated segments.
    const shapes = [`/res${i}`, `/res${i}/{id}`, `/res${i}/{id}/parts`, `/res${i}/{id}/parts/{part}`];
    for (const p of shapes) {
      for (const m of METHODS) {
        if (count >= ops) break;
        add(p, m);
        count++;
      }
    }
  }
  return YAML.stringify({
    openapi: '3.1.0',
    info: { title: `bench ${n}`, version: '1' },
    servers: [{ url: `https://${benchSpecHost(n)}/api/v1` }],
    paths,
  });
}

/** Writes the specs as SPECS_DIR (`hosts/<host>/1.yaml`). */
export function writeBenchSpecs(dir: string, count: number, ops: number): void {
  for (let n = 0; n < count; n++) {
    const scopeDir = path.join(dir, 'hosts', benchSpecHost(n));
    mkdirSync(scopeDir, { recursive: true });
    writeFileSync(path.join(scopeDir, '1.yaml'), benchSpecText(n, ops));
  }
}

/** The same specs, parsed, for the in-process micro-benchmark. */
export function benchSpecScopes(count: number, ops: number): ScopeSpecs[] {
  return Array.from({ length: count }, (_, n) => ({
    kind: 'host' as const,
    name: benchSpecHost(n),
    versions: [parseSpec(benchSpecText(n, ops))],
  }));
}
