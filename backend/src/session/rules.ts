import { readFileSync } from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';

/**
 * Session rules (`SESSION_CONFIG`, YAML or JSON). See docs/sessions.md for the format and examples.
 *
 * A "source" says where a value is read from. Exactly one of its location keys is set:
 *   { header: "x-session-id" } | { cookie: "sid" } | { query: "session" } | { response: "x-auth-token" }
 *   | { jwt: { header: "authorization", claim: "sub" } } | { jwt: { cookie: "token", claim: "sub" } }
 *   | { session_id: true }   (the session id the node computed)
 */
const name = z.string().min(1).max(256);
const jwtSchema = z
  .object({ header: name.optional(), cookie: name.optional(), claim: name })
  .strict()
  .refine((j) => (j.header ? 1 : 0) + (j.cookie ? 1 : 0) === 1, 'jwt needs exactly one of header or cookie');

const sourceShape = z.object({
  header: name.optional(),
  cookie: name.optional(),
  query: name.optional(),
  response: name.optional(),
  jwt: jwtSchema.optional(),
  session_id: z.literal(true).optional(),
  hash: z.boolean().optional(),
});
const LOCATIONS = ['header', 'cookie', 'query', 'response', 'jwt', 'session_id'] as const;
const oneLocation = (s: object) => LOCATIONS.filter((k) => k in s).length === 1;
const ONE_LOCATION = 'a rule needs exactly one of header, cookie, query, response, jwt, session_id';

const sourceSchema = sourceShape.strict().refine(oneLocation, ONE_LOCATION);
const contextRuleSchema = sourceShape
  .extend({ name: z.string().min(1).max(64) })
  .strict()
  .refine(oneLocation, ONE_LOCATION);

const sessionRulesSchema = z
  .object({
    /** Ordered key rules: the first one present wins. */
    keys: z.array(sourceSchema).max(20).default([]),
    /** Whether the built-in fallback applies after `keys` (common session cookies/headers, ip+ua, ip). */
    fallback: z.boolean().default(true),
    user: z.array(sourceSchema).max(20).default([]),
    role: z.array(sourceSchema).max(20).default([]),
    context: z.array(contextRuleSchema).max(20).default([]),
    /** Extra endpoint templates per host: { "api.example.com": ["/orders/{order}/items/{item}"] }. */
    endpoint_templates: z.record(z.string(), z.array(z.string().startsWith('/'))).default({}),
  })
  .strict();

export type Source = z.infer<typeof sourceSchema>;
export type SessionRules = z.infer<typeof sessionRulesSchema>;

/** The rules used when SESSION_CONFIG is unset: only the built-in fallback. */
export const DEFAULT_RULES: SessionRules = sessionRulesSchema.parse({});

/** Parses rules text (YAML is a superset of JSON). Throws an Error naming each bad field. */
export function parseSessionRules(text: string, origin = 'SESSION_CONFIG'): SessionRules {
  let raw: unknown;
  try {
    raw = YAML.parse(text) ?? {};
  } catch (err) {
    throw new Error(`${origin}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  const parsed = sessionRulesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${origin}: invalid session rules:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Loads rules from a file path, or the defaults when no path is given. */
export function loadSessionRules(path: string | undefined): SessionRules {
  if (!path) return DEFAULT_RULES;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`SESSION_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseSessionRules(text, `SESSION_CONFIG (${path})`);
}

/** Human-readable name of a source, used as `session.key_source`: `cookie:PHPSESSID`, `jwt:authorization.sub`. */
export function sourceLabel(s: Source): string {
  if (s.header) return `header:${s.header.toLowerCase()}`;
  if (s.cookie) return `cookie:${s.cookie}`;
  if (s.query) return `query:${s.query}`;
  if (s.response) return `response:${s.response.toLowerCase()}`;
  if (s.jwt)
    return s.jwt.header
      ? `jwt:${s.jwt.header.toLowerCase()}.${s.jwt.claim}`
      : `jwt:cookie.${s.jwt.cookie}.${s.jwt.claim}`;
  return 'node:session_id';
}
