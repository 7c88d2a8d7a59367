import type { RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** Error codes of the query budgets (QUERY_MAX_CELLS, QUERY_TIMEOUT_MS) that count as refusals besides any 429. */
const REFUSAL_CODES = new Set(['query_too_broad', 'query_timeout']);

/**
 * Middleware for `POST /v1/query`, mounted after authentication and body parsing: counts the query in flight and,
 * when its answer ends (or the client goes away: status `aborted`), its duration by query type and status, and a
 * budget refusal (any 429, `query_too_broad`, `query_timeout`) by its error code, which the error middleware leaves
 * in `res.locals.errorCode`. Unknown query types are labelled `unknown`, so labels stay a closed set.
 */
export function timeQueries(metrics: Metrics, isQueryType: (name: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    metrics.queriesInFlight.inc();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      metrics.queriesInFlight.dec();
      const raw = (req.body as { queryType?: unknown } | undefined)?.queryType;
      const type = typeof raw === 'string' && isQueryType(raw) ? raw : 'unknown';
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.queryDuration.observe({ query_type: type, status }, (performance.now() - started) / 1000);
      const code = res.locals.errorCode as string | undefined;
      if (res.statusCode === 429 || (code !== undefined && REFUSAL_CODES.has(code)))
        metrics.queryRefusals.inc({ query_type: type, reason: code ?? String(res.statusCode) });
    };
    res.on('finish', end);
    res.on('close', end);
    next();
  };
}
