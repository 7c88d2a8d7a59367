import type { ParsedSpec } from './spec';
import type { FlowMatcher } from './flows';
import type { ApiStatus } from '../storage/mappings';
import { compileGlob, type Glob } from './glob';

/**
 * The compiled spec matcher: pure, built once per spec change, consulted once per ingested record.
 *
 * Each scope (a host or an app) gets one path trie over the operations of *all* its spec versions, with the base
 * paths of each version's servers prefixed. A trie node indexes its literal children in a Map, so a lookup costs one
 * Map probe per path segment; only segments that mix text and parameters (`{name}.{ext}`) use a wildcard matcher
 * (`glob.ts`, linear in the segment's length), and only at their own node. Every leaf keeps, per method, the answer to return, prepared at compile time:
 * `documented` (the current version has it) or `zombie` (only earlier versions had it), with the endpoint template
 * and the operation's flows. A path that reaches no leaf with the method is `shadow`.
 */

/** The outcome for one request. `endpoint`/`flows` are set when a spec operation matched. Shared; never mutate. */
export interface Classification {
  readonly status: ApiStatus;
  /** The matched spec path with its base path, e.g. `/v2/users/{id}`. */
  readonly endpoint?: string;
  /** Flows of the matched operation (patterns, tags, operation id). */
  readonly flows?: readonly string[];
  readonly operationId?: string;
}

/** The spec versions of one scope, oldest first (the last one is current). */
export interface ScopeSpecs {
  kind: 'host' | 'app';
  /** Host (lower-case, optionally with `:port`) or app name. */
  name: string;
  versions: readonly ParsedSpec[];
}

/** Classifies requests against the compiled specs. */
export interface Matcher {
  classify(host: string, app: string | undefined, method: string, path: string): Classification;
}

interface Leaf {
  documented?: Classification;
  zombie?: Classification;
}

interface TrieNode {
  literal?: Map<string, TrieNode>;
  /** Mixed segments such as `{name}.{ext}` or `v{major}`, keyed by their template text. */
  mixed?: { template: string; glob: Glob; node: TrieNode }[];
  /** A whole-segment parameter `{id}`. */
  param?: TrieNode;
  /** method → answer, present on nodes where a spec path ends. */
  ops?: Map<string, Leaf>;
  /** On a scope's root: the most segments of any spec path (a longer request path is shadow without a walk). */
  depth?: number;
}

/** Answers shared by every record they apply to (no allocation per record). */
export const UNKNOWN: Classification = Object.freeze({ status: 'unknown' });
export const SHADOW: Classification = Object.freeze({ status: 'shadow' });

/**
 * Compiles scopes into a matcher. Example: host `api.example.com` with servers `https://api.example.com/v2` and
 * path `/users/{id}` → `GET /v2/users/17` is `{status: 'documented', endpoint: '/v2/users/{id}'}`.
 */
export function compileMatcher(scopes: readonly ScopeSpecs[], flows: FlowMatcher): Matcher {
  const hosts = new Map<string, TrieNode>();
  const apps = new Map<string, TrieNode>();
  for (const scope of scopes) {
    if (scope.versions.length === 0) continue;
    (scope.kind === 'host' ? hosts : apps).set(
      scope.kind === 'host' ? scope.name.toLowerCase() : scope.name,
      compileScope(scope.versions, flows),
    );
  }
  const hostTrie = (host: string): TrieNode | undefined => {
    const exact = hosts.get(host);
    if (exact || hosts.size === 0) return exact;
    const colon = host.lastIndexOf(':');
    // `api.example.com:8443` falls back to the spec of `api.example.com` (not for a bare IPv6 address).
    return colon > 0 && host.indexOf(':') === colon ? hosts.get(host.slice(0, colon)) : undefined;
  };
  return {
    classify(host, app, method, path) {
      const trie = (app !== undefined ? apps.get(app) : undefined) ?? hostTrie(host);
      if (!trie) return UNKNOWN;
      // A path with more segments than any spec path cannot match: answer before splitting 8 KB of `/a/a/a…`.
      if (hasMoreSlashesThan(path, (trie.depth ?? 0) + 1)) return SHADOW;
      const segments = splitSegments(path);
      let zombie: Classification | undefined;
      const documented = walk(trie, segments, 0, method, (leaf) => {
        zombie ??= leaf.zombie;
      });
      return documented ?? zombie ?? SHADOW;
    },
  };
}

