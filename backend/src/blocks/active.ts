/**
 * The active blocks of one service instance, indexed for the decision endpoint: a map per session key, a map per
 * user, and per address family a table of CIDR prefixes (one map per prefix length in use, most specific first).
 * A lookup costs a few map reads — at most one per distinct prefix length (≤ 33 for IPv4, ≤ 129 for IPv6,
 * in practice a handful) — whatever the number of blocks.
 */
import { parseRange, prefixKey, type IpAddress, type IpFamily } from './ip';
import type { Block } from './model';

/** What the decision knows about a request. */
export interface MatchInput {
  /** Session key (HMAC hex), computed with the ingest rules. */
  key: string;
  user?: string;
  ip?: IpAddress;
  /** Lower-case host, possibly with `:port`. */
  host?: string;
  app?: string;
}

/** The blocks that apply to a request: the first `block`-mode one, and every `monitor` one when none blocks. */
export interface MatchResult {
  block?: Block;
  monitors: Block[];
}

/** Blocks of one prefix length, by the prefix key of their range. */
interface PrefixTable {
  prefix: number;
  byKey: Map<number | string, Block[]>;
}

/** Every CIDR block of one family; `tables` sorted by prefix length, longest first. */
class RangeIndex {
  tables: PrefixTable[] = [];

  add(prefix: number, key: number | string, b: Block): void {
    let table = this.tables.find((t) => t.prefix === prefix);
    if (!table) {
      table = { prefix, byKey: new Map() };
      this.tables.push(table);
      this.tables.sort((x, y) => y.prefix - x.prefix);
    }
    pushTo(table.byKey, key, b);
  }

  remove(prefix: number, key: number | string, id: string): void {
    const table = this.tables.find((t) => t.prefix === prefix);
    if (!table) return;
    removeFrom(table.byKey, key, id);
    if (table.byKey.size === 0) this.tables = this.tables.filter((t) => t !== table);
  }
}

/** Where a block sits in the index, so it can be removed again. */
type Slot =
  | { kind: 'session'; key: string }
  | { kind: 'user'; key: string }
  | { kind: 'range'; family: IpFamily; prefix: number; key: number | string };

/** The in-memory index of active blocks. Not thread-safe; one per service instance. */
export class ActiveBlocks {
  private readonly slots = new Map<string, { block: Block; slot: Slot }>();
  private readonly bySession = new Map<string, Block[]>();
  private readonly byUser = new Map<string, Block[]>();
  private readonly ranges: Record<IpFamily, RangeIndex> = { 4: new RangeIndex(), 6: new RangeIndex() };

  /** Number of blocks held (including ones that expired since the last prune). */
  get size(): number {
    return this.slots.size;
  }

  /** The held block with this id, if any. */
  get(id: string): Block | undefined {
    return this.slots.get(id)?.block;
  }

  /** Adds or replaces a block. A block that is ended, or expired at `now`, is removed instead. */
  upsert(b: Block, now: number): void {
    this.remove(b.id);
    if (b.ended_at !== undefined || b.expires_at <= now) return;
    const slot = slotOf(b);
    if (!slot) return;
    if (slot.kind === 'session') pushTo(this.bySession, slot.key, b);
    else if (slot.kind === 'user') pushTo(this.byUser, slot.key, b);
    else this.ranges[slot.family].add(slot.prefix, slot.key, b);
    this.slots.set(b.id, { block: b, slot });
  }

  /** Removes a block (no-op when absent). */
  remove(id: string): void {
    const held = this.slots.get(id);
    if (!held) return;
    this.slots.delete(id);
    const s = held.slot;
    if (s.kind === 'session') removeFrom(this.bySession, s.key, id);
    else if (s.kind === 'user') removeFrom(this.byUser, s.key, id);
    else this.ranges[s.family].remove(s.prefix, s.key, id);
  }

  /** Drops blocks that expired before `now`; returns how many. */
  prune(now: number): number {
    let n = 0;
    for (const { block } of [...this.slots.values()]) {
      if (block.expires_at <= now) {
        this.remove(block.id);
        n++;
      }
    }
    return n;
  }

  /**
   * The blocks that apply to a request at `now` (in force, and in scope of its host and app).
   * @example a block on 203.0.113.0/24 scoped to host api.example.com matches {ip: 203.0.113.7, host: 'api.example.com'}
   */
  match(input: MatchInput, now: number): MatchResult {
    const result: MatchResult = { monitors: [] };
    if (this.slots.size === 0) return result;
    const consider = (list: Block[] | undefined) => {
      if (!list) return;
      for (const b of list) {
        if (result.block || b.expires_at <= now || !inScope(b, input)) continue;
        if (b.mode === 'block') result.block = b;
        else result.monitors.push(b);
      }
    };
    consider(this.bySession.get(input.key));
    if (input.user !== undefined) consider(this.byUser.get(input.user));
    if (input.ip) {
      for (const table of this.ranges[input.ip.family].tables) {
        consider(table.byKey.get(prefixKey(input.ip.bytes, table.prefix)));
        if (result.block) break;
      }
    }
    if (result.block) result.monitors = [];
    return result;
  }
}

function slotOf(b: Block): Slot | undefined {
  if (b.target.type === 'session_id') return { kind: 'session', key: b.target.value };
  if (b.target.type === 'user') return { kind: 'user', key: b.target.value };
  const r = parseRange(b.target.value);
  if (typeof r === 'string') return undefined;
  return { kind: 'range', family: r.family, prefix: r.prefix, key: prefixKey(r.bytes, r.prefix) };
}

function inScope(b: Block, input: MatchInput): boolean {
  if (b.app !== undefined && b.app !== input.app) return false;
  if (b.host === undefined) return true;
  if (input.host === undefined) return false;
  if (b.host === input.host) return true;
  // A block on `api.example.com` also matches `api.example.com:8443` (the Host header may carry the port).
  const colon = input.host.lastIndexOf(':');
  return colon > 0 && !input.host.endsWith(']') && input.host.slice(0, colon) === b.host;
}

function pushTo<K>(map: Map<K, Block[]>, key: K, b: Block): void {
  const list = map.get(key);
  if (list) list.push(b);
  else map.set(key, [b]);
}

function removeFrom<K>(map: Map<K, Block[]>, key: K, id: string): void {
  const list = map.get(key);
  if (!list) return;
  const rest = list.filter((x) => x.id !== id);
  if (rest.length === 0) map.delete(key);
  else map.set(key, rest);
}
