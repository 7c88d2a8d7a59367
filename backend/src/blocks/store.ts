/**
 * Blocks in OpenSearch: one index `<prefix>-blocks` (not matched by the request pattern `<prefix>-requests-*`, so
 * request retention never deletes it), one document per block with `_id` = block id. Every write refreshes the
 * small index, so a list right after a change shows it and other instances load it at their next sync.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { Block } from './model';

/** Name of the blocks index of a prefix. */
export function blocksIndex(prefix: string): string {
  return `${prefix}-blocks`;
}

const keyword = { type: 'keyword', ignore_above: 1024 };
const date = { type: 'date', format: 'epoch_millis' };

/** Explicit mappings (`dynamic: strict`: a field not listed here is refused, never guessed). */
export const BLOCK_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    id: keyword,
    target: { properties: { type: keyword, value: keyword } },
    host: keyword,
    app: keyword,
    mode: keyword,
    reason: { type: 'keyword', ignore_above: 2048 },
    source: keyword,
    created_at: date,
    created_by: keyword,
    requested_by: keyword,
    expires_at: date,
    ended_at: date,
    ended_by: keyword,
    ended_requested_by: keyword,
    end_reason: { type: 'keyword', ignore_above: 2048 },
    alert: { properties: { fingerprint: keyword, rule: keyword, starts_at: date } },
    hits: { properties: { blocked: { type: 'long' }, monitored: { type: 'long' } } },
    last_hit_at: date,
    updated_at: date,
  },
} as const;

/** Creates the blocks index when it is missing (idempotent; safe when several instances race). */
export async function ensureBlocksIndex(client: Client, prefix: string, replicas: number): Promise<void> {
  const index = blocksIndex(prefix);
  const exists = await client.indices.exists({ index });
  if (exists.body === true) return;
  const res = await client.indices.create(
    {
      index,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
        mappings: BLOCK_MAPPINGS,
      } as never,
    },
    { ignore: [400] },
  );
  const err = (res.body as { error?: { type?: string; reason?: string } }).error;
  if (err && err.type !== 'resource_already_exists_exception')
    throw new Error(`cannot create ${index}: ${err.reason ?? err.type}`);
}

/** Stores a new block. Returns false when a block with this id exists already (idempotent webhook deliveries). */
export async function insertBlock(client: Client, prefix: string, b: Block): Promise<boolean> {
  const res = await client.index(
    { index: blocksIndex(prefix), id: b.id, op_type: 'create', refresh: true, body: b as never },
    { ignore: [409] },
  );
  return res.statusCode !== 409;
}

/** Reads one block, or undefined when there is none with this id. */
export async function getBlock(client: Client, prefix: string, id: string): Promise<Block | undefined> {
  const res = await client.get({ index: blocksIndex(prefix), id }, { ignore: [404] });
  const body = res.body as { found?: boolean; _source?: Block };
  return body.found ? body._source : undefined;
}

/** Who ends a block, and why. */
export interface EndRequest {
  at: number;
  by: string;
  requestedBy?: string;
  reason: string;
}

// Ends a block atomically: only when it is still in force, so two callers cannot both end it.
const END_SCRIPT = `
if (ctx._source.ended_at != null || ctx._source.expires_at <= params.at) { ctx.op = 'noop'; }
else {
  ctx._source.ended_at = params.at; ctx._source.ended_by = params.by; ctx._source.end_reason = params.reason;
  if (params.requested_by != null) { ctx._source.ended_requested_by = params.requested_by; }
  ctx._source.updated_at = params.at;
}`;

/**
 * Ends a block early. Returns the block as stored afterwards and whether this call ended it
 * (`ended: false` = it was ended or had expired already); undefined when there is no such block.
 */
export async function endBlock(
  client: Client,
  prefix: string,
  id: string,
  end: EndRequest,
): Promise<{ block: Block; ended: boolean } | undefined> {
  const res = await client.update(
    {
      index: blocksIndex(prefix),
      id,
      refresh: true,
      _source: true,
      retry_on_conflict: 5,
      body: {
        script: {
          lang: 'painless',
          source: END_SCRIPT,
          params: { at: end.at, by: end.by, reason: end.reason, requested_by: end.requestedBy ?? null },
        },
      },
    } as never,
    { ignore: [404] },
  );
  const body = res.body as { result?: string; get?: { _source?: Block } };
  if (res.statusCode === 404 || !body.get?._source) return undefined;
  return { block: body.get._source, ended: body.result === 'updated' };
}

