import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../src/config';
import { createApp } from '../src/app';
import { createLogger } from '../src/logger';
import { createOpenSearchClient, type Client } from '../src/storage/client';
import { DEFAULT_RULES, type SessionRules } from '../src/session/rules';
import { Spool } from '../src/ingest/spool';
import { testIndexLayout, testOpenSearchUrl } from './opensearch';

/** Tokens every test service accepts. */
export const TEST_TOKENS = {
  ingest: 'test-ingest-token-0123456789',
  query: 'test-query-token-0123456789',
};

/** The HMAC secret every test service uses (tests recompute session keys with it). */
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789';

/** The environment of a test service on `prefix` (tokens, secret, the test cluster and its index layout); `extra` overrides. */
export function testServiceEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  const layout = testIndexLayout();
  return {
    OPENSEARCH_URL: testOpenSearchUrl(),
    INDEX_SHARDS: String(layout.indexShards),
    INDEX_REPLICAS: String(layout.indexReplicas),
    INDEX_PREFIX: prefix,
    INGEST_TOKENS: TEST_TOKENS.ingest,
    QUERY_TOKENS: TEST_TOKENS.query,
    SESSION_SECRET: TEST_SESSION_SECRET,
    ...extra,
  };
}

/** Reads a response body as JSON, or as text when it is not JSON. */
export async function readJsonOrText(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A real service (the Express app over real HTTP) bound to 127.0.0.1 on a free port, for one test file. */
export interface TestService {
  url: string;
  config: Config;
  client: Client;
  /** Everything the service logged (JSON lines), for "never logged" assertions. */
  logs: string[];
  post(
    path: string,
    body: unknown,
    opts?: { token?: string; headers?: Record<string, string>; raw?: Buffer | string },
  ): Promise<{ status: number; json: any; headers: Headers }>;
  get(path: string, token?: string): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/**
 * Starts the app in-process with a test index prefix. `env` overrides configuration variables; `SPOOL_DIR` opens a
 * spool there (replayed every second, as main.ts does).
 */
export async function startTestService(
  prefix: string,
  env: Record<string, string> = {},
  rules: SessionRules = DEFAULT_RULES,
): Promise<TestService> {
  const config = loadConfig(testServiceEnv(prefix, { LOG_LEVEL: 'trace', ...env }));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const client = createOpenSearchClient(config);
  const spool = config.spool ? await Spool.open(config.spool.dir, config.spool.maxBytes) : undefined;
  const app = createApp({ config, client, logger: createLogger(config.logLevel, sink), rules, spool });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function post(
    path: string,
    body: unknown,
    opts: { token?: string; headers?: Record<string, string>; raw?: Buffer | string } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
    const token = opts.token ?? (path === '/v1/requests' ? TEST_TOKENS.ingest : TEST_TOKENS.query);
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url + path, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) });
    return { status: res.status, json: await readJsonOrText(res), headers: res.headers };
  }

  async function get(path: string, token: string | undefined = TEST_TOKENS.query) {
    const res = await fetch(url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, json: await readJsonOrText(res) };
  }

  return {
    url,
    config,
    client,
    logs,
    post,
    get,
    async stop() {
      (app.locals.stopSpoolReplay as (() => void) | undefined)?.();
      (app.locals.stopSpecSync as (() => void) | undefined)?.();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await client.close();
    },
  };
}

/** Refreshes and returns the stored documents of a prefix (optionally only ids starting with `idPrefix`; ≤ 10,000). */
export async function storedDocs(client: Client, prefix: string, idPrefix?: string): Promise<any[]> {
  await client.indices.refresh({
    index: `${prefix}-requests-*`,
    ignore_unavailable: true,
    allow_no_indices: true,
  } as never);
  const res = await client.search({
    index: `${prefix}-requests-*`,
    ignore_unavailable: true,
    allow_no_indices: true,
    body: { size: 10000, query: idPrefix ? { prefix: { id: idPrefix } } : { match_all: {} }, sort: [{ ts: 'asc' }] },
  } as never);
  return (res.body as any).hits.hits.map((h: any) => ({ _id: h._id, _index: h._index, ...h._source }));
}

/** A valid record a few minutes old; fields can be overridden. */
export function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ts: Date.now() - 60_000,
    host: 'api.example.com',
    method: 'GET',
    path: '/api/v1/items/17',
    status: 200,
    client_ip: '203.0.113.7',
    duration_ms: 12.5,
    user_agent: 'test-agent/1.0',
    ...overrides,
  };
}
