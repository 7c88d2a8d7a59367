/**
 * Block operations behind the HTTP routes: create, end, list, and blocks from a Grafana alert webhook. Writes go to
 * OpenSearch first; the instance's own set is updated at once, other instances pick the change up at their next sync.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import { AppError, NotFoundError, StorageUnavailableError } from '../http/errors';
import type { Logger } from '../logger';
import { blockState, type Block, type BlockSource } from './model';
import type { CreateBlockInput } from './schema';
import { endBlock, ensureBlocksIndex, getBlock, insertBlock, listBlocks } from './store';
import type { BlockSync } from './sync';
import { planWebhookBlocks } from './webhook';

/** Who acts: the label of the admin token (never the token) and, optionally, who asked the caller. */
export interface Actor {
  label: string;
  requestedBy?: string;
}

/** The answer to a webhook delivery. */
export interface WebhookResult {
  created: Block[];
  existing: Block[];
  skipped: { fingerprint: string; alertname?: string; reason: string }[];
}

/** The block service of one instance. */
export class BlockService {
  private indexReady: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly config: Pick<Config, 'indexPrefix' | 'indexReplicas' | 'blocks'>,
    readonly sync: BlockSync,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a block. Throws 409 `too_many_blocks` past BLOCKS_MAX_ACTIVE, 503 when storage is unreachable. */
  async create(input: CreateBlockInput, actor: Actor, source: BlockSource, id = newBlockId()): Promise<Block> {
    const block = this.build(input, actor, source, id);
    const created = await this.insert(block);
    if (!created) throw new AppError(409, 'block_exists', `a block with id ${id} exists already`);
    return block;
  }

  /** Ends a block early. Throws 404 when unknown, 409 `block_not_active` when it has ended or expired already. */
  async end(id: string, reason: string, actor: Actor): Promise<Block> {
    const at = this.now();
    const out = await storage(() =>
      endBlock(this.client, this.config.indexPrefix, id, {
        at,
        by: actor.label,
        requestedBy: actor.requestedBy,
        reason,
      }),
    );
    if (!out) throw new NotFoundError(`no block ${id}`);
    if (!out.ended) {
      const state = blockState(out.block, at);
      throw new AppError(409, 'block_not_active', `block ${id} is ${state} already`);
    }
    this.sync.active.remove(id);
    this.logger.info({ block: id, ended_by: actor.label }, 'block ended');
    return out.block;
  }

  /** Blocks in a state, newest first. */
  list(state: 'active' | 'expired' | 'all', limit: number): Promise<{ blocks: Block[]; total: number }> {
    return storage(() => listBlocks(this.client, this.config.indexPrefix, state, limit, this.now()));
  }

  /** One block; throws 404 when unknown. */
  async get(id: string): Promise<Block> {
    const b = await storage(() => getBlock(this.client, this.config.indexPrefix, id));
    if (!b) throw new NotFoundError(`no block ${id}`);
    return b;
  }

  /**
   * Creates the blocks a Grafana webhook payload asks for. A block already stored for the same alert episode and
   * target (a re-delivery) is answered under `existing`, unchanged.
   */
  async fromWebhook(body: unknown, actor: Actor): Promise<WebhookResult> {
    const plan = planWebhookBlocks(body, this.config.blocks);
    const result: WebhookResult = { created: [], existing: [], skipped: plan.skipped };
    for (const p of plan.blocks) {
      const block = { ...this.build(p.input, actor, 'alert', p.id), alert: p.alert };
      if (await this.insert(block)) result.created.push(block);
      else result.existing.push(await this.get(p.id));
    }
    if (result.created.length + result.skipped.length > 0)
      this.logger.info(
        {
          created: result.created.length,
          existing: result.existing.length,
          skipped: result.skipped.length,
          by: actor.label,
        },
        'blocks from alert webhook',
      );
    return result;
  }

  private build(input: CreateBlockInput, actor: Actor, source: BlockSource, id: string): Block {
    const now = this.now();
    return {
      id,
      target: input.target,
      ...(input.host !== undefined ? { host: input.host } : {}),
      ...(input.app !== undefined ? { app: input.app } : {}),
      mode: input.mode,
      reason: input.reason,
      source,
      created_at: now,
      created_by: actor.label,
      ...((input.requestedBy ?? actor.requestedBy) ? { requested_by: input.requestedBy ?? actor.requestedBy } : {}),
      expires_at: now + input.expiresInMinutes * 60_000,
      hits: { blocked: 0, monitored: 0 },
      updated_at: now,
    };
  }

  /** Stores a block (creating the index first when needed) and applies it locally. False = the id exists. */
  private async insert(block: Block): Promise<boolean> {
    if (this.sync.active.size >= this.config.blocks.maxActive)
      throw new AppError(
        409,
        'too_many_blocks',
        `${this.config.blocks.maxActive} blocks are active (BLOCKS_MAX_ACTIVE): end some or wait for them to expire`,
      );
    const created = await storage(async () => {
      this.indexReady ??= ensureBlocksIndex(this.client, this.config.indexPrefix, this.config.indexReplicas).catch(
        (err: Error) => {
          this.indexReady = undefined;
          throw err;
        },
      );
      await this.indexReady;
      return insertBlock(this.client, this.config.indexPrefix, block);
    });
    if (created) {
      this.sync.applyLocal(block);
      this.logger.info(
        {
          block: block.id,
          target: block.target.type,
          mode: block.mode,
          source: block.source,
          created_by: block.created_by,
        },
        'block created',
      );
    }
    return created;
  }
}

/** A new block id: `blk_` + 20 random base32 characters. */
export function newBlockId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `blk_${Array.from(randomBytes(20), (b) => alphabet[b & 31]).join('')}`;
}

/** Runs a storage call; a connection or server failure becomes 503 (`storage_unavailable`, retry later). */
async function storage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new StorageUnavailableError(`blocks storage is unavailable: ${(err as Error).message}; retry later`);
  }
}
