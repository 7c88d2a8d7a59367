/**
 * `sequences` (issue 16): the paths sessions take. One session part (`session_id` + `start` + `end`): its exact path
 * through the endpoints. Otherwise, across the session parts of the requests matching the filters: the top
 * transitions with `transitions`, `sessions` and `precedence`. Formats: `graph` (Node Graph frames) and `table`.
 *
 * The requests are read in part order — sorted by session key, time and request id, walked with `search_after` in
 * pages of SEQUENCE_PAGE — and tallied as they arrive (sequences/transitions.ts), so the service holds one page and
 * the bounded tallies, never the range. Every request read counts one cell of the query budget (QUERY_MAX_CELLS);
 * when the budget is spent the walk stops and the answer is flagged `meta.custom.truncated` with a notice.
 */
import { z } from 'zod';
import { InputError } from '../../http/errors';
import { toGraphFrames, toTableFrame } from '../../sequences/frames';
import { TransitionTally } from '../../sequences/transitions';
import { baseShape, type QueryContext } from '../context';
import { buildFilterClauses, filterShape, rangeClause, toBool } from '../filters';
import type { DataFrame } from '../frames';
import { runSearch, type SearchHit } from '../search';
import { timeParam, toEpochMs } from '../time';
import { partShape } from './sessions/sessions';

/** Requests per search_after page (one page in memory at a time). */
export const SEQUENCE_PAGE = 5000;

/** Parameters of the `sequences` query. */
export const sequencesParams = z.object({
  queryType: z.literal('sequences'),
  ...baseShape,
  ...filterShape,
  ...partShape,
  start: timeParam.optional().describe('with session_id and end: one session part (its first request time)'),
  end: timeParam.optional().describe('with session_id and start: one session part (its last request time)'),
  limit: z.number().int().min(1).max(500).default(50).describe('the most transitions shown (the top by count)'),
  format: z.enum(['graph', 'table']).default('graph'),
});
/** Parsed `sequences` parameters. */
export type SequencesParams = z.infer<typeof sequencesParams>;

/** True when the query names one session part: `session_id`, `start` and `end`. */
export function isOnePart(p: Pick<SequencesParams, 'session_id' | 'start' | 'end'>): boolean {
  return p.session_id !== undefined && p.start !== undefined && p.end !== undefined;
}

/**
 * The search of one page: the matching requests of the range (of the part), in part order, only the fields the
 * tally reads.
 * @example buildSequencesBody({session_id:'k', start:0, end:9}, {from:0,to:99}) → filter [range ts 0..9, term session.key k],
 *   sort [session.key, ts, id], _source [endpoint, status]
 */
export function buildSequencesBody(
  p: Omit<Partial<SequencesParams>, 'queryType'>,
  range: { from: number; to: number },
  size: number,
  after?: unknown[],
): Record<string, unknown> {
  let { from, to } = range;
  if (isOnePart(p)) {
    from = Math.max(from, toEpochMs(p.start!));
    to = Math.min(to, toEpochMs(p.end!));
  }
  return {
    query: { bool: { filter: [rangeClause(from, to), ...buildFilterClauses(p)] } },
    sort: [{ 'session.key': 'asc' }, { ts: 'asc' }, { id: 'asc' }],
    size,
    track_total_hits: false,
    _source: ['endpoint', 'status'],
    ...(after ? { search_after: after } : {}),
  };
}

/** Runs the walk and answers the frames. */
export async function runSequences(p: SequencesParams, ctx: QueryContext): Promise<DataFrame[]> {
  const onePart = isOnePart(p);
  if (!onePart && (p.start !== undefined || p.end !== undefined)) {
    const message = 'start and end name one session part: give both, with session_id';
    const field = p.start === undefined ? 'start' : p.session_id === undefined ? 'session_id' : 'end';
    throw new InputError(`${field}: ${message}`, [{ field, message }]);
  }
  // One part is given whole: no split inside it. Across parts, the session list's rules.
  const tally = new TransitionTally(
    onePart
      ? { idleMs: 0, splitByDay: false }
      : { idleMs: p.idle_timeout_minutes * 60_000, splitByDay: toBool(p.split_by_day) ?? true },
  );
  let truncated = false;
  let after: unknown[] | undefined;
  if (!ctx.range.empty)
    for (;;) {
      const size = Math.min(SEQUENCE_PAGE, ctx.budget.cellsLeft);
      if (size === 0) {
        truncated = true;
        break;
      }
      const res = await runSearch(ctx.client, ctx.index, buildSequencesBody(p, ctx.range, size, after), {
        budget: ctx.budget,
      });
      const hits: SearchHit[] = res.hits.hits;
      ctx.budget.spend(hits.length);
      for (const h of hits) {
        const [key, ts] = h.sort as [string, number];
        const src = h._source as { endpoint?: string; status?: number };
        tally.add({ key, ts, endpoint: src.endpoint ?? '(none)', status: src.status ?? 0 });
      }
      if (hits.length < size) break;
      after = hits[hits.length - 1].sort;
    }
  const r = tally.result(p.limit);
  const result = { nodes: r.nodes, edges: r.edges, truncated: truncated || r.truncated };
  return p.format === 'table' ? [toTableFrame(result, p.refId)] : toGraphFrames(result, p.refId, onePart);
}
