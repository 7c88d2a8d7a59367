/**
 * The benchmark dataset: 7 days, ~1,000,000 requests in ~50,000 sessions, written straight into daily indices
 * of a bench prefix (bulk). Reused when already there (a marker document records what was generated). Session keys
 * are hex digests, spread over the key space like the HMAC keys of real data.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { indexForTime } from '../../backend/src/storage/indices';
import type { StoredRequest } from '../../backend/src/storage/mappings';
import { installTemplate } from '../../backend/src/storage/template';
import { mulberry32 } from '../../backend/demo/rng';

export const DAY = 86_400_000;
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
}

/** 2: session keys are SHA-256 hex digests, like the HMAC keys ingest stores (1 had `k<hex>000…`, all in one key range). */
const VERSION = 2;
const ENDPOINTS = Array.from({ length: 200 }, (_, i) =>
  i % 10 === 0 ? `/api/v1/login${i}` : `/api/v${1 + (i % 3)}/res${i}/{int}`,
);
const HOSTS = ['api.example.com', 'shop.example.com', 'pay.example.com', 'admin.example.com', 'm.example.com'];
const ATTACKS = ['sqli', 'xss', 'rce', 'ptrav', 'ssrf'];

const rng = mulberry32;

const markerIndex = (prefix: string) => `${prefix}-bench-meta`;

/** Reads the marker of a previous generation, if complete. */
export async function existingDataset(client: Client, prefix: string): Promise<DatasetInfo | null> {
  const res = await client.get({ index: markerIndex(prefix), id: 'dataset' }, { ignore: [404] });
  const info = (res.body as { _source?: DatasetInfo })._source;
  return info && info.version === VERSION ? info : null;
}

/** Generates sessions one by one (request counts skewed: many short, a few long), calling `emit` per request. */
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

/** Generates and bulk-loads the dataset (unless the marker says it is there), then force-merges for stable timings. */
export async function ensureDataset(client: Client, prefix: string, log: (s: string) => void): Promise<DatasetInfo> {
  const found = await existingDataset(client, prefix);
  if (found) {
    log(`reusing dataset: ${found.requests} requests, ${found.sessions} sessions`);
    return found;
  }
  await client.indices.delete({ index: `${prefix}-requests-*` }, { ignore: [404] });
  await installTemplate(client, { indexPrefix: prefix, indexReplicas: 0, indexShards: 1 });
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const started = Date.now();
  let batch: StoredRequest[] = [];
  const inflight: Promise<void>[] = [];
  let written = 0;
  const flush = async (docs: StoredRequest[]) => {
    const body = docs.flatMap((d) => [{ index: { _index: indexForTime(prefix, d.ts), _id: d.id } }, d]);
    const res = await client.bulk({ body } as never);
    if ((res.body as { errors: boolean }).errors) throw new Error('bulk errors while loading the bench dataset');
    written += docs.length;
    if (written % 100_000 < docs.length)
      log(`  loaded ${written} requests (${Math.round((Date.now() - started) / 1000)} s)`);
  };
  const gen = generate(end, 1_000_000, 50_000);
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
  const info = step.value;
  await Promise.all(inflight);
  await client.indices.refresh({ index: `${prefix}-requests-*` });
  await client.indices.forcemerge({ index: `${prefix}-requests-*`, max_num_segments: 1 } as never);
  await client.index({ index: markerIndex(prefix), id: 'dataset', body: info as never, refresh: true });
  log(
    `generated ${info.requests} requests in ${info.sessions} sessions (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return info;
}
