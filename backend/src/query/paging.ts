import { QueryTooBroadError } from '../http/errors';
import type { Clause } from './filters';
import { runSearch, totalHits, type SearchHit, type SearchResponse } from './search';
import type { QueryContext } from './context';

/** OpenSearch's default `index.max_result_window`: from + size beyond it needs `search_after`. */
export const MAX_RESULT_WINDOW = 10_000;

/** A sorted hit query: filter clauses + sort (must end with a unique tiebreaker such as `id`). */
export interface HitQuery {
  filter: Clause[];
  sort: Record<string, 'asc' | 'desc'>[];
  /** Extra body parts for the page request (e.g. aggregations). */
  extra?: Record<string, unknown>;
}

/**
 * Body of one page. Within the result window it uses from/size; beyond it, `search_after` from the sort
 * values of the hit just before the page.
 * @example buildPageBody({filter:[…], sort:[{ts:'asc'},{id:'asc'}]}, 0, 100) → { from:0, size:100, sort, track_total_hits:true, … }
 */
export function buildPageBody(q: HitQuery, from: number, size: number, searchAfter?: unknown[]) {
  return {
    query: { bool: { filter: q.filter } },
    sort: q.sort,
    size,
    track_total_hits: true,
    ...(searchAfter ? { search_after: searchAfter } : { from }),
    ...(q.extra ?? {}),
  };
}

/**
 * Fetches hits [offset, offset + size) of a sorted query. Deep pages walk forward with `search_after`
 * in chunks of 10,000 hits carrying only sort values (no `_source`), then fetch the page itself: memory is one
 * chunk whatever the offset. Every hit walked past counts against the query's cell budget; a page deeper than the
 * budget allows is refused (`query_too_broad` naming `page`).
 */
export async function fetchPage(
  ctx: QueryContext,
  q: HitQuery,
  offset: number,
  size: number,
): Promise<{ hits: SearchHit[]; total: number; res: SearchResponse }> {
  const search = (body: Record<string, unknown>) => runSearch(ctx.client, ctx.index, body, { budget: ctx.budget });
  if (offset + size <= MAX_RESULT_WINDOW) {
    const res = await search(buildPageBody(q, offset, size));
    return { hits: res.hits.hits, total: totalHits(res), res };
  }
  if (offset > ctx.budget.cellsLeft) throw pageTooDeep(ctx);
  let after: unknown[] | undefined;
  for (let skipped = 0; skipped < offset;) {
    const chunk = Math.min(MAX_RESULT_WINDOW, offset - skipped);
    const body = {
      ...buildPageBody({ filter: q.filter, sort: q.sort }, 0, chunk, after),
      _source: false,
      track_total_hits: false,
    };
    const res = await search(body);
    const hits = res.hits.hits;
    if (!ctx.budget.spend(hits.length)) throw pageTooDeep(ctx);
    if (hits.length < chunk) return { hits: [], total: skipped + hits.length, res };
    after = hits[hits.length - 1].sort;
    skipped += chunk;
  }
  const res = await search(buildPageBody(q, 0, size, after));
  return { hits: res.hits.hits, total: totalHits(res), res };
}

function pageTooDeep(ctx: QueryContext): QueryTooBroadError {
  const message = `pages start at most ${ctx.budget.limits.maxCells.toLocaleString('en-US')} hits deep (QUERY_MAX_CELLS)`;
  return new QueryTooBroadError(`page: ${message}; narrow the time range or add filters`, [
    { field: 'page', message },
    { field: 'from', message: 'narrow the time range' },
  ]);
}
