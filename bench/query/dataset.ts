/**
 * The benchmark dataset: 7 days, BENCH_REQUESTS requests (default ~1,000,000 in ~50,000 sessions; sessions and keys
 * scale with the requests, so 10,000,000 gives ~500,000 sessions of 400,000 keys), written straight into daily
 * indices of a bench prefix (bulk). Reused when already there (a marker document records what was generated, with
 * its size and index layout; a different request asks for a new generation).
 * Session keys are hex digests, spread over the key space like the HMAC keys of real data.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { indexForTime } from '../../backend/src/storage/indices';
import type { StoredRequest } from '../../backend/src/storage/mappings';
import { REFRESH_INTERVAL, installTemplate } from '../../backend/src/storage/template';
import { mulberry32 } from '../../backend/demo/rng';
import { DAY_MS as DAY } from '../../backend/src/durations';

export { DAY };
/** Key of the one 2,000-request session (timeline benchmark). */
export const LONG_SESSION_KEY = 'bench-long-session';

/** What a generated dataset looks like; stored as the marker. */
export interface DatasetInfo {
  version: number;
  /** End of the dataset (the benchmark's "now"). */
  end: number;
  requests: number;
  sessions: number;
  longSessionStart: number;
  longSessionEnd: number;
  /** Requested size (BENCH_REQUESTS); absent in markers of the first version = 1,000,000. */
  target?: number;
  /** Index layout; absent = 1 shard, 0 replicas. */
  shards?: number;
  replicas?: number;
}

/** What to generate: BENCH_REQUESTS requests (default 1,000,000) and 50,000 sessions per million. */
export interface DatasetSpec {
  requests: number;
  sessions: number;
  shards: number;
  replicas: number;
}

/** The dataset BENCH_REQUESTS asks for, in the given index layout. */
export function datasetSpec(
  layout: { indexShards: number; indexReplicas: number } = { indexShards: 1, indexReplicas: 0 },
): DatasetSpec {
  const requests = Number(process.env.BENCH_REQUESTS || 1_000_000);
  if (!Number.isInteger(requests) || requests < 10_000) throw new Error('BENCH_REQUESTS must be an integer ≥ 10000');
  return {
    requests,
    sessions: Math.round((requests / 1_000_000) * 50_000),
    shards: layout.indexShards,
    replicas: layout.indexReplicas,
  };
}

/** The default bench prefix for a size: bench-query (1M, as before), bench-query-10m, bench-query-2.5m, … */
export function datasetPrefix(requests: number): string {
  if (requests === 1_000_000) return 'bench-query';
  const m = requests / 1_000_000;
  return `bench-query-${Number.isInteger(m) ? m : m.toFixed(2).replace(/0+$/, '')}m`.replace('.', '_');
}

/** 2: session keys are SHA-256 hex digests, like the HMAC keys ingest stores (1 had `k<hex>000…`, all in one key range). */
const VERSION = 2;
const ENDPOINTS = Array.from({ length: 200 }, (_, i) =>
  i % 10 === 0 ? `/api/v1/login${i}` : `/api/v${1 + (i % 3)}/res${i}/{int}`,
);
const HOSTS = ['api.example.com', 'shop.example.com', 'pay.example.com', 'admin.example.com', 'm.example.com'];
const ATTACKS = ['sqli', 'xss', 'rce', 'ptrav', 'ssrf'];

const rng = mulberry32;

/** Daily-index settings while the dataset loads, and what they go back to: the template's refresh, the default sync. */
const LOAD_SETTINGS = { refresh_interval: '-1', 'translog.durability': 'async' };
const TEMPLATE_SETTINGS = { refresh_interval: REFRESH_INTERVAL, 'translog.durability': null };

const markerIndex = (prefix: string) => `${prefix}-bench-meta`;

/** Reads the marker of a previous generation, if complete. */
async function existingDataset(client: Client, prefix: string): Promise<DatasetInfo | null> {
  const res = await client.get({ index: markerIndex(prefix), id: 'dataset' }, { ignore: [404] });
  const info = (res.body as { _source?: DatasetInfo })._source;
  return info && info.version === VERSION ? info : null;
}

/** True when a stored dataset is the one `spec` asks for (size and index layout). */
export function matchesSpec(info: DatasetInfo, spec: DatasetSpec): boolean {
  return (
    (info.target ?? 1_000_000) === spec.requests &&
    (info.shards ?? 1) === spec.shards &&
    (info.replicas ?? 0) === spec.replicas
  );
}

/** Generates sessions one by one (request counts skewed: many short, a few long), calling `emit` per request. */
/** The dataset's requests in time order (pure: same spec, same requests). */
export function* generate(
  end: number,
  targetRequests: number,
  sessions: number,
): Generator<StoredRequest, DatasetInfo> {
  const r = rng(2024);
  const start = end - 7 * DAY + 60_000;
  const perSession = targetRequests / sessions;
  let requests = 0;
  let seq = 0;
  const keys = Math.round(sessions * 0.8); // some actors come back later: several sessions per key
  for (let s = 0; s < sessions; s++) {
    const k = s < keys ? s : Math.floor(r() * keys);
    const key = createHash('sha256').update(`bench-key-${k}`).digest('hex');
    const n = Math.max(1, Math.round(-Math.log(1 - r()) * perSession));
    let t = start + Math.floor(r() * (7 * DAY - 2 * 3600_000));
    const ip = `10.${k % 256}.${(k >> 8) % 256}.${(k * 7) % 250}`;
    const user = k % 2 ? `user${k % 5000}` : undefined;
    const host = HOSTS[k % HOSTS.length];
    const attacker = r() < 0.03;
    for (let i = 0; i < n && t < end; i++) {
      yield request(r, `b${(seq++).toString(36)}`, key, t, ip, user, host, attacker);
      requests++;
      t += r() < 0.97 ? Math.floor(r() * 90_000) : 1_800_000 + Math.floor(r() * 3600_000);
    }
  }
  const longStart = end - DAY / 2;
  let t = longStart;
  for (let i = 0; i < 2000; i++) {
    yield request(r, `long${i}`, LONG_SESSION_KEY, t, '172.16.0.9', 'long-user', HOSTS[0], false);
    t += 500 + Math.floor(r() * 1000);
  }
  return {
    version: VERSION,
    end,
    requests: requests + 2000,
    sessions: sessions + 1,
    longSessionStart: longStart,
    longSessionEnd: t,
  };
}

