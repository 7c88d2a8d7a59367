/**
 * Session blocking, assembled for the app: the synchronised block set, the block service, the decision function and
 * its counters, and the two routers. `createBlocking` builds it; `start()` begins the sync (call it once).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Client } from '@opensearch-project/opensearch';
import type { Express, RequestHandler, Router } from 'express';
import type { Config } from '../config';
import { TokenSet, type FailedAuthGuard } from '../http/auth';
import type { Logger } from '../logger';
import { createIdentityExtractor } from '../session/identity';
import type { SessionRules } from '../session/rules';
import { createDecider, DecisionCounters } from './decision';
import { LabelledTokenSet } from './labels';
import { createBlocksRouter } from './routes';
import { createDecisionFastPath, createDecisionHandler, withFastPath, type DecisionRouteDeps } from './decision-route';
import { BlockService } from './service';
import { BlockSync } from './sync';

export { DecisionCounters } from './decision';
export type { DecisionCounts } from './decision';

/** Blocking for one service instance. */
export interface Blocking {
  service: BlockService;
  sync: BlockSync;
  /** Decision counts by outcome (allowed, blocked, monitored, fail_open); `snapshot()` for `/metrics`. */
  counters: DecisionCounters;
  /** `/v1/blocks…` routes (own auth and body parsing). */
  router: Router;
  /** The decision handler, to mount at `/v1/decision`. */
  decision: RequestHandler;
  /** Serves an authenticated decision before Express (see decision-route.ts); false = not served. */
  fastDecision: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Starts the periodic sync when the decision endpoint is on (DECISION_TOKENS set; nothing else needs the
   * in-memory set); returns a stop function, which writes the hit counts not yet stored.
   */
  start(): () => Promise<void>;
}

/** Builds blocking from the configuration (nothing runs until `start()`). */
export function createBlocking(deps: {
  config: Config;
  client: Client;
  logger: Logger;
  rules: SessionRules;
  /** The app's failed-authentication limiter, shared with every other route. */
  authGuard?: FailedAuthGuard;
}): Blocking {
  const { config, client, logger } = deps;
  const sync = new BlockSync(client, {
    prefix: config.indexPrefix,
    replicas: config.indexReplicas,
    refreshMs: config.blocks.refreshMs,
    staleAfterMs: config.blocks.staleAfterMs,
    maxActive: config.blocks.maxActive,
    hitsFlushMs: config.blocks.hitsFlushMs,
    logger,
  });
  const service = new BlockService(client, config, sync, logger);
  const counters = new DecisionCounters();
  const decisionsOn = config.decisionTokens.length > 0;
  const decide = createDecider(createIdentityExtractor(deps.rules, config.sessionSecret), sync, counters);
  const decisionDeps: DecisionRouteDeps = {
    tokens: decisionsOn ? new TokenSet(config.decisionTokens) : undefined,
    decide,
    authGuard: deps.authGuard,
  };
  return {
    service,
    sync,
    counters,
    router: createBlocksRouter({
      service,
      adminTokens: new LabelledTokenSet(config.adminTokenLabels),
      queryTokens: new TokenSet(config.queryTokens),
      limits: config.blocks,
      authGuard: deps.authGuard,
    }),
    decision: createDecisionHandler(decisionDeps),
    fastDecision: createDecisionFastPath(decisionDeps),
    start: () => (decisionsOn ? sync.start() : async () => undefined),
  };
}

/**
 * The request listener to serve an app built by createApp with: authenticated decisions skip Express
 * (decision-route.ts), everything else goes to the app. Use it for `http.createServer` / `https.createServer`.
 */
export function withDecisionFastPath(app: Express): RequestListener {
  const blocking = app.locals.blocking as Blocking | undefined;
  return blocking ? withFastPath(blocking.fastDecision, app) : app;
}
