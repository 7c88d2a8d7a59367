import { readFileSync } from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';
import { trimTrailing } from '../text';
import { compileGlob, type Glob } from './glob';

// Business flows: rules that tag endpoints with flows such as `authentication` or `billing` (FLOWS_CONFIG).
//
// An endpoint rule is `[METHODS ]PATTERN`: `POST */register*`, `GET,POST */login*`, `*/admin*`. `*` matches any
// run of characters (including `/`); the pattern matches the whole endpoint template (the spec path with its base
// path, or the derived template such as `/users/{int}`), case-insensitively, with a trailing `/` ignored.

/** One flow rule: the flow applies when any of its endpoint patterns, tags or operation ids matches. */
const ruleSchema = z
  .object({
    flow: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only (1–64)'),
    endpoints: z.array(z.string().min(1).max(512)).max(200).default([]),
    tags: z.array(z.string().min(1).max(256)).max(200).default([]),
    operation_ids: z.array(z.string().min(1).max(512)).max(1000).default([]),
  })
  .strict()
  .refine(
    (r) => r.endpoints.length + r.tags.length + r.operation_ids.length > 0,
    'a rule needs at least one of endpoints, tags, operation_ids',
  );

/** The FLOWS_CONFIG file. */
const flowConfigSchema = z
  .object({
    /** The user's rules; they apply together with the built-in ones. */
    flows: z.array(ruleSchema).max(500).default([]),
    /** `false` drops every built-in rule. */
    defaults: z.boolean().default(true),
    /** Built-in flows to drop (redefine them in `flows` to change their patterns). */
    disable_defaults: z.array(z.string()).max(100).default([]),
  })
  .strict();

type FlowRule = z.input<typeof ruleSchema>;
export type FlowConfig = z.infer<typeof flowConfigSchema>;

/** Built-in flow rules (Wallarm's flows: Auth, Acc create, Acc mgmt, Billing, Admin, SMS gateway, AI/LLM). */
const DEFAULT_FLOW_RULES: readonly FlowRule[] = [
  {
    flow: 'authentication',
    endpoints: [
      '*/login*',
      '*/logout*',
      '*/signin*',
      '*/sign-in*',
      '*/oauth/token*',
      '*/oauth2/token*',
      '*/auth/token*',
      '*/token/refresh*',
    ],
  },
  {
    flow: 'account_creation',
    endpoints: ['POST */register*', 'POST */signup*', 'POST */sign-up*', 'POST */users', 'POST */accounts'],
  },
  { flow: 'account_management', endpoints: ['*/password*', '*/profile*', '*/account*', '*/users/me', '*/me'] },
  { flow: 'billing', endpoints: ['*/billing*', '*/payment*', '*/checkout*', '*/invoice*', '*/subscription*'] },
  { flow: 'admin', endpoints: ['*/admin*'] },
  { flow: 'messaging_gateway', endpoints: ['*/sms*', '*/otp*', '*/verify*'] },
  { flow: 'ai_llm', endpoints: ['*/chat/completions*', '*/llm*', '*/ai/*', '*/completions*', '*/embeddings*'] },
];

/** The flow configuration used when FLOWS_CONFIG is unset: the built-in rules only. */
const DEFAULT_FLOW_CONFIG: FlowConfig = flowConfigSchema.parse({});

interface CompiledPattern {
  flow: string;
  methods?: ReadonlySet<string>;
  matches: (endpoint: string) => boolean;
}

/** Flow rules compiled once; both lookups return a frozen, sorted list of distinct flow names. */
export interface FlowMatcher {
  /** Flows of a spec operation (endpoint patterns, tags and operation id). Used when specs are compiled. */
  forOperation(
    method: string,
    endpoint: string,
    tags: readonly string[],
    operationId: string | undefined,
  ): readonly string[];
  /** Flows of an endpoint without a spec operation; memoised per (method, endpoint). */
  forEndpoint(method: string, endpoint: string): readonly string[];
}

const CACHE_LIMIT = 20_000;
const EMPTY: readonly string[] = Object.freeze([]);

