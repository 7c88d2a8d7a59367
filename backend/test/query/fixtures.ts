/**
 * Test fixtures of the query engine: a deterministic multi-day request generator, a plain reference
 * sessionizer over raw records, bulk loading straight into daily indices, and the query router served over
 * real HTTP on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { Client } from '@opensearch-project/opensearch';
import { errorMiddleware } from '../../src/http/errors';
import type { QueryGate } from '../../src/query/gate';
import { createQueryRouter, type QueryObservation } from '../../src/query/router';
import { indexForTime } from '../../src/storage/indices';
import type { StoredRequest } from '../../src/storage/mappings';
import { installTemplate } from '../../src/storage/template';
import { DEFAULTS, type Config } from '../../src/config';
import { deletePrefix, testClient, testIndexLayout, uniquePrefix } from '../opensearch';
import { mulberry32 } from '../../demo/rng';
import { DAY_MS as DAY, MINUTE_MS as MIN } from '../../src/durations';

export { DAY, MIN };
/** The pinned clock of the query tests (noon UTC). */
export const NOW = Date.UTC(2026, 0, 20, 12, 0, 0);

/** Small deterministic PRNG (mulberry32, shared with the demo generator). */
export const rng = mulberry32;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

let seq = 0;
/** A stored request with sensible defaults. */
export function makeRequest(key: string, ts: number, over: Partial<StoredRequest> = {}): StoredRequest {
  const status = over.status ?? 200;
  const attackTypes = over.attack_types ?? [];
  return {
    id: `r${(seq++).toString(36)}-${key.slice(0, 6)}`,
    ts,
    received_at: ts,
    host: 'api.example.com',
    method: 'GET',
    path: '/users/1',
    endpoint: '/users/{int}',
    status,
    status_class: status === 0 ? 'none' : `${Math.floor(status / 100)}xx`,
    client_ip: '10.0.0.1',
    duration_ms: 10,
    session: { key, key_source: 'cookie:PHPSESSID' },
    attack_types: attackTypes.length ? attackTypes : undefined,
    attack_count: attackTypes.length,
    attacked: attackTypes.length > 0,
    blocked: false,
    is_error: status >= 500 ? 1 : 0,
    ...over,
  } as StoredRequest;
}

const ENDPOINTS = ['/users/{int}', '/login', '/api/v1/orders', '/api/v1/orders/{int}', '/api/v2/search', '/admin'];
const ATTACKS = ['sqli', 'xss', 'rce', 'ptrav'];

/**
 * A multi-day dataset: interleaved actors with random gaps (some ≥ T), a session crossing midnight, gaps of
 * exactly T − 1 ms and T, and one session of `bigSession` requests. T is the default 30 min.
 */
export function generateDataset(opts: { seed?: number; actors?: number; bigSession?: number } = {}): StoredRequest[] {
  const r = rng(opts.seed ?? 42);
  const T = 30 * MIN;
  const docs: StoredRequest[] = [];
  const start = NOW - 4 * DAY;
  const actors = opts.actors ?? 40;
  for (let a = 0; a < actors; a++) {
    const key = `key${String(a).padStart(3, '0')}${'x'.repeat(8)}`;
    const ip = `10.${a % 3}.${a}.${(a * 7) % 250}`;
    const user = a % 4 === 0 ? undefined : `user${a % 9}`;
    let t = start + Math.floor(r() * DAY);
    const n = 40 + Math.floor(r() * 160);
    for (let i = 0; i < n && t < NOW; i++) {
      docs.push(randomRequest(r, key, t, ip, user, a));
      const roll = r();
      t +=
        roll < 0.8 ? Math.floor(r() * 5 * MIN) : roll < 0.95 ? T + Math.floor(r() * 6 * 3600_000) : Math.floor(r() * T);
    }
  }
  docs.push(...edgeCases());
  if (opts.bigSession) docs.push(...bigSession(opts.bigSession, r));
  return docs;
}

