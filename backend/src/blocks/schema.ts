/**
 * Request bodies and parameters of the blocks API (`POST /v1/blocks`, `GET /v1/blocks`, `DELETE /v1/blocks/{id}`),
 * validated with zod; every problem names its field.
 */
import { z } from 'zod';
import { inputErrorFromZod, InputError } from '../http/errors';
import { formatRange, MIN_BLOCK_PREFIX, parseRange } from './ip';
import type { BlockMode, TargetType } from './model';

/** Longest reason kept (longer ones are refused, not cut). */
export const MAX_REASON = 500;

const SESSION_ID = /^[0-9a-f]{64}$/;
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** The body of `POST /v1/blocks`. `expires_in_minutes` is checked against BLOCK_MAX_MINUTES by `parseCreateBlock`. */
export const createBlockSchema = z
  .object({
    target: z
      .object({
        session_id: z
          .string()
          .transform((s) => s.trim().toLowerCase())
          .refine((s) => SESSION_ID.test(s), 'must be a session id (64 hex characters, the session key)')
          .optional(),
        client_ip: z.string().max(64).optional(),
        user: text(256).optional(),
      })
      .strict()
      .refine(
        (t) => [t.session_id, t.client_ip, t.user].filter((v) => v !== undefined).length === 1,
        'give exactly one of session_id, client_ip or user',
      ),
    host: text(253)
      .transform((h) => h.toLowerCase())
      .optional(),
    app: text(128).optional(),
    reason: text(MAX_REASON),
    expires_in_minutes: z.number().int().min(1).optional(),
    mode: z.enum(['block', 'monitor']).default('block'),
    requested_by: text(128).optional(),
  })
  .strict();

/** A validated block request: one target, normalised (canonical CIDR, lower-case session id and host). */
export interface CreateBlockInput {
  target: { type: TargetType; value: string };
  host?: string;
  app?: string;
  reason: string;
  expiresInMinutes: number;
  mode: BlockMode;
  requestedBy?: string;
}

/**
 * Validates a `POST /v1/blocks` body. Throws InputError (code `invalid_block`) naming each bad field.
 * @example parseCreateBlock({target:{client_ip:'203.0.113.9/24'}, reason:'scan'}, {defaultMinutes:60, maxMinutes:600})
 *   → {target:{type:'client_ip', value:'203.0.113.0/24'}, reason:'scan', expiresInMinutes:60, mode:'block'}
 */
export function parseCreateBlock(
  body: unknown,
  limits: { defaultMinutes: number; maxMinutes: number },
): CreateBlockInput {
  const parsed = createBlockSchema.safeParse(body ?? {});
  if (!parsed.success) throw inputErrorFromZod(parsed.error, 'invalid_block');
  const b = parsed.data;
  const minutes = b.expires_in_minutes ?? limits.defaultMinutes;
  if (minutes > limits.maxMinutes)
    throw invalid('expires_in_minutes', `must be at most ${limits.maxMinutes} (BLOCK_MAX_MINUTES)`);
  let target: CreateBlockInput['target'];
  if (b.target.client_ip !== undefined) {
    const r = parseRange(b.target.client_ip.trim());
    if (typeof r === 'string') throw invalid('target.client_ip', r);
    if (r.prefix < MIN_BLOCK_PREFIX[r.family])
      throw invalid(
        'target.client_ip',
        `a range wider than /${MIN_BLOCK_PREFIX[r.family]} is refused for IPv${r.family}`,
      );
    target = { type: 'client_ip', value: formatRange(r) };
  } else if (b.target.session_id !== undefined) target = { type: 'session_id', value: b.target.session_id };
  else target = { type: 'user', value: b.target.user! };
  return {
    target,
    host: b.host,
    app: b.app,
    reason: b.reason,
    expiresInMinutes: minutes,
    mode: b.mode,
    requestedBy: b.requested_by,
  };
}

/** The states `GET /v1/blocks?state=` accepts. */
export const BLOCK_STATES = ['active', 'expired', 'all'] as const;

const listSchema = z
  .object({
    state: z.enum(BLOCK_STATES).default('active'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** Validates `GET /v1/blocks` query parameters. Throws InputError naming the bad one. */
export function parseListBlocks(query: unknown): { state: (typeof BLOCK_STATES)[number]; limit: number } {
  const parsed = listSchema.safeParse(query ?? {});
  if (!parsed.success) throw inputErrorFromZod(parsed.error, 'invalid_query');
  return parsed.data;
}

const endSchema = z.object({ reason: text(MAX_REASON), requested_by: text(128).optional() }).strict();

/** Validates why a block is ended early (`DELETE /v1/blocks/{id}`: JSON body or `?reason=`). */
export function parseEndBlock(input: unknown): { reason: string; requestedBy?: string } {
  const parsed = endSchema.safeParse(input ?? {});
  if (!parsed.success) throw inputErrorFromZod(parsed.error, 'invalid_block');
  return { reason: parsed.data.reason, requestedBy: parsed.data.requested_by };
}

/** Block ids are ours (`blk_…`, `alert_…`): letters, digits, `_` and `-`, at most 64 characters. */
export function checkBlockId(id: string): void {
  if (id.length === 0 || id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(id)) throw invalid('id', 'is not a block id');
}

function invalid(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, [{ field, message }], 'invalid_block');
}
