/**
 * Shared pieces of the hostile-input fuzz suite (backend/test/fuzz): generators of nasty values and the checks
 * every answer must pass. See docs/fuzzing.md.
 */
import fc from 'fast-check';
import { record } from '../service';

/** Statuses the service documents for its endpoints (docs/api.md). A 5xx here is a bug — except 503 from ingest. */
const DOCUMENTED_STATUSES = new Set([200, 400, 401, 404, 413, 415, 429]);

/** fast-check settings: bounded (the machine is shared), reproducible from the printed seed. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
export const fcOpts = (numRuns = RUNS): fc.Parameters<unknown> => ({ numRuns, verbose: 1, endOnFailure: true });

/** Adversarial inputs for matchers: backtracking bait, long runs of separators, path parameters. */
export const ADVERSARIAL_STRINGS: readonly string[] = [
  `Bearer${' '.repeat(4000)}\u2028a\u2028b`,
  `token${'\t'.repeat(4000)}x\u2028y`,
  `${'/'.repeat(4000)}\u2028`,
  '/a'.repeat(2000),
  `/${'1'.repeat(4000)}x`,
  `/a@${'.aa'.repeat(1000)}!`,
  `/f/${'.'.repeat(4000)}`,
  '/shop;jsessionid=ABC123;x=1/cart;v=2',
  `/a;${'k=v;'.repeat(1000)}`,
  `/a?${'a=1&'.repeat(1000)}`,
  ';'.repeat(4000),
  'a=b; '.repeat(800),
  '{a}.{b}.{c}.{d}!',
  '*a*a*a*a*b',
  `${'*a'.repeat(2000)}`,
  `a${'a'.repeat(4000)}:/`,
  `["${'\\'.repeat(2000)}"]`,
];

/** Strings that mean something to Lucene, the query DSL, regexes, shells, HTML or HTTP. */
const SYNTAX_STRINGS = [
  '*',
  '?',
  '**',
  '" OR 1=1',
  "' OR '1'='1",
  '\\',
  '\\\\',
  '\\*',
  '{"match_all":{}}',
  '{"query":{"match_all":{}}}',
  'host:* OR *',
  '*:*',
  '_exists_:host',
  '/.*/',
  '.*',
  'a*',
  'a*b',
  'a?b',
  '<script>alert(1)</script>',
  'NOT host',
  '(a OR b) AND c',
  '[* TO *]',
  '{* TO *}',
  'a~2',
  'a^10',
  '+a -b',
  '&&',
  '||',
  '!',
  '$where',
  '${jndi:ldap://x}',
  '%00',
  '\u0000',
  'a\r\nb',
  'a\nSet-Cookie: x=1',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '😀',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'a'.repeat(1024),
  // Strings that made matching super-linear before issue 13 (scheme stripping, templates, flow patterns, splits).
  ...ADVERSARIAL_STRINGS,
];

/** Hostile strings: the fixed list plus random unicode, with bias to control characters and syntax. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SYNTAX_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.constantFrom(
          '*',
          '?',
          '\\',
          '"',
          "'",
          ':',
          '/',
          '(',
          ')',
          '{',
          '}',
          '[',
          ']',
          '~',
          '^',
          '\r',
          '\n',
          '\u0000',
          'a',
          'b',
          ' ',
          '.',
          '-',
        ),
        {
          maxLength: 30,
        },
      )
      .map((a) => a.join('')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** Any JSON-ish value of a wrong kind (for "wrong type in every field"). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 5e-324),
  fc.double(),
  hostileString,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'type', 'a', 'toString'),
    fc.oneof(fc.string({ maxLength: 5 }), fc.integer()),
    { maxKeys: 3 },
  ),
);

/** Every record field of the ingest contract. */
export const RECORD_FIELDS = [
  'id',
  'ts',
  'host',
  'method',
  'path',
  'status',
  'client_ip',
  'duration_ms',
  'request_bytes',
  'response_bytes',
  'user_agent',
  'node',
  'app',
  'protocol',
  'endpoint',
  'identifiers',
  'session_id',
  'user',
  'role',
  'context',
  'attacks',
  'blocked',
  'bot',
] as const;

/** String-typed record fields (for the 1 MB string test). */
export const STRING_FIELDS = [
  'id',
  'host',
  'method',
  'path',
  'user_agent',
  'node',
  'app',
  'protocol',
  'endpoint',
  'session_id',
  'user',
  'role',
] as const;

/** A fresh valid record with a unique id. */
export function freshRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return record({ id: `fz-${Math.random().toString(36).slice(2)}-${Date.now()}`, ...overrides });
}

/**
 * Checks an answer: a documented status (never a 5xx), a JSON body, and for 4xx the documented error shape with a
 * message; for 400, the details (or the ingest `errors` list) name a field. Returns a description of what is wrong,
 * or undefined when fine — so a property can `expect(problem).toBeUndefined()` and show the input on failure.
 */
export function answerProblem(
  res: { status: number; json: any },
  opts: { ingest?: boolean; allow?: number[] } = {},
): string | undefined {
  const allowed = new Set([...DOCUMENTED_STATUSES, ...(opts.allow ?? [])]);
  if (!allowed.has(res.status)) return `UNDOCUMENTED STATUS ${res.status}: ${JSON.stringify(res.json).slice(0, 500)}`;
  if (typeof res.json !== 'object' || res.json === null)
    return `status ${res.status} without a JSON object body: ${String(res.json).slice(0, 200)}`;
  if (res.status === 200) return undefined;
  const err = res.json.error;
  if (!err || typeof err.code !== 'string' || typeof err.message !== 'string' || err.message.length === 0) {
    return `status ${res.status} without {error:{code,message}}: ${JSON.stringify(res.json).slice(0, 300)}`;
  }
  if (res.status === 400) {
    // ingest answers list `errors` (docs/ingest.md); body-level 400s (e.g. broken gzip) may only carry `details`
    const fields: unknown[] = [
      ...(opts.ingest ? (res.json.errors ?? []).map((e: { field?: unknown }) => e.field) : []),
      ...(err.details ?? []).map((d: { field?: unknown }) => d.field),
    ];
    if (fields.length === 0 || fields.some((f) => typeof f !== 'string' || f === '')) {
      return `400 without field names: ${JSON.stringify(res.json).slice(0, 300)}`;
    }
  }
  return undefined;
}

/** Sets `value` at a dotted path inside a copy of `obj` (creating objects on the way). */
export function withPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = path.split('.');
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
  return copy;
}

/** `depth` nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`) as JSON text, built without recursion. */
export function deepJson(depth: number, kind: 'array' | 'object', inner = '1'): string {
  return kind === 'array'
    ? '['.repeat(depth) + inner + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}