// Compiles flow rules. Example: `POST */users` → methods {POST}, /^.*\/users$/i, so `POST /api/users` is
// `account_creation` and `GET /api/users` is not.
export function compileFlows(config: FlowConfig = DEFAULT_FLOW_CONFIG): FlowMatcher {
  const disabled = new Set(config.disable_defaults);
  const defaults = config.defaults ? DEFAULT_FLOW_RULES.filter((r) => !disabled.has(r.flow)) : [];
  const rules = [...config.flows, ...defaults.map((r) => ruleSchema.parse(r))];
  const patterns: CompiledPattern[] = rules.flatMap((r) =>
    (r.endpoints ?? []).map((p) => ({ flow: r.flow, ...compilePattern(p) })),
  );
  const byTag = new Map<string, Set<string>>();
  const byOperation = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const t of r.tags ?? []) addTo(byTag, t.toLowerCase(), r.flow);
    for (const o of r.operation_ids ?? []) addTo(byOperation, o, r.flow);
  }
  const interned = new Map<string, readonly string[]>();
  const intern = (set: Set<string>): readonly string[] => {
    if (set.size === 0) return EMPTY;
    const list = [...set].sort();
    const key = list.join('\n');
    let out = interned.get(key);
    if (!out) interned.set(key, (out = Object.freeze(list)));
    return out;
  };
  const matchPatterns = (method: string, endpoint: string, into: Set<string>) => {
    const target = endpoint.length > 1 && endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint;
    for (const p of patterns) if ((!p.methods || p.methods.has(method)) && p.matches(target)) into.add(p.flow);
  };
  // method → endpoint → flows: two Map probes, no key string built per record.
  const cache = new Map<string, Map<string, readonly string[]>>();
  let cached = 0;
  return {
    forOperation(method, endpoint, tags, operationId) {
      const flows = new Set<string>();
      matchPatterns(method, endpoint, flows);
      for (const t of tags) byTag.get(t.toLowerCase())?.forEach((f) => flows.add(f));
      if (operationId) byOperation.get(operationId)?.forEach((f) => flows.add(f));
      return intern(flows);
    },
    forEndpoint(method, endpoint) {
      let byEndpoint = cache.get(method);
      let out = byEndpoint?.get(endpoint);
      if (out) return out;
      const flows = new Set<string>();
      matchPatterns(method, endpoint, flows);
      out = intern(flows);
      // Endpoints are templates (low cardinality); a bounded cache still protects against a flood of odd paths.
      if (cached >= CACHE_LIMIT) {
        cache.clear();
        cached = 0;
        byEndpoint = undefined;
      }
      if (!byEndpoint) cache.set(method, (byEndpoint = new Map()));
      byEndpoint.set(endpoint, out);
      cached++;
      return out;
    },
  };
}

// Compiles one endpoint rule (a line comment: the example would end a block comment). Example: `POST,PUT */users/*`
// → methods {POST, PUT}, and `matches` is true for `/api/users/7` (any case; `*` is any run of characters, `/` too).
export function compilePattern(rule: string): {
  methods?: ReadonlySet<string>;
  matches: (endpoint: string) => boolean;
} {
  const m = /^([A-Za-z]+(?:[,|][A-Za-z]+)*)\s+(\S.*)$/.exec(rule.trim());
  const pattern = m ? m[2].trim() : rule.trim();
  const methods = m ? new Set(m[1].toUpperCase().split(/[,|]/)) : undefined;
  const glob: Glob = compileGlob((trimTrailing(pattern, '/') || '/').toLowerCase().split('*'), 0);
  return { ...(methods ? { methods } : {}), matches: (endpoint) => glob.test(endpoint.toLowerCase()) };
}

function addTo(map: Map<string, Set<string>>, key: string, flow: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(flow);
}

/** Parses FLOWS_CONFIG text (YAML or JSON). Throws an Error naming each bad field. */
export function parseFlowConfig(text: string, origin = 'FLOWS_CONFIG'): FlowConfig {
  let raw: unknown;
  try {
    raw = YAML.parse(text) ?? {};
  } catch (err) {
    throw new Error(`${origin}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  const parsed = flowConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${origin}: invalid flow rules:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Loads FLOWS_CONFIG from a path, or the defaults when unset. Throws naming the file and the problem. */
export function loadFlowConfig(path: string | undefined): FlowConfig {
  if (!path) return DEFAULT_FLOW_CONFIG;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`FLOWS_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseFlowConfig(text, `FLOWS_CONFIG (${path})`);
}
