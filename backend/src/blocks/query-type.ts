/**
 * Query type `blocks` (`POST /v1/query`, query tokens): the blocks as a table frame for Grafana's "Blocks" panel.
 * `format: "blocks"` (default) gives one row per block with its state, target, scope, who created or ended it and
 * why, and its hit counts; `format: "history"` one row per event (created, ended, expired), newest first.
 * The dashboard time range does not filter: `state` does (blocks outlive request retention).
 */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../query/context';
import { buildFrame, intColumn, stringColumn, timeColumn, type DataFrame } from '../query/frames';
import { blockState, type Block } from './model';
import { BLOCK_STATES } from './schema';
import { listBlocks } from './store';

/** Parameters of the `blocks` query. */
export const blocksParams = z.object({
  queryType: z.literal('blocks'),
  ...baseShape,
  state: z.enum(BLOCK_STATES).default('active'),
  format: z.enum(['blocks', 'history']).default('blocks'),
  limit: z.number().int().min(1).max(1000).default(100),
});
/** Parsed `blocks` parameters. */
export type BlocksParams = z.infer<typeof blocksParams>;

/** Runs a `blocks` query: reads the blocks index (newest first) and shapes the frame. */
export async function runBlocks(p: BlocksParams, ctx: QueryContext): Promise<DataFrame[]> {
  const { blocks, total } = await listBlocks(ctx.client, ctx.config.indexPrefix, p.state, p.limit, ctx.now);
  return [
    p.format === 'history'
      ? toHistoryFrame(blocks, p.refId, ctx.now, p.limit)
      : toBlocksFrame(blocks, p.refId, ctx.now, total),
  ];
}

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** One row per block. Pure. */
export function toBlocksFrame(blocks: Block[], refId: string | undefined, now: number, total: number): DataFrame {
  const col = <T>(f: (b: Block) => T) => blocks.map(f);
  return buildFrame(
    'blocks',
    refId,
    [
      stringColumn(
        'id',
        col((b) => b.id),
      ),
      stringColumn(
        'state',
        col((b) => blockState(b, now)),
      ),
      stringColumn(
        'target_type',
        col((b) => b.target.type),
      ),
      stringColumn(
        'target',
        col((b) => b.target.value),
      ),
      stringColumn(
        'host',
        col((b) => opt(b.host)),
      ),
      stringColumn(
        'app',
        col((b) => opt(b.app)),
      ),
      stringColumn(
        'mode',
        col((b) => b.mode),
      ),
      stringColumn(
        'reason',
        col((b) => b.reason),
      ),
      timeColumn(
        'created_at',
        col((b) => b.created_at),
      ),
      stringColumn(
        'created_by',
        col((b) => (b.requested_by ? `${b.created_by} (${b.requested_by})` : b.created_by)),
      ),
      timeColumn(
        'expires_at',
        col((b) => b.expires_at),
      ),
      timeColumn(
        'ended_at',
        col((b) => opt(b.ended_at)),
      ),
      stringColumn(
        'ended_by',
        col((b) => (b.ended_by && b.ended_requested_by ? `${b.ended_by} (${b.ended_requested_by})` : opt(b.ended_by))),
      ),
      stringColumn(
        'end_reason',
        col((b) => opt(b.end_reason)),
      ),
      stringColumn(
        'source',
        col((b) => (b.alert?.rule ? `alert: ${b.alert.rule}` : b.source)),
      ),
      intColumn(
        'blocked_requests',
        col((b) => b.hits.blocked),
      ),
      intColumn(
        'monitored_requests',
        col((b) => b.hits.monitored),
      ),
      timeColumn(
        'last_hit_at',
        col((b) => opt(b.last_hit_at)),
      ),
    ],
    { preferredVisualisationType: 'table', custom: { total } },
  );
}

/** One row per event of the blocks (created, ended, expired), newest first, at most `limit`. Pure. */
export function toHistoryFrame(blocks: Block[], refId: string | undefined, now: number, limit: number): DataFrame {
  type Row = { time: number; event: string; b: Block; by: string | null; reason: string | null };
  const rows: Row[] = [];
  for (const b of blocks) {
    rows.push({
      time: b.created_at,
      event: 'created',
      b,
      by: withRequester(b.created_by, b.requested_by),
      reason: b.reason,
    });
    if (b.ended_at !== undefined)
      rows.push({
        time: b.ended_at,
        event: 'ended',
        b,
        by: withRequester(b.ended_by, b.ended_requested_by),
        reason: opt(b.end_reason),
      });
    else if (b.expires_at <= now) rows.push({ time: b.expires_at, event: 'expired', b, by: null, reason: null });
  }
  rows.sort((x, y) => y.time - x.time || x.b.id.localeCompare(y.b.id));
  const kept = rows.slice(0, limit);
  const col = <T>(f: (r: Row) => T) => kept.map(f);
  return buildFrame(
    'block_history',
    refId,
    [
      timeColumn(
        'time',
        col((r) => r.time),
      ),
      stringColumn(
        'event',
        col((r) => r.event),
      ),
      stringColumn(
        'block_id',
        col((r) => r.b.id),
      ),
      stringColumn(
        'target_type',
        col((r) => r.b.target.type),
      ),
      stringColumn(
        'target',
        col((r) => r.b.target.value),
      ),
      stringColumn(
        'mode',
        col((r) => r.b.mode),
      ),
      stringColumn(
        'by',
        col((r) => r.by),
      ),
      stringColumn(
        'reason',
        col((r) => r.reason),
      ),
    ],
    { preferredVisualisationType: 'table' },
  );
}

function withRequester(by: string | undefined, requestedBy: string | undefined): string | null {
  if (by === undefined) return null;
  return requestedBy ? `${by} (${requestedBy})` : by;
}
