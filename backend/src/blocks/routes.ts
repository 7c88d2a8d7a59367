/**
 * HTTP wiring of blocking (docs/api.md "Session blocking"):
 * - `POST /v1/blocks`, `DELETE /v1/blocks/{id}`, `POST /v1/blocks/grafana-webhook`: admin tokens (ADMIN_TOKENS);
 * - `GET /v1/blocks`, `GET /v1/blocks/{id}`: admin or query tokens;
 * The decision endpoint is in decision-route.ts.
 */
import express, { Router, type RequestHandler } from 'express';
import { bearerToken, refuseAuth, type FailedAuthGuard, type TokenSet } from '../http/auth';
import type { LabelledTokenSet } from './labels';
import { toApiBlock } from './model';
import { checkBlockId, parseCreateBlock, parseEndBlock, parseListBlocks } from './schema';
import type { BlockService } from './service';

/** Dependencies of the blocks routes. */
export interface BlocksRouteDeps {
  service: BlockService;
  adminTokens: LabelledTokenSet;
  queryTokens: TokenSet;
  limits: { defaultMinutes: number; maxMinutes: number };
  /** Counts failed authentications (the app's shared limiter: 429 after too many). */
  authGuard?: FailedAuthGuard;
  now?: () => number;
}

/** Webhook payloads can list many alerts. */
const WEBHOOK_BODY_LIMIT = '5mb';

/** The blocks API router (its own auth and body parsers; mount it before the query-token `/v1` guard). */
export function createBlocksRouter(deps: BlocksRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const admin = requireAdmin(deps);
  const reader = requireReader(deps);
  const json = express.json({ limit: '64kb' });
  const api = (b: Parameters<typeof toApiBlock>[0]) => toApiBlock(b, now());

  router.post('/v1/blocks', admin, json, async (req, res) => {
    const input = parseCreateBlock(req.body, deps.limits);
    const block = await deps.service.create(input, res.locals.actor, 'api');
    res.status(201).json(api(block));
  });

  router.post('/v1/blocks/grafana-webhook', admin, express.json({ limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const out = await deps.service.fromWebhook(req.body, res.locals.actor);
    res.status(out.created.length > 0 ? 201 : 200).json({
      created: out.created.map(api),
      existing: out.existing.map(api),
      skipped: out.skipped,
    });
  });

  router.get('/v1/blocks', reader, async (req, res) => {
    const q = parseListBlocks(req.query);
    const { blocks, total } = await deps.service.list(q.state, q.limit);
    res.json({ state: q.state, total, blocks: blocks.map(api) });
  });

  router.get('/v1/blocks/:id', reader, async (req, res) => {
    const id = String(req.params.id);
    checkBlockId(id);
    res.json(api(await deps.service.get(id)));
  });

  router.delete('/v1/blocks/:id', admin, json, async (req, res) => {
    const id = String(req.params.id);
    checkBlockId(id);
    const body = req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0 ? req.body : req.query;
    const end = parseEndBlock(body);
    const block = await deps.service.end(id, end.reason, {
      label: res.locals.actor.label,
      requestedBy: end.requestedBy,
    });
    res.json(api(block));
  });
  return router;
}

/** Admin token → `res.locals.actor = {label}`; anything else 401 (429 after too many failures). */
function requireAdmin(deps: BlocksRouteDeps): RequestHandler {
  return (req, res, next) => {
    const label = deps.adminTokens.labelOf(bearerToken(req.headers.authorization));
    if (label === undefined) return next(refuseAuth(req, deps.authGuard));
    res.locals.actor = { label };
    next();
  };
}

/** Admin or query token. */
function requireReader(deps: BlocksRouteDeps): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token && (deps.queryTokens.has(token) || deps.adminTokens.labelOf(token) !== undefined)) return next();
    next(refuseAuth(req, deps.authGuard));
  };
}