/** Builds one scope's trie; later versions overwrite earlier answers, so the newest template text wins. */
function compileScope(versions: readonly ParsedSpec[], flows: FlowMatcher): TrieNode {
  const root: TrieNode = {};
  const current = versions.length - 1;
  versions.forEach((spec, v) => {
    for (const op of spec.operations) {
      for (const base of spec.basePaths) {
        const endpoint = normalise(base + op.path);
        const segments = splitSegments(endpoint);
        root.depth = Math.max(root.depth ?? 0, segments.length);
        const node = insert(root, segments);
        node.ops ??= new Map();
        let leaf = node.ops.get(op.method);
        if (!leaf) node.ops.set(op.method, (leaf = {}));
        const answer: Classification = Object.freeze({
          status: v === current ? 'documented' : 'zombie',
          endpoint,
          flows: flows.forOperation(op.method, endpoint, op.tags, op.operationId),
          ...(op.operationId ? { operationId: op.operationId } : {}),
        });
        if (v === current) leaf.documented ??= answer;
        else leaf.zombie = answer;
      }
    }
  });
  return root;
}

/**
 * Depth-first match, most specific first (literal, then mixed, then `{param}`, as OpenAPI orders concrete paths
 * before templated ones). Returns the first `documented` answer for the method; reports every reached leaf with
 * the method to `onLeaf` so the caller can fall back to the first zombie.
 */
function walk(
  node: TrieNode,
  segments: string[],
  i: number,
  method: string,
  onLeaf: (leaf: Leaf) => void,
): Classification | undefined {
  if (i === segments.length) {
    const leaf = node.ops?.get(method);
    if (!leaf) return undefined;
    if (leaf.documented) return leaf.documented;
    onLeaf(leaf);
    return undefined;
  }
  const seg = segments[i];
  const lit = node.literal?.get(seg);
  if (lit) {
    const found = walk(lit, segments, i + 1, method, onLeaf);
    if (found) return found;
  }
  if (node.mixed) {
    for (const m of node.mixed) {
      if (!m.glob.test(seg)) continue;
      const found = walk(m.node, segments, i + 1, method, onLeaf);
      if (found) return found;
    }
  }
  if (node.param && seg !== '') return walk(node.param, segments, i + 1, method, onLeaf);
  return undefined;
}

function insert(root: TrieNode, segments: string[]): TrieNode {
  let node = root;
  for (const seg of segments) {
    if (/^\{[^{}]*\}$/.test(seg)) {
      node = node.param ??= {};
    } else if (seg.includes('{')) {
      node.mixed ??= [];
      let entry = node.mixed.find((m) => m.template === seg);
      if (!entry) node.mixed.push((entry = { template: seg, glob: mixedSegmentGlob(seg), node: {} }));
      node = entry.node;
    } else {
      node.literal ??= new Map();
      let next = node.literal.get(seg);
      if (!next) node.literal.set(seg, (next = {}));
      node = next;
    }
  }
  return node;
}

/** `{name}.{ext}` → pieces ['', '.', '']: literal text must match, each parameter takes at least one character. */
function mixedSegmentGlob(seg: string): Glob {
  return compileGlob(seg.split(/\{[^{}]*\}/), 1);
}

/** True when `path` holds more than `n` slashes (then it has at least `n` segments, even without its ends). */
function hasMoreSlashesThan(path: string, n: number): boolean {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = path.indexOf('/', at + 1);
    if (at === -1) return false;
  }
  return true;
}

/** `/v2/users/` → `/v2/users`; `` → `/`. */
function normalise(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** `/users/17/` → ['users', '17'] (the leading `/` and one trailing `/` are dropped; `/` → []). */
function splitSegments(path: string): string[] {
  let end = path.length;
  if (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  const start = path.charCodeAt(0) === 47 ? 1 : 0;
  if (end <= start) return [];
  return path.slice(start, end).split('/');
}
