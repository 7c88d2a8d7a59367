/**
 * The block record: what is stored in `<prefix>-blocks` (one document per block, `_id` = `id`) and answered by the
 * API. A block is never deleted: ending it early sets `ended_*`, so the document is also the block's history.
 */

/** What a block matches: the session key, a client IP or CIDR range, or a user. */
export type TargetType = 'session_id' | 'client_ip' | 'user';

/** The target types, in the order the API and the webhook read them. */
export const TARGET_TYPES: readonly TargetType[] = ['session_id', 'client_ip', 'user'];

/** `block` answers 403; `monitor` allows and counts what it would have blocked. */
export type BlockMode = 'block' | 'monitor';

/** Where a block came from: the blocks API (by hand, Grafana's "Block this session") or an alert webhook. */
export type BlockSource = 'api' | 'alert';

/** Computed state: `active` (in force), `expired` (past `expires_at`) or `ended` (ended early). */
export type BlockState = 'active' | 'expired' | 'ended';

/** A stored block. Times are epoch milliseconds. */
export interface Block {
  id: string;
  target: { type: TargetType; value: string };
  /** Only requests to this host (lower case) are matched. */
  host?: string;
  /** Only requests of this application are matched. */
  app?: string;
  mode: BlockMode;
  reason: string;
  source: BlockSource;
  created_at: number;
  /** Label of the admin token that created the block (never the token). */
  created_by: string;
  /** Who asked, as told by the caller (e.g. the Grafana user behind the plugin's admin token). */
  requested_by?: string;
  expires_at: number;
  ended_at?: number;
  ended_by?: string;
  ended_requested_by?: string;
  end_reason?: string;
  /** The Grafana alert a webhook block came from. */
  alert?: { fingerprint: string; rule?: string; starts_at?: number };
  /** Decisions this block answered: 403s (`block`) or would-be 403s (`monitor`), summed over every instance. */
  hits: { blocked: number; monitored: number };
  last_hit_at?: number;
  /** Last change of the block itself (create or end; not hits): the incremental sync reads changes since then. */
  updated_at: number;
}

/** The state of a block at `now`. */
export function blockState(b: Pick<Block, 'ended_at' | 'expires_at'>, now: number): BlockState {
  if (b.ended_at !== undefined) return 'ended';
  return b.expires_at > now ? 'active' : 'expired';
}

/** A block as the API answers it: times as RFC 3339 strings, plus `state`. */
export function toApiBlock(b: Block, now: number): Record<string, unknown> {
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return {
    id: b.id,
    state: blockState(b, now),
    target: b.target,
    host: b.host,
    app: b.app,
    mode: b.mode,
    reason: b.reason,
    source: b.source,
    created_at: iso(b.created_at),
    created_by: b.created_by,
    requested_by: b.requested_by,
    expires_at: iso(b.expires_at),
    ended_at: iso(b.ended_at),
    ended_by: b.ended_by,
    ended_requested_by: b.ended_requested_by,
    end_reason: b.end_reason,
    alert: b.alert ? { ...b.alert, starts_at: iso(b.alert.starts_at) } : undefined,
    hits: b.hits,
    last_hit_at: iso(b.last_hit_at),
  };
}
