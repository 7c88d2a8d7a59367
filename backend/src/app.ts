import express, { type Express } from 'express';
import type { Client } from '@opensearch-project/opensearch';
import type { Config } from './config';
import type { Logger } from './logger';
import { errorMiddleware, NotFoundError } from './http/errors';
import { requireToken, TokenSet } from './http/auth';
import { AuthFailureLimiter } from './http/auth-limiter';
import { createIngestRouter } from './ingest/route';
import { createIngestCore } from './ingest/accept';
import { createOtlpRouter } from './otlp/route';
import { createPipeline } from './ingest/pipeline';
import { createSink } from './ingest/sink';
import { IngestCounters } from './ingest/counters';
import type { ReplayReport, Spool } from './ingest/spool';
import type { SessionRules } from './session/rules';
import { cachedProbe, checkReadiness, createTemplateGuard, isReadyForTraffic } from './storage/readiness';
import { createQueryRouter, queryRequestSchema, type QueryObservation } from './query/router';
import { createQueryGate, type QueryGate } from './query/gate';
import { buildOpenApi } from './openapi';
import { createSpecStore, type SpecStore } from './inventory/store';
import { createSpecReplica } from './inventory/replica';
import { createSpecsRouter } from './inventory/route';
import { createBlocking, type Blocking } from './blocks';
import packageJson from '../../package.json';
import { countReplay, createMetrics, observeBulk, type Metrics } from './metrics/metrics';
import { timeQueries } from './metrics/query-timer';
import { QUERY_TYPES } from './query/registry';

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
  /** Session blocking (blocks API, decision endpoint); created from the config when absent. */
  blocking?: Blocking;
  /** Prometheus metrics of this app (GET /metrics); created when absent (one registry per app, never the global). */
  metrics?: Metrics;
  /** The query concurrency gate (QUERY_CONCURRENCY); created from the config when absent. Its `stats()` feed metrics. */
  queryGate?: QueryGate;
  /** Called once per `POST /v1/query` with its type, outcome, duration and cells read (the hook for metrics). */
  onQuery?: (o: QueryObservation) => void;
}

/** The service's version: package.json's, so a release changes it in one place. */
const SERVICE_VERSION: string = packageJson.version;