function request(
  r: () => number,
  id: string,
  key: string,
  ts: number,
  ip: string,
  user: string | undefined,
  host: string,
  attacker: boolean,
): StoredRequest {
  const attacked = attacker && r() < 0.3;
  const status = attacked ? 403 : [200, 200, 200, 200, 201, 204, 304, 401, 404, 500][Math.floor(r() * 10)];
  const types = attacked ? [ATTACKS[Math.floor(r() * ATTACKS.length)]] : undefined;
  const endpoint = ENDPOINTS[Math.floor(r() * r() * ENDPOINTS.length)];
  return {
    id,
    ts,
    received_at: ts,
    host,
    app: host.split('.')[0],
    method: r() < 0.7 ? 'GET' : 'POST',
    path: endpoint.replace('{int}', String(Math.floor(r() * 1000))),
    endpoint,
    status,
    status_class: `${Math.floor(status / 100)}xx`,
    client_ip: ip,
    user_agent: `agent/${key.charCodeAt(3) % 20}`,
    duration_ms: Math.round(5 + -Math.log(1 - r()) * 80),
    request_bytes: 200,
    response_bytes: Math.floor(r() * 5000),
    session: { key, key_source: user ? 'jwt:authorization.sub' : 'ip+ua' },
    user,
    role: user ? 'customer' : undefined,
    attack_types: types,
    attack_count: types ? 1 : 0,
    attacked,
    blocked: attacked && r() < 0.5,
    is_error: status >= 500 ? 1 : 0,
  };
}

/**
 * Generates and bulk-loads the dataset (unless the marker says this one is there), then force-merges for stable
 * timings. `spec` defaults to BENCH_REQUESTS on 1 shard, 0 replicas.
 */
export async function ensureDataset(
  client: Client,
  prefix: string,
  log: (s: string) => void,
  spec: DatasetSpec = datasetSpec(),
): Promise<DatasetInfo> {
  const found = await existingDataset(client, prefix);
  if (found && matchesSpec(found, spec)) {
    log(`reusing dataset: ${found.requests} requests, ${found.sessions} sessions`);
    return found;
  }
  if (found) log(`the dataset in ${prefix} is not the one asked for (${JSON.stringify(spec)}): generating it again`);
  await client.indices.delete({ index: `${prefix}-requests-*` }, { ignore: [404] });
  await installTemplate(client, { indexPrefix: prefix, indexReplicas: spec.replicas, indexShards: spec.shards });
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const started = Date.now();
  let batch: StoredRequest[] = [];
  const inflight: Promise<void>[] = [];
  let written = 0;
  // Bulk-load settings on the daily indices (no refresh, translog synced in the background): 3× faster on 3 nodes
  // sharing 2 cores. Applied after the first batch created the days' indices and again at each progress line (a
  // day first written later); the index template's own settings come back before the final refresh.
  const loadSettings = (on: boolean) =>
    client.indices.putSettings({
      index: `${prefix}-requests-*`,
      body: { index: on ? LOAD_SETTINGS : TEMPLATE_SETTINGS },
    } as never);
  const flush = async (docs: StoredRequest[]) => {
    const body = docs.flatMap((d) => [{ index: { _index: indexForTime(prefix, d.ts), _id: d.id } }, d]);
    const res = await client.bulk({ body } as never);
    if ((res.body as { errors: boolean }).errors) throw new Error('bulk errors while loading the bench dataset');
    if (written === 0) await loadSettings(true);
    written += docs.length;
    if (written % (spec.requests >= 5_000_000 ? 1_000_000 : 100_000) < docs.length) {
      await loadSettings(true);
      log(`  loaded ${written} requests (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  };
  const gen = generate(end, spec.requests, spec.sessions);
  let step = gen.next();
  while (!step.done) {
    batch.push(step.value);
    step = gen.next();
    if (batch.length === 5000 || step.done) {
      // Two bulks in flight at a time.
      if (inflight.length >= 2) await inflight.shift();
      inflight.push(flush(batch));
      batch = [];
    }
  }
  const info: DatasetInfo = { ...step.value, target: spec.requests, shards: spec.shards, replicas: spec.replicas };
  await Promise.all(inflight);
  await loadSettings(false);
  await client.indices.refresh({ index: `${prefix}-requests-*` });
  // one request that may take minutes at 10M requests: no client timeout, no retry
  await client.indices.forcemerge({ index: `${prefix}-requests-*`, max_num_segments: 1 } as never, {
    requestTimeout: 3_600_000,
    maxRetries: 0,
  });
  await client.index({ index: markerIndex(prefix), id: 'dataset', body: info as never, refresh: true });
  log(
    `generated ${info.requests} requests in ${info.sessions} sessions (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return info;
}
