import express, { type Express } from 'express';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from './config';
import type { Logger } from './logger';
import { errorMiddleware, NotFoundError } from './http/errors';
import { requireToken, TokenSet } from './http/auth';
import { AuthFailureLimiter } from './http/auth-limiter';
import { createIngestRouter } from './ingest/route';
import { createPipeline } from './ingest/pipeline';
import { createSink } from './ingest/sink';
import { IngestCounters } from './ingest/counters';
import type { Spool } from './ingest/spool';
import type { SessionRules } from './session/rules';
import { checkReadiness, createTemplateGuard } from './storage/readiness';
import { createQueryRouter, queryRequestSchema, type QueryObservation } from './query/router';
import { createQueryGate, type QueryGate } from './query/gate';
import { buildOpenApi } from './openapi';
import { createSpecStore, type SpecStore } from './inventory/store';
import { createSpecsRouter } from './inventory/route';

/** Everything the HTTP app needs; built by main.ts (or a test). */
export interface AppDeps {
  config: Config;
  client: Client;
  logger: Logger;
  rules: SessionRules;
  counters?: IngestCounters;
  /** Local spool for records OpenSearch cannot take now (SPOOL_DIR); replayed every second. */
  spool?: Spool;
  /** OpenAPI specs + flow rules (SPECS_DIR, FLOWS_CONFIG); created from the config when absent. */
  specs?: SpecStore;
  /** The query concurrency gate (QUERY_CONCURRENCY); created from the config when absent. Its `stats()` feed metrics. */
  queryGate?: QueryGate;
  /** Called once per `POST /v1/query` with its type, outcome, duration and cells read (the hook for metrics). */
  onQuery?: (o: QueryObservation) => void;
}

export const SERVICE_VERSION = '0.1.0';

/** Replays the spool every second while it holds records; returns a stop function. */
function startSpoolReplay(
  spool: Spool,
  ensureStorage: () => Promise<void>,
  sink: ReturnType<typeof createSink>,
  logger: Logger,
): () => void {
  let failing = false;
  const timer = setInterval(() => {
    if (spool.pendingBytes === 0) return;
    ensureStorage()
      .then(() => spool.replay(sink))
      .then((n) => {
        if (n > 0) logger.info({ replayed: n }, 'replayed spooled records into OpenSearch');
        failing = false;
      })
      .catch((err: Error) => {
        if (!failing)
          logger.warn({ err: err.message, pendingBytes: spool.pendingBytes }, 'spool replay waiting for OpenSearch');
        failing = true;
      });
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Creates the Express app: routes, scopes, the not-found handler and the one error middleware. */
export function createApp(deps: AppDeps): Express {
  const { config, client, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const ingestTokens = new TokenSet(config.ingestTokens);
  const queryTokens = new TokenSet(config.queryTokens);
  const limiter = new AuthFailureLimiter();
  const onFailure = (ip: string) => limiter.fail(ip);
  const openapi = buildOpenApi(queryRequestSchema, SERVICE_VERSION);
  const specs = deps.specs ?? createSpecStore(config, logger);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(limiter.middleware());
  app.use('/v1/requests', requireToken({ ingest: ingestTokens }, onFailure));
  const sink = createSink(client, { indexPrefix: config.indexPrefix, batchDocs: config.bulkBatchDocs });
  const ensureStorage = createTemplateGuard(client, config);
  app.use(
    createIngestRouter({
      pipeline: createPipeline({
        rules: deps.rules,
        secret: config.sessionSecret,
        retentionDays: config.retentionDays,
        inventory: specs,
      }),
      sink,
      ensureStorage,
      maxBodyBytes: config.maxBodyBytes,
      maxInflightRecords: config.maxInflightRecords,
      counters: deps.counters ?? new IngestCounters(),
      spool: deps.spool,
    }),
  );
  if (deps.spool) app.locals.stopSpoolReplay = startSpoolReplay(deps.spool, ensureStorage, sink, logger);
  const anyToken = requireToken({ ingest: ingestTokens, query: queryTokens }, onFailure);
  app.get('/readyz', anyToken, async (_req, res) => {
    const r = await checkReadiness(client, config.indexPrefix);
    res.status(r.status === 'ok' ? 200 : 503).json(r);
  });
  app.get('/v1/openapi.json', anyToken, (_req, res) => {
    res.json(openapi);
  });
  app.use(
    createSpecsRouter({
      store: specs,
      adminTokens: new TokenSet(config.adminTokens),
      onAuthFailure: onFailure,
      maxBodyBytes: config.maxBodyBytes,
      logger,
    }),
  );
  app.use('/v1', requireToken({ query: queryTokens }, onFailure), express.json({ limit: '1mb' }));
  const queryGate = deps.queryGate ?? createQueryGate({ concurrency: config.query.concurrency });
  app.locals.queryGate = queryGate;
  app.use(createQueryRouter({ config, client, logger, gate: queryGate, observe: deps.onQuery }));
  app.use((_req, _res, next) => next(new NotFoundError('no such route')));
  app.use(errorMiddleware(logger));
  return app;
}