/** Replays the spool every second while it holds records; logs what each run did; returns a stop function. */
function startSpoolReplay(
  spool: Spool,
  ensureStorage: () => Promise<void>,
  sink: ReturnType<typeof createSink>,
  logger: Logger,
  metrics: Metrics,
): () => void {
  let failing = false;
  const waiting = (reason: string) => {
    if (!failing) logger.warn({ err: reason, pendingBytes: spool.pendingBytes }, 'spool replay waiting for OpenSearch');
    failing = true;
  };
  const timer = setInterval(() => {
    if (spool.pendingBytes === 0) return;
    ensureStorage()
      .then(() => spool.replay(sink))
      .then((report) => {
        logReplay(report, logger);
        countReplay(metrics, report);
        if (report.waiting) waiting(report.waiting);
        else failing = false;
      })
      .catch((err: Error) => {
        metrics.replayErrors.inc();
        waiting(err.message);
      });
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Shares spec uploads between instances: attaches the `<prefix>-specs` replica to the store and copies the versions
 * other instances uploaded every SPECS_REFRESH_MS (first at once). One warning when reads start failing, one line
 * when they work again. Returns a stop function.
 */
function startSpecSync(specs: SpecStore, client: Client, config: Config, logger: Logger): () => void {
  specs.attachReplica(createSpecReplica(client, config.indexPrefix, config.indexReplicas));
  let failing = false;
  const run = () =>
    specs.sync().then(
      (added) => {
        if (added > 0) logger.info({ added, scopes: specs.list().length }, 'specs copied from other instances');
        if (failing) logger.info('specs: OpenSearch readable again');
        failing = false;
      },
      (err: Error) => {
        if (!failing) logger.warn({ err: err.message.slice(0, 200) }, 'specs: cannot read uploads of other instances');
        failing = true;
      },
    );
  void run();
  const timer = setInterval(() => void run(), config.specsRefreshMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One line per kind of outcome of a replay run (counts and a few distinct reasons, never record contents). */
/** `fn`, called at most once per `ms` (the calls in between are dropped): a log line per minute, not per request. */
function atMostEvery<A>(ms: number, fn: (arg: A) => void): (arg: A) => void {
  let last = -Infinity;
  return (arg) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(arg);
  };
}

function logReplay(report: ReplayReport, logger: Logger): void {
  const distinct = (messages: string[]) => [...new Set(messages)].slice(0, 5);
  if (report.replayed > 0) logger.info({ replayed: report.replayed }, 'replayed spooled records into OpenSearch');
  if (report.rejected.length > 0)
    logger.warn(
      { rejected: report.rejected.length, reasons: distinct(report.rejected) },
      'records rejected during spool replay (dropped: OpenSearch refuses them for good)',
    );
  const refused = report.quarantined.filter((q) => q.why === 'refused');
  if (refused.length > 0)
    logger.error(
      { segments: refused.map((q) => q.to), records: report.refused.length, reasons: distinct(report.refused) },
      'OpenSearch refused spooled records for good; moved their segments aside',
    );
  for (const q of report.quarantined.filter((x) => x.why === 'unreadable'))
    logger.error(
      { segment: q.to, unreadableLines: q.unreadableLines, replayedRecords: q.records },
      'moved a spool segment aside: it has unreadable lines (its readable records were replayed)',
    );
}

/** Creates the Express app: routes, scopes, the not-found handler and the one error middleware. */
export function createApp(deps: AppDeps): Express {
  const { config, client, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const ingestTokens = new TokenSet(config.ingestTokens);
  const queryTokens = new TokenSet(config.queryTokens);
  const limiter = new AuthFailureLimiter();
  const openapi = buildOpenApi(queryRequestSchema, SERVICE_VERSION);
  const specs = deps.specs ?? createSpecStore(config, logger);
  if (specs.dir) app.locals.stopSpecSync = startSpecSync(specs, client, config, logger);
  const spool = deps.spool;
  const metrics =
    deps.metrics ??
    createMetrics(() => ({ pendingBytes: spool?.pendingBytes ?? 0, pendingSegments: spool?.pendingSegments ?? 0 }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // For load balancers: no token, and nothing in the answer but ready or not (no versions, nodes or counts).
  const readyForTraffic = cachedProbe(() => isReadyForTraffic(client, config.indexPrefix));
  app.get('/healthz/ready', async (_req, res) => {
    const ready = await readyForTraffic();
    res
      .status(ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .type('text/plain')
      .send(ready ? 'ok\n' : 'not ready\n');
  });
  const blocking = deps.blocking ?? createBlocking({ config, client, logger, rules: deps.rules, authGuard: limiter });
  metrics.watchDecisions(() => ({
    decisions: blocking.counters.snapshot(),
    activeBlocks: blocking.sync.active.size,
    lastSyncedAt: blocking.sync.lastSyncedAt,
  }));
  app.use('/v1/decision', blocking.decision);
  app.locals.blocking = blocking;
  app.locals.stopBlocks = blocking.start();
  app.use('/v1/requests', requireToken({ ingest: ingestTokens }, limiter));
  const sink = createSink(client, {
    indexPrefix: config.indexPrefix,
    batchDocs: config.bulkBatchDocs,
    onBulk: observeBulk(metrics),
    onDenied: atMostEvery(60_000, (reason) =>
      logger.error({ reason }, 'OpenSearch denies ingest writes: records are kept unstored until the role is fixed'),
    ),
  });
  const ensureStorage = createTemplateGuard(client, config);
  // One ingest path (pipeline, budgets, sink, spool, metrics) behind both `/v1/requests` and the OTLP routes.
  const ingest = createIngestCore({
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
    spool,
    metrics,
  });
  app.use(createIngestRouter(ingest));
  app.use('/otlp', createOtlpRouter({ ingest, ingestTokens, authGuard: limiter, logger }));
  if (spool) app.locals.stopSpoolReplay = startSpoolReplay(spool, ensureStorage, sink, logger, metrics);
  const anyToken = requireToken({ ingest: ingestTokens, query: queryTokens }, limiter);
  app.get('/readyz', anyToken, async (_req, res) => {
    const r = await checkReadiness(client, config.indexPrefix);
    res.status(r.status === 'ok' ? 200 : 503).json(r);
  });
  app.get('/v1/openapi.json', anyToken, (_req, res) => {
    res.json(openapi);
  });
  // Prometheus scrapes with `authorization: {credentials: <metrics token>}`; without METRICS_TOKENS it is off (404).
  if (config.metricsTokens.length > 0) {
    app.get('/metrics', requireToken({ metrics: new TokenSet(config.metricsTokens) }, limiter), async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.setHeader('content-type', metrics.registry.contentType); // exactly Prometheus's, without a charset
      res.end(text);
    });
  }
  app.use(
    createSpecsRouter({
      store: specs,
      adminTokens: new TokenSet(config.adminTokens),
      authGuard: limiter,
      maxBodyBytes: config.maxBodyBytes,
      logger,
    }),
  );
  app.use(blocking.router);
  app.use('/v1', requireToken({ query: queryTokens }, limiter), express.json({ limit: '1mb' }));
  app.use(
    '/v1/query',
    timeQueries(metrics, (name) => Object.hasOwn(QUERY_TYPES, name)),
  );
  const queryGate = deps.queryGate ?? createQueryGate({ concurrency: config.query.concurrency });
  app.locals.queryGate = queryGate;
  app.use(createQueryRouter({ config, client, logger, gate: queryGate, observe: deps.onQuery }));
  app.use((_req, _res, next) => next(new NotFoundError('no such route')));
  app.use(errorMiddleware(logger));
  return app;
}
