/**
 * Helpers of the blocking tests: a real service (the Express app over HTTP on 127.0.0.1) with blocking configured,
 * which also hands out its Blocking (decision counters), and small HTTP helpers for the blocks API and decisions.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { withDecisionFastPath, type Blocking } from '../../src/blocks';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { DEFAULT_RULES, type SessionRules } from '../../src/session/rules';
import { createOpenSearchClient } from '../../src/storage/client';
import { readJsonOrText, testServiceEnv, TEST_TOKENS } from '../service';

/** Tokens of the blocking tests (the admin one is labelled `soc`). */
export const TOKENS = {
  ...TEST_TOKENS,
  admin: 'test-admin-token-0123456789',
  alerts: 'test-alerts-token-0123456789',
  decision: 'test-decision-token-0123456789',
};

/** The environment that turns blocking on; `extra` overrides. */
export function blockingEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ADMIN_TOKENS: `soc:${TOKENS.admin},grafana-alerts:${TOKENS.alerts}`,
    DECISION_TOKENS: TOKENS.decision,
    BLOCKS_REFRESH_MS: '200',
    BLOCKS_HITS_FLUSH_MS: '200',
    ...extra,
  };
}

/** A running service with blocking. */
export interface BlockingService {
  url: string;
  blocking: Blocking;
  logs: string[];
  /** `fetch` against the service with a bearer token (admin by default). */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; json: any; headers: Headers }>;
  /** A decision sub-request with the proxy's headers. */
  decide(headers: Record<string, string>, path?: string): Promise<{ status: number; headers: Headers }>;
  stop(): Promise<void>;
}

/** Starts the app in-process with blocking on `prefix`, served like main.ts serves it. */
export async function startBlockingService(
  prefix: string,
  env: Record<string, string> = {},
  rules: SessionRules = DEFAULT_RULES,
  opts: { expressOnly?: boolean } = {},
): Promise<BlockingService> {
  const config = loadConfig(testServiceEnv(prefix, { LOG_LEVEL: 'info', ...blockingEnv(), ...env }));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const client = createOpenSearchClient(config);
  const app = createApp({ config, client, logger: createLogger(config.logLevel, sink), rules });
  // Served like main.ts serves it: authenticated decisions before Express (the `expressOnly` option tests the
  // Express handler alone).
  const server: Server = createServer(opts.expressOnly ? app : withDecisionFastPath(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  return {
    url,
    blocking: app.locals.blocking as Blocking,
    logs,
    async call(method, path, body, token = TOKENS.admin) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await readJsonOrText(res), headers: res.headers };
    },
    async decide(headers, path = '/v1/decision') {
      const res = await fetch(url + path, { headers: { 'x-decision-token': TOKENS.decision, ...headers } });
      await res.arrayBuffer();
      return { status: res.status, headers: res.headers };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await (app.locals.stopBlocks as () => Promise<void>)();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await client.close();
    },
  };
}

/** Polls `fn` every 100 ms until it returns true; returns the time it took (ms). Throws after `timeoutMs`. */
export async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - t0;
}
