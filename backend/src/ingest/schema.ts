import { z } from 'zod';

/** Length caps of record fields (also used by the OTLP mapping). */
export const LIMITS = {
  id: 128,
  host: 255,
  method: 16,
  path: 8192,
  shortText: 256,
  userAgent: 1024,
  identifierValue: 8192,
  identifierEntries: 100,
  contextEntries: 20,
  contextValue: 1024,
  attacks: 100,
} as const;

const MAX_NUMBER = 1e15;

const shortText = z.string().max(LIMITS.shortText);
const nonNegative = z.number().min(0).max(MAX_NUMBER);
const stringMap = z
  .record(z.string().max(LIMITS.shortText), z.string().max(LIMITS.identifierValue))
  .refine((m) => Object.keys(m).length <= LIMITS.identifierEntries, `at most ${LIMITS.identifierEntries} entries`);

/** Request time: RFC 3339 string or epoch milliseconds; parsed to epoch ms. */
const tsSchema = z
  .union([
    z.number().int().min(0).max(8.64e15),
    z.iso.datetime({
      offset: true,
      message: 'must be an RFC 3339 date-time (e.g. 2026-11-28T07:35:22Z) or epoch milliseconds',
    }),
  ])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

/** Raw identifier candidates; used only to compute the session key, user, role and context. Never stored. */
const identifiersSchema = z.object({
  headers: stringMap.optional(),
  cookies: stringMap.optional(),
  query: stringMap.optional(),
  response: stringMap.optional(),
});

/** One ingested record, as a node sends it. Unknown fields are dropped. */
export const recordSchema = z.object({
  id: z.string().min(1).max(LIMITS.id).optional(),
  ts: tsSchema,
  host: z.string().min(1).max(LIMITS.host),
  method: z
    .string()
    .min(1)
    .max(LIMITS.method)
    .regex(/^[A-Za-z_-]+$/, 'must be an HTTP method name (letters only)'),
  path: z.string().min(1).max(LIMITS.path),
  status: z.number().int().min(0).max(599),
  client_ip: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }),
  duration_ms: nonNegative.optional(),
  request_bytes: nonNegative.optional(),
  response_bytes: nonNegative.optional(),
  user_agent: z.string().max(LIMITS.userAgent).optional(),
  node: shortText.optional(),
  app: shortText.optional(),
  protocol: z.string().max(32).optional(),
  endpoint: z.string().min(1).max(LIMITS.path).optional(),
  identifiers: identifiersSchema.optional(),
  session_id: z.string().min(1).max(LIMITS.identifierValue).optional(),
  user: shortText.optional(),
  role: shortText.optional(),
  context: z
    .record(z.string().min(1).max(64), z.string().max(LIMITS.contextValue))
    .refine((m) => Object.keys(m).length <= LIMITS.contextEntries, `at most ${LIMITS.contextEntries} entries`)
    .optional(),
  attacks: z
    .array(
      z.object({
        type: z.string().min(1).max(64),
        blocked: z.boolean().optional(),
        rule: z.string().max(LIMITS.shortText).optional(),
      }),
    )
    .max(LIMITS.attacks)
    .optional(),
  blocked: z.boolean().optional(),
  bot: z
    .object({
      type: z.string().min(1).max(64),
      score: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

/** A record that passed validation (`ts` is epoch ms). */
export type IngestRecord = z.infer<typeof recordSchema>;
