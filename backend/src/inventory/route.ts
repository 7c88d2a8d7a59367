import express, { Router } from 'express';
import { AppError, InputError } from '../http/errors';
import { requireToken, type FailedAuthGuard, type TokenSet } from '../http/auth';
import type { Logger } from '../logger';
import { SpecError } from './spec';
import { checkScopeName, type ScopeKind, type SpecStore } from './store';

/** Dependencies of the spec admin routes. */
export interface SpecsRouteDeps {
  store: SpecStore;
  /** ADMIN_TOKENS: the third scope; neither an ingest nor a query token works here. */
  adminTokens: TokenSet;
  /** The failed-authentication limiter shared by every scope. */
  authGuard?: FailedAuthGuard;
  maxBodyBytes: number;
  logger: Logger;
}

/**
 * `POST /v1/specs?host=…|app=…` (body: the OpenAPI document, JSON or YAML) → 201 with the new version;
 * `GET /v1/specs` → every scope with its versions and the files skipped at load;
 * `POST /v1/specs/reload` → re-reads SPECS_DIR (after files were copied there by hand).
 */
export function createSpecsRouter(deps: SpecsRouteDeps): Router {
  const router = Router();
  const admin = requireToken({ admin: deps.adminTokens }, deps.authGuard);
  const body = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  router.get('/v1/specs', admin, (_req, res) => {
    res.json({ specs_dir: deps.store.dir ?? null, scopes: deps.store.list(), problems: deps.store.problems });
  });

  router.post('/v1/specs/reload', admin, (_req, res) => {
    requireDir(deps.store);
    const problems = deps.store.reload();
    deps.logger.info({ scopes: deps.store.list().length, problems: problems.length }, 'specs reloaded');
    res.json({ scopes: deps.store.list(), problems });
  });

  router.post('/v1/specs', admin, body, async (req, res) => {
    requireDir(deps.store);
    const { kind, name } = scopeOf(req.query);
    const text = decodeUtf8(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    try {
      const v = await deps.store.add(kind, name, text);
      deps.logger.info(
        { kind, name, version: v.version, file: v.file, operations: v.spec.operations.length },
        'spec version added',
      );
      res.status(201).json({
        [kind]: name,
        version: v.version,
        file: v.file,
        openapi: v.spec.openapi,
        info_version: v.spec.infoVersion,
        operations: v.spec.operations.length,
        base_paths: v.spec.basePaths,
      });
    } catch (err) {
      if (err instanceof SpecError)
        throw new InputError(
          `invalid OpenAPI document: ${err.message}`,
          [{ field: '(body)', message: err.message }],
          'invalid_spec',
        );
      throw err;
    }
  });
  return router;
}

function requireDir(store: SpecStore): void {
  if (!store.dir)
    throw new AppError(
      409,
      'specs_dir_unset',
      'SPECS_DIR is not set: spec versions could not be kept across restarts, so uploads are disabled',
    );
}

/** Exactly one of `?host=` and `?app=`, with a name that is safe as a folder name. */
function scopeOf(query: Record<string, unknown>): { kind: ScopeKind; name: string } {
  const host = query.host;
  const app = query.app;
  if ((host === undefined) === (app === undefined)) {
    throw new InputError(
      'give exactly one of ?host= or ?app=',
      [{ field: 'host', message: 'give exactly one of host or app' }],
      'invalid_spec',
    );
  }
  const kind: ScopeKind = host !== undefined ? 'host' : 'app';
  const name = host ?? app;
  const problem = typeof name === 'string' ? checkScopeName(kind, name) : 'must be given once';
  if (problem) throw new InputError(`${kind}: ${problem}`, [{ field: kind, message: problem }], 'invalid_spec');
  return { kind, name: kind === 'host' ? (name as string).toLowerCase() : (name as string) };
}

function decodeUtf8(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new InputError(
      'the document is not valid UTF-8',
      [{ field: '(body)', message: 'invalid UTF-8' }],
      'invalid_spec',
    );
  }
}