function randomRequest(
  r: () => number,
  key: string,
  ts: number,
  ip: string,
  user: string | undefined,
  a: number,
): StoredRequest {
  const status = pick(r, [200, 200, 200, 201, 204, 302, 401, 403, 404, 500, 503]);
  const attacks = r() < 0.1 ? [pick(r, ATTACKS)] : [];
  return makeRequest(key, ts, {
    status,
    host: a % 2 ? 'api.example.com' : 'shop.example.com',
    app: a % 5 === 0 ? 'billing' : 'core',
    method: pick(r, ['GET', 'GET', 'POST', 'PUT', 'DELETE']),
    endpoint: pick(r, ENDPOINTS),
    path: `/p/${Math.floor(r() * 100)}`,
    client_ip: r() < 0.95 ? ip : `192.168.${a}.9`,
    user,
    role: user ? (a % 3 ? 'customer' : 'admin') : undefined,
    duration_ms: 1 + Math.floor(r() * 900),
    attack_types: attacks,
    attack_count: attacks.length,
    attacked: attacks.length > 0,
    blocked: attacks.length > 0 && r() < 0.5,
    bot: r() < 0.05 ? { type: 'scraper', score: 0.9 } : undefined,
    user_agent: `agent-${a % 6}`,
  });
}

/** Keys with exact boundary gaps and a midnight crossing (30-minute idle timeout). */
export const EDGE = { joined: 'edge-gap-t-minus-1', split: 'edge-gap-t', midnight: 'edge-midnight' };

function edgeCases(): StoredRequest[] {
  const T = 30 * MIN;
  const base = NOW - 2 * DAY + 3 * 3600_000 + 123; // not aligned to any bucket width
  const midnight = Math.floor(NOW / DAY) * DAY - DAY;
  return [
    makeRequest(EDGE.joined, base),
    makeRequest(EDGE.joined, base + 7 * MIN),
    makeRequest(EDGE.joined, base + 7 * MIN + T - 1),
    makeRequest(EDGE.split, base),
    makeRequest(EDGE.split, base + 7 * MIN),
    makeRequest(EDGE.split, base + 7 * MIN + T),
    makeRequest(EDGE.midnight, midnight - 20_000),
    makeRequest(EDGE.midnight, midnight - 1),
    makeRequest(EDGE.midnight, midnight),
    makeRequest(EDGE.midnight, midnight + 40_000, { status: 500 }),
  ];
}

/** The key of the big session. */
export const BIG_KEY = 'big-session-key';

function bigSession(n: number, r: () => number): StoredRequest[] {
  const docs: StoredRequest[] = [];
  let t = NOW - DAY + 3600_000;
  for (let i = 0; i < n; i++) {
    docs.push(
      makeRequest(BIG_KEY, t, {
        endpoint: pick(r, ENDPOINTS),
        duration_ms: 5,
        client_ip: '172.16.5.5',
        method: 'POST',
      }),
    );
    t += 200 + Math.floor(r() * 1500);
  }
  return docs;
}

/** A session part as the reference computes it. */
export interface RefPart {
  key: string;
  start: number;
  end: number;
  requests: number;
  attacks: number;
  blocked: number;
  status4xx: number;
  status5xx: number;
  durMax: number | null;
  matched: number;
}

/**
 * The reference sessionizer: plain TypeScript over raw records. Same key, consecutive gaps < T
 * (T = 0: no idle split), cut at UTC midnight when `splitByDay`. `match` marks requests matching filters.
 */
export function referenceSessions(
  docs: StoredRequest[],
  idleMs: number,
  splitByDay: boolean,
  match: (d: StoredRequest) => boolean = () => true,
): RefPart[] {
  const byKey = new Map<string, StoredRequest[]>();
  for (const d of docs) {
    if (!byKey.has(d.session.key)) byKey.set(d.session.key, []);
    byKey.get(d.session.key)!.push(d);
  }
  const parts: RefPart[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.ts - b.ts);
    let cur: RefPart | null = null;
    let prev = -Infinity;
    for (const d of list) {
      const newDay = splitByDay && Math.floor(prev / DAY) !== Math.floor(d.ts / DAY);
      if (!cur || (idleMs > 0 && d.ts - prev >= idleMs) || newDay) {
        cur = {
          key,
          start: d.ts,
          end: d.ts,
          requests: 0,
          attacks: 0,
          blocked: 0,
          status4xx: 0,
          status5xx: 0,
          durMax: null,
          matched: 0,
        };
        parts.push(cur);
      }
      cur.end = d.ts;
      cur.requests++;
      cur.attacks += d.attack_count;
      cur.blocked += d.blocked ? 1 : 0;
      cur.status4xx += d.status >= 400 && d.status < 500 ? 1 : 0;
      cur.status5xx += d.status >= 500 ? 1 : 0;
      if (d.duration_ms !== undefined) cur.durMax = Math.max(cur.durMax ?? -Infinity, d.duration_ms);
      cur.matched += match(d) ? 1 : 0;
      prev = d.ts;
    }
  }
  return parts;
}

