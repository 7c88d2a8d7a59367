/** HTTP wiring of the query API: `POST /v1/query`, `GET /v1/values/:field`. */
import express from 'express';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import { InputError } from '../http/errors';
import { indicesForRange } from '../storage/indices';
import type { QueryContext } from './context';
import { parseQuery } from './registry';
import { searchAggs } from './search';
import { clampRange, toEpochMs, type TimeInput } from './time';
import { buildValuesBody, parseValueField, parseValuesParams, toValues } from './values';

export { queryRequestSchema } from './registry';

/** Dependencies of the query router. */
export interface QueryRouterDeps {
  config: Config;
  client: Client;
  logger: { info(o: object, m?: string): void; error(o: object, m?: string): void };
  /** Clock (tests pin it). */
  now?: () => number;
}

/** Builds the per-request context: the clamped range and the daily indices covering it. */
export function createContext(deps: QueryRouterDeps, times: { from?: TimeInput; to?: TimeInput }): QueryContext {
  if (times.from !== undefined && times.to !== undefined && toEpochMs(times.from) > toEpochMs(times.to)) {
    throw new InputError('to: must not be before from', [{ field: 'to', message: 'must not be before from' }]);
  }
  const now = (deps.now ?? Date.now)();
  const range = clampRange(times, deps.config.retentionDays, now);
  return {
    client: deps.client,
    config: deps.config,
    range,
    index: indicesForRange(deps.config.indexPrefix, range.from, range.to),
    now,
  };
}

/**
 * The query router (mounted by the app behind query-token auth and `express.json()`; errors go to the app's
 * error middleware).
 */
export function createQueryRouter(deps: QueryRouterDeps): express.Router {
  const router = express.Router();

  router.post('/v1/query', async (req, res) => {
    const { handler, params } = parseQuery(req.body);
    const ctx = createContext(deps, params as { from?: TimeInput; to?: TimeInput });
    const frames = await handler.run(params, ctx);
    res.json({ frames });
  });

  router.get('/v1/values/:field', async (req, res) => {
    const field = parseValueField(req.params.field);
    const q = parseValuesParams(req.query as Record<string, unknown>);
    // Template variables list values of the whole retention window unless the range is given.
    const ctx = createContext(deps, { from: q.from ?? 0, to: q.to });
    if (ctx.range.empty) return void res.json({ values: [] });
    const body = buildValuesBody(field, q.prefix, q.limit, ctx.range);
    const result = await searchAggs(ctx, body);
    res.json({ values: toValues(result.aggregations, field, q.prefix, q.limit) });
  });

  return router;
}
