/**
 * Sequences (issue 16, pure): the transitions between endpoints inside session parts.
 *
 * Steps arrive in session-part order: by session key, then time, then request id (equal timestamps are ordered by
 * id, so the order is total and the same on every run; a transition between two equal timestamps has a gap of 0).
 * A part boundary lies between two consecutive steps of one key exactly where the session list puts one
 * (session/grouping.ts `splitsBetween`): a gap ≥ the idle timeout, or a UTC day change when parts split by day. No
 * transition is counted across a boundary: the first request of a part has no predecessor.
 *
 * Memory is bounded whatever the input: at most `maxNodes` endpoints and `maxEdges` transitions are kept (steps on
 * endpoints past the cap, and transitions past it, are not counted and `truncated` says so), and median gaps keep at
 * most `maxGapsPerEdge` samples per edge (exact below that; past it, the median of the first samples and
 * `truncated`).
 */
import { splitsBetween, type SessionizeOptions } from '../session/grouping';

/** One request, as the sequence scan reads it. */
export interface Step {
  key: string;
  ts: number;
  endpoint: string;
  status: number;
}

/** An endpoint of the graph. */
export interface NodeStat {
  endpoint: string;
  requests: number;
  /** Requests by status class: 2xx, 3xx, 4xx, 5xx, other (0 or 1xx: no answer, informational). */
  status: { s2xx: number; s3xx: number; s4xx: number; s5xx: number; other: number };
  /** Session parts that requested it. */
  sessions: number;
}

/** A transition `from → to` between consecutive requests of one session part. */
export interface EdgeStat {
  from: string;
  to: string;
  transitions: number;
  /** Session parts with this transition at least once. */
  sessions: number;
  /** Share of `to`'s requests whose previous request in the part was `from` (0–1). */
  precedence: number;
  /** Median time between the two requests, ms (null when no sample was kept). */
  medianGapMs: number | null;
}

/** Bounds of one tally. */
export interface TallyLimits {
  maxNodes: number;
  maxEdges: number;
  maxGapsPerEdge: number;
}

/** Default bounds: enough for every endpoint of a large API, small enough to stay a few MB. */
export const DEFAULT_TALLY_LIMITS: TallyLimits = { maxNodes: 2000, maxEdges: 20_000, maxGapsPerEdge: 10_000 };

interface NodeAcc extends NodeStat {
  /** Last part (ordinal) counted in `sessions`. */
  lastPart: number;
}

interface EdgeAcc {
  from: string;
  to: string;
  transitions: number;
  sessions: number;
  lastPart: number;
  gaps: number[];
}

const EDGE_SEP = '\u0000';

/** The status class counter a status adds to. */
function statusClass(status: number): keyof NodeStat['status'] {
  if (status >= 200 && status < 300) return 's2xx';
  if (status >= 300 && status < 400) return 's3xx';
  if (status >= 400 && status < 500) return 's4xx';
  if (status >= 500 && status < 600) return 's5xx';
  return 'other';
}

/** The median of a list of numbers (sorted in place); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/**
 * Counts nodes and transitions over a stream of steps in part order (see the module comment).
 * @example
 *   const t = new TransitionTally({ idleMs: 1_800_000, splitByDay: true });
 *   for (const s of [{key:'a',ts:0,endpoint:'/cart',status:200}, {key:'a',ts:5000,endpoint:'/checkout',status:200}]) t.add(s);
 *   t.result().edges → [{from:'/cart', to:'/checkout', transitions:1, sessions:1, precedence:1, medianGapMs:5000}]
 */
export class TransitionTally {
  private readonly nodes = new Map<string, NodeAcc>();
  private readonly edges = new Map<string, EdgeAcc>();
  private prev: Step | undefined;
  private part = 0;
  private truncated = false;
  private readonly limits: TallyLimits;

  constructor(
    private readonly o: SessionizeOptions,
    limits: Partial<TallyLimits> = {},
  ) {
    this.limits = { ...DEFAULT_TALLY_LIMITS, ...limits };
  }

  /** Adds the next step of the stream. Steps out of part order throw (a wrong sort would count wrong edges). */
  add(step: Step): void {
    const prev = this.prev;
    if (prev && prev.key === step.key && step.ts < prev.ts)
      throw new RangeError(`steps of ${step.key} out of time order (${step.ts} after ${prev.ts})`);
    const samePart = prev !== undefined && prev.key === step.key && !splitsBetween(prev.ts, step.ts, this.o);
    if (!samePart) this.part++;
    const node = this.node(step.endpoint);
    if (node) {
      node.requests++;
      node.status[statusClass(step.status)]++;
      if (node.lastPart !== this.part) {
        node.lastPart = this.part;
        node.sessions++;
      }
    }
    if (samePart && node && this.nodes.has(prev.endpoint)) this.edge(prev, step);
    this.prev = step;
  }

  private node(endpoint: string): NodeAcc | undefined {
    let n = this.nodes.get(endpoint);
    if (n) return n;
    if (this.nodes.size >= this.limits.maxNodes) {
      this.truncated = true;
      return undefined;
    }
    n = { endpoint, requests: 0, status: { s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 }, sessions: 0, lastPart: 0 };
    this.nodes.set(endpoint, n);
    return n;
  }

  private edge(prev: Step, step: Step): void {
    const id = prev.endpoint + EDGE_SEP + step.endpoint;
    let e = this.edges.get(id);
    if (!e) {
      if (this.edges.size >= this.limits.maxEdges) {
        this.truncated = true;
        return;
      }
      e = { from: prev.endpoint, to: step.endpoint, transitions: 0, sessions: 0, lastPart: 0, gaps: [] };
      this.edges.set(id, e);
    }
    e.transitions++;
    if (e.lastPart !== this.part) {
      e.lastPart = this.part;
      e.sessions++;
    }
    if (e.gaps.length < this.limits.maxGapsPerEdge) e.gaps.push(step.ts - prev.ts);
    else this.truncated = true;
  }

  /**
   * Nodes (by requests, then endpoint) and the top `limit` edges (by transitions, then sessions, then from/to), with
   * precedence; `truncated` when a bound cut the input.
   */
  result(limit = Number.POSITIVE_INFINITY): {
    nodes: NodeStat[];
    edges: EdgeStat[];
    truncated: boolean;
    parts: number;
  } {
    const edges = [...this.edges.values()]
      .sort(
        (a, b) =>
          b.transitions - a.transitions ||
          b.sessions - a.sessions ||
          (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
      )
      .slice(0, limit)
      .map((e) => ({
        from: e.from,
        to: e.to,
        transitions: e.transitions,
        sessions: e.sessions,
        precedence: e.transitions / (this.nodes.get(e.to)?.requests ?? e.transitions),
        medianGapMs: median(e.gaps),
      }));
    const nodes = [...this.nodes.values()]
      .sort((a, b) => b.requests - a.requests || (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
      .map(({ lastPart: _lastPart, ...n }) => n);
    return { nodes, edges, truncated: this.truncated, parts: this.part };
  }
}