/** Writes documents straight into their daily indices (template first, the test layout), shuffled, then refreshes. */
export async function loadDocs(client: Client, prefix: string, docs: StoredRequest[], seed = 7): Promise<void> {
  await installTemplate(client, { indexPrefix: prefix, ...testIndexLayout() });
  const r = rng(seed);
  const shuffled = [...docs];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  for (let i = 0; i < shuffled.length; i += 5000) {
    const body = shuffled
      .slice(i, i + 5000)
      .flatMap((d) => [{ create: { _index: indexForTime(prefix, d.ts), _id: d.id } }, d]);
    const res = await client.bulk({ body, refresh: false } as never);
    // 409 = already created: the client sent the bulk again after a timeout, the first one had gone through
    const items = (res.body as unknown as { items: { create: { status: number } }[] }).items;
    const failed = items.filter((item) => item.create.status >= 300 && item.create.status !== 409);
    if (failed.length) throw new Error(`bulk failed: ${JSON.stringify(failed).slice(0, 500)}`);
  }
  await client.indices.refresh({ index: `${prefix}-requests-*` });
}

/** A config for the router under test (query budget: the service defaults, but a wide concurrency gate). */
export function testConfig(prefix: string, retentionDays = 7, query: Partial<Config['query']> = {}): Config {
  return {
    indexPrefix: prefix,
    retentionDays,
    query: {
      maxCells: DEFAULTS.QUERY_MAX_CELLS,
      concurrency: 64,
      timeoutMs: DEFAULTS.QUERY_TIMEOUT_MS,
      ...query,
    },
  } as Config;
}

/** The query router on a bare Express app (JSON body parser + the shared error middleware), over real HTTP. */
export interface QueryServer {
  url: string;
  query(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Headers }>;
  get(path: string): Promise<{ status: number; json: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Options of a query server under test. */
export interface QueryServerOptions {
  /** The pinned clock (default NOW). */
  now?: number;
  retentionDays?: number;
  /** Query budget overrides (QUERY_MAX_CELLS, QUERY_CONCURRENCY, QUERY_TIMEOUT_MS). */
  query?: Partial<Config['query']>;
  /** A gate the test holds slots of. */
  gate?: QueryGate;
  /** Receives one observation per query (the metrics hook). */
  observe?: (o: QueryObservation) => void;
}

/** Starts the router on 127.0.0.1 with an ephemeral port and a pinned clock. */
export async function startQueryServer(
  client: Client,
  prefix: string,
  opts: QueryServerOptions = {},
): Promise<QueryServer> {
  const errors: object[] = [];
  const logger = { info: () => undefined, error: (o: object) => void errors.push(o) };
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const config = testConfig(prefix, opts.retentionDays ?? 7, opts.query);
  const now = opts.now ?? NOW;
  app.use(createQueryRouter({ config, client, logger, gate: opts.gate, observe: opts.observe, now: () => now }));
  app.use(errorMiddleware(logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(url + path, init);
    return { status: res.status, json: await res.json(), headers: res.headers };
  };
  return {
    url,
    query: (body, headers = {}) =>
      call('/v1/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    get: (path) => call(path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a whole test file: loads `docs()` into a fresh prefix of the real node and serves the router over it
 * (beforeAll), then closes the server and deletes the prefix (afterAll). The returned server is usable in tests.
 */
export function useQueryServer(
  name: string,
  docs: () => StoredRequest[],
  timeoutMs = 120_000,
  opts: QueryServerOptions = {},
): QueryServer {
  let client: Client;
  let prefix: string;
  let server: QueryServer;
  beforeAll(async () => {
    client = testClient();
    prefix = uniquePrefix(name);
    await loadDocs(client, prefix, docs());
    server = await startQueryServer(client, prefix, opts);
  }, timeoutMs);
  afterAll(async () => {
    await server?.close();
    await deletePrefix(client, prefix);
    await client.close();
  });
  return {
    get url() {
      return server.url;
    },
    query: (body, headers) => server.query(body, headers),
    get: (path) => server.get(path),
    close: () => server.close(),
  };
}

/** The frames of a query answer; any other status throws with the answer (the test fails showing it). */
export function framesOf(res: { status: number; json: any }): any[] {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.frames;
}

/** Reads a frame into row objects keyed by field name. */
export function rows(frame: {
  schema: { fields: { name: string }[] };
  data: { values: unknown[][] };
}): Record<string, any>[] {
  const names = frame.schema.fields.map((f) => f.name);
  const n = frame.data.values[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((name, c) => [name, frame.data.values[c][i]])),
  );
}
