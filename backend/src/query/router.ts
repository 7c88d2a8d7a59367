/** HTTP wiring of the query API: `POST /v1/query`, `GET /v1/values/:field`. */
import express from 'express';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import { AppError, ClientClosedError, InputError } from '../http/errors';
import { QueryBudget } from './budget';
import type { QueryContext } from './context';
import { createQueryGate, type QueryGate } from './gate';
import { searchIndices } from './indices';
import { parseQuery } from './registry';
import { searchAggs } from './search';
import { clampRange, toEpochMs, type TimeInput } from './time';
import { buildValuesBody, parseValueField, parseValuesParams, toValues } from './values';

export { queryRequestSchema } from './registry';

/** Request header by which a caller (the Grafana plugin) asks for a shorter time limit than QUERY_TIMEOUT_MS. */
export const TIMEOUT_HEADER = 'x-timeout-ms';

/** What happened to one `POST /v1/query` (for metrics: latency per type, refusals, cells read). */
export interface QueryObservation {
  queryType: string;
  /** `ok`, or the error code answered (`query_too_broad`, `query_timeout`, `overloaded`, `client_closed_request`, …). */
  outcome: string;
  ms: number;
  /** Aggregation buckets (and hits walked past) the query read. */
  cells: number;
}

/** Dependencies of the query router. */
export interface QueryRouterDeps {
  config: Pick<Config, 'indexPrefix' | 'retentionDays' | 'query'>;
  client: Client;
  logger: { info(o: object, m?: string): void; error(o: object, m?: string): void };
  /** The concurrency gate (created from `config.query` when absent; pass one in to read its stats for metrics). */
  gate?: QueryGate;
  /** Clock (tests pin it). */
  now?: () => number;
  /** Called once per `POST /v1/query` when it ends (the hook for query metrics). */
  observe?: (o: QueryObservation) => void;
}

/** Builds the per-request context: the clamped range and the indices covering it. */
export function createContext(
  deps: Pick<QueryRouterDeps, 'config' | 'client' | 'now'>,
  times: { from?: TimeInput; to?: TimeInput },
  budget: QueryBudget,
): QueryContext {
  if (times.from !== undefined && times.to !== undefined && toEpochMs(times.from) > toEpochMs(times.to)) {
    throw new InputError('to: must not be before from', [{ field: 'to', message: 'must not be before from' }]);
  }
  const now = (deps.now ?? Date.now)();
  const range = clampRange(times, deps.config.retentionDays, now);
  return {
    client: deps.client,
    config: deps.config,
    range,
    index: searchIndices(deps.config.indexPrefix, range.from, range.to),
    now,
    budget,
  };
}

/**
 * The budget of one HTTP query: QUERY_MAX_CELLS, and QUERY_TIMEOUT_MS or the caller's shorter `X-Timeout-Ms`.
 * It is aborted when the client goes away before the answer, which cancels the query's OpenSearch searches.
 */
export function startBudget(config: Pick<Config, 'query'>, req: express.Request, res: express.Response): QueryBudget {
  const budget = new QueryBudget({
    maxCells: config.query.maxCells,
    timeoutMs: Math.min(config.query.timeoutMs, parseTimeoutHeader(req.get(TIMEOUT_HEADER))),
  });
  res.once('close', () => {
    if (!res.writableFinished) budget.abort(new ClientClosedError());
  });
  return budget;
}

/** Reads `X-Timeout-Ms` (absent = no limit of its own); a bad value is a 400 naming the header. */
export function parseTimeoutHeader(value: string | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) {
    const message = 'must be a positive whole number of milliseconds';
    throw new InputError(`X-Timeout-Ms: ${message}`, [{ field: 'X-Timeout-Ms', message }]);
  }
  return Number(value);
}

/**
 * The query router (mounted by the app behind query-token auth and `express.json()`; errors go to the app's
 * error middleware). Every query runs inside its budget; `POST /v1/query` also takes a slot of the gate.
 */
export function createQueryRouter(deps: QueryRouterDeps): express.Router {
  const router = express.Router();
  const gate = deps.gate ?? createQueryGate({ concurrency: deps.config.query.concurrency });

  router.post('/v1/query', async (req, res) => {
    const { handler, params } = parseQuery(req.body);
    const budget = startBudget(deps.config, req, res);
    const started = Date.now();
    let outcome = 'ok';
    try {
      const release = await gate.acquire(budget.signal);
      try {
        const ctx = createContext(deps, params as { from?: TimeInput; to?: TimeInput }, budget);
        const frames = await handler.run(params, ctx);
        res.json({ frames });
      } finally {
        release();
      }
    } catch (err) {
      outcome = err instanceof AppError ? err.code : 'internal';
      if (outcome === 'query_timeout')
        deps.logger.info(
          { queryType: params.queryType, ms: Date.now() - started, cells: budget.totalCells },
          'query timed out; its searches were cancelled',
        );
      throw err;
    } finally {
      // Ends whatever is still running (a scan left behind by an error elsewhere).
      budget.abort();
      deps.observe?.({
        queryType: String(params.queryType),
        outcome,
        ms: Date.now() - started,
        cells: budget.totalCells,
      });
    }
  });

  router.get('/v1/values/:field', async (req, res) => {
    const field = parseValueField(req.params.field);
    const q = parseValuesParams(req.query as Record<string, unknown>);
    const budget = startBudget(deps.config, req, res);
    try {
      // Template variables list values of the whole retention window unless the range is given.
      const ctx = createContext(deps, { from: q.from ?? 0, to: q.to }, budget);
      if (ctx.range.empty) return void res.json({ values: [] });
      const body = buildValuesBody(field, q.prefix, q.limit, ctx.range);
      const result = await searchAggs(ctx, body);
      res.json({ values: toValues(result.aggregations, field, q.prefix, q.limit) });
    } finally {
      budget.abort();
    }
  });

  return router;
}