/** The query of blocks in a state at `now` (`expired` = no longer in force: expired or ended early). */
export function stateQuery(state: 'active' | 'expired' | 'all', now: number): object {
  if (state === 'all') return { match_all: {} };
  const active = {
    bool: { filter: [{ range: { expires_at: { gt: now } } }], must_not: [{ exists: { field: 'ended_at' } }] },
  };
  return state === 'active' ? active : { bool: { must_not: [active] } };
}

/** Blocks in a state, newest first, at most `limit` (≤ 10,000). A missing index lists nothing. */
export async function listBlocks(
  client: Client,
  prefix: string,
  state: 'active' | 'expired' | 'all',
  limit: number,
  now: number,
): Promise<{ blocks: Block[]; total: number }> {
  const res = await client.search(
    {
      index: blocksIndex(prefix),
      body: {
        size: limit,
        track_total_hits: true,
        query: stateQuery(state, now),
        sort: [{ created_at: 'desc' }, { id: 'asc' }],
      },
    } as never,
    { ignore: [404] },
  );
  if (res.statusCode === 404) return { blocks: [], total: 0 };
  const hits = (res.body as unknown as { hits: { total: { value: number }; hits: { _source: Block }[] } }).hits;
  return { blocks: hits.hits.map((h) => h._source), total: hits.total.value };
}

/** One page of a sync read: blocks and the sort key to continue after. */
export interface Page {
  blocks: Block[];
  after?: unknown[];
}

/** A page of the blocks in force at `now`, in id order (the full load). */
export async function fetchActivePage(
  client: Client,
  prefix: string,
  now: number,
  size: number,
  after?: unknown[],
): Promise<Page> {
  return fetchPage(client, prefix, stateQuery('active', now), [{ id: 'asc' }], size, after);
}

/** A page of the blocks changed (created or ended) at or after `since`, oldest change first (the incremental sync). */
export async function fetchChangedPage(
  client: Client,
  prefix: string,
  since: number,
  size: number,
  after?: unknown[],
): Promise<Page> {
  const query = { range: { updated_at: { gte: since } } };
  return fetchPage(client, prefix, query, [{ updated_at: 'asc' }, { id: 'asc' }], size, after);
}

async function fetchPage(
  client: Client,
  prefix: string,
  query: object,
  sort: object[],
  size: number,
  after?: unknown[],
): Promise<Page> {
  const res = await client.search(
    {
      index: blocksIndex(prefix),
      body: { size, query, sort, track_total_hits: false, ...(after ? { search_after: after } : {}) },
    } as never,
    { ignore: [404] },
  );
  if (res.statusCode === 404) return { blocks: [] };
  const hits = (res.body as unknown as { hits: { hits: { _source: Block; sort: unknown[] }[] } }).hits.hits;
  return { blocks: hits.map((h) => h._source), after: hits.length === size ? hits[hits.length - 1].sort : undefined };
}

/** Decisions counted for one block since the last flush. */
export interface HitDelta {
  blocked: number;
  monitored: number;
  last: number;
}

const HITS_SCRIPT = `
ctx._source.hits.blocked += params.b; ctx._source.hits.monitored += params.m;
if (ctx._source.last_hit_at == null || ctx._source.last_hit_at < params.t) { ctx._source.last_hit_at = params.t; }`;

/**
 * Adds hit counts to their blocks (one bulk request of scripted updates; `updated_at` is left alone so hits do not
 * make the incremental sync reload the block). Returns the ids whose update failed for a reason worth retrying.
 */
export async function addHits(client: Client, prefix: string, deltas: Map<string, HitDelta>): Promise<string[]> {
  if (deltas.size === 0) return [];
  const index = blocksIndex(prefix);
  const body: object[] = [];
  for (const [id, d] of deltas) {
    body.push({ update: { _index: index, _id: id, retry_on_conflict: 5 } });
    body.push({
      script: { lang: 'painless', source: HITS_SCRIPT, params: { b: d.blocked, m: d.monitored, t: d.last } },
    });
  }
  const res = await client.bulk({ body: body as never, filter_path: 'errors,items.*.status,items.*._id' } as never);
  const out = res.body as { errors?: boolean; items?: Record<string, { status: number; _id: string }>[] };
  if (!out.errors) return [];
  // 404: the block is gone (index deleted by hand); nothing to retry.
  return (out.items ?? [])
    .map((i) => Object.values(i)[0])
    .filter((i) => i.status >= 400 && i.status !== 404)
    .map((i) => i._id);
}
