import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseLabelledToken, type LabelledToken } from './blocks/labels';
import { PREFIX_CLASH, prefixProblem } from './storage/indices';

/** Defaults, named so docs/configuration.md and the code agree. */
export const DEFAULTS = {
  PORT: 8080,
  HOST: '127.0.0.1',
  OPENSEARCH_URL: 'http://127.0.0.1:9200',
  INDEX_PREFIX: 'api-sessions',
  RETENTION_DAYS: 7,
  MAX_BODY_BYTES: 10 * 1024 * 1024,
  INDEX_REPLICAS: 0,
  INDEX_SHARDS: 1,
  RETENTION_INTERVAL_MINUTES: 60,
  BULK_BATCH_DOCS: 5000,
  MAX_INFLIGHT_RECORDS: 200_000,
  LOG_LEVEL: 'info',
  SPOOL_MAX_BYTES: 1024 * 1024 * 1024,
  BLOCK_DEFAULT_MINUTES: 60,
  BLOCK_MAX_MINUTES: 30 * 24 * 60,
  BLOCKS_REFRESH_MS: 2000,
  BLOCKS_STALE_AFTER_SECONDS: 60,
  BLOCKS_MAX_ACTIVE: 100_000,
  BLOCKS_HITS_FLUSH_MS: 10_000,
  QUERY_MAX_CELLS: 1_000_000,
  QUERY_CONCURRENCY: 4,
  QUERY_TIMEOUT_MS: 60_000,
  SPECS_REFRESH_MS: 10_000,
} as const;

const tokenList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, 'must list at least one token')
  .refine((list) => list.every((t) => t.length >= 16), 'every token must be at least 16 characters');

/** `label:token` entries (see blocks/labels.ts); every token ≥ 16 characters. */
const labelledTokenList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map(parseLabelledToken),
  )
  .refine((list) => list.length > 0, 'must list at least one token')
  .refine(
    (list) => list.every((t) => t.token.length >= 16),
    'every token must be at least 16 characters (after an optional "label:")',
  );

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * `OPENSEARCH_URL`: one node URL or several, comma-separated (`http://os1:9200,http://os2:9200`). Every entry must be
 * an http(s) URL, no entry twice. Messages name the entry by position, never by value (a URL may carry a password).
 */
export const opensearchUrls = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
  )
  .superRefine((list, ctx) => {
    if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one node URL' });
    list.forEach((u, i) => {
      let url: URL | undefined;
      try {
        url = new URL(u);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} of ${list.length} is not an http(s) URL` });
    });
    const seen = new Set<string>();
    list.forEach((u, i) => {
      let end = u.length;
      while (end > 0 && u[end - 1] === '/') end--; // no regex: linear on any input
      const key = u.slice(0, end).toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} repeats an earlier node URL` });
      seen.add(key);
    });
  });
/** Express's `trust proxy` value: false (the default), a hop count, or the trusted proxies' addresses. */
export type TrustProxy = boolean | number | string[];

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || isIP(address) === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
};

/**
 * TRUST_PROXY: `false` (default: the socket's address is the client), `true` (trust every proxy: only when nothing
 * can reach the service but your proxies), a number of proxy hops, or a comma-separated list of the proxies'
 * addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`. Example: `10.0.0.0/8,loopback`.
 */
const trustProxySchema = z
  .string()
  .transform((s): TrustProxy | undefined => {
    const v = s.trim().toLowerCase();
    if (v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    return list.length > 0 && list.every((e) => PROXY_PRESETS.has(e) || isProxyAddress(e)) ? list : undefined;
  })
  .refine(
    (v) => v !== undefined,
    'use false, true, a hop count, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal, uniquelocal',
  );

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(DEFAULTS.PORT),
  HOST: z.string().min(1).default(DEFAULTS.HOST),
  OPENSEARCH_URL: opensearchUrls.default([DEFAULTS.OPENSEARCH_URL]),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  OPENSEARCH_CA_FILE: z.string().optional(),
  OPENSEARCH_CERT_FILE: z.string().optional(),
  OPENSEARCH_KEY_FILE: z.string().optional(),
  OPENSEARCH_API_KEY: z.string().min(1).optional(),
  INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,60}$/, 'lower-case letters, digits, - and _ only (an OpenSearch index name prefix)')
    .refine((p) => prefixProblem(p) === undefined, PREFIX_CLASH)
    .default(DEFAULTS.INDEX_PREFIX),
  RETENTION_DAYS: intFrom(1, 365).default(DEFAULTS.RETENTION_DAYS),
  RETENTION_INTERVAL_MINUTES: intFrom(1, 24 * 60).default(DEFAULTS.RETENTION_INTERVAL_MINUTES),
  INGEST_TOKENS: tokenList,
  QUERY_TOKENS: tokenList,
  ADMIN_TOKENS: labelledTokenList.optional(),
  DECISION_TOKENS: tokenList.optional(),
  BLOCK_DEFAULT_MINUTES: intFrom(1, 365 * 24 * 60).default(DEFAULTS.BLOCK_DEFAULT_MINUTES),
  BLOCK_MAX_MINUTES: intFrom(1, 365 * 24 * 60).default(DEFAULTS.BLOCK_MAX_MINUTES),
  BLOCKS_REFRESH_MS: intFrom(100, 5000).default(DEFAULTS.BLOCKS_REFRESH_MS),
  BLOCKS_STALE_AFTER_SECONDS: intFrom(0, 24 * 3600).default(DEFAULTS.BLOCKS_STALE_AFTER_SECONDS),
  BLOCKS_MAX_ACTIVE: intFrom(1, 1_000_000).default(DEFAULTS.BLOCKS_MAX_ACTIVE),
  BLOCKS_HITS_FLUSH_MS: intFrom(100, 300_000).default(DEFAULTS.BLOCKS_HITS_FLUSH_MS),
  METRICS_TOKENS: tokenList.optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters'),
  SESSION_CONFIG: z.string().optional(),
  SPECS_DIR: z.string().optional(),
  FLOWS_CONFIG: z.string().optional(),
  SPECS_REFRESH_MS: intFrom(100, 3_600_000).default(DEFAULTS.SPECS_REFRESH_MS),
  MAX_BODY_BYTES: intFrom(1024, 1024 * 1024 * 1024).default(DEFAULTS.MAX_BODY_BYTES),
  INDEX_REPLICAS: intFrom(0, 10).default(DEFAULTS.INDEX_REPLICAS),
  INDEX_SHARDS: intFrom(1, 64).default(DEFAULTS.INDEX_SHARDS),
  BULK_BATCH_DOCS: intFrom(1, 100_000).default(DEFAULTS.BULK_BATCH_DOCS),
  MAX_INFLIGHT_RECORDS: intFrom(1000, 10_000_000).default(DEFAULTS.MAX_INFLIGHT_RECORDS),
  SPOOL_DIR: z.string().optional(),
  SPOOL_MAX_BYTES: intFrom(1024 * 1024, 1024 ** 4).default(DEFAULTS.SPOOL_MAX_BYTES),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(DEFAULTS.LOG_LEVEL),
  TRUST_PROXY: trustProxySchema.optional(),
  DEV_MODE: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(false),
  QUERY_MAX_CELLS: intFrom(1000, 1_000_000_000).default(DEFAULTS.QUERY_MAX_CELLS),
  QUERY_CONCURRENCY: intFrom(1, 1000).default(DEFAULTS.QUERY_CONCURRENCY),
  QUERY_TIMEOUT_MS: intFrom(1000, 3_600_000).default(DEFAULTS.QUERY_TIMEOUT_MS),
});

/** The secrets whose published placeholders (`dev-…-change-me`) are refused outside DEV_MODE. */
const SECRET_VARIABLES = [
  'INGEST_TOKENS',
  'QUERY_TOKENS',
  'ADMIN_TOKENS',
  'DECISION_TOKENS',
  'METRICS_TOKENS',
  'SESSION_SECRET',
] as const;

/** True for the placeholders shipped in docs and scripts (`dev-ingest-token-change-me`): anyone knows them. */
export const isPlaceholderSecret = (value: string) => value.toLowerCase().endsWith('change-me');

/** The validated service configuration. */
export interface Config {
  port: number;
  host: string;
  /**
   * Node URLs (one or more; the client spreads requests over them), and how to authenticate: basic auth
   * (username/password), an API key (`Authorization: ApiKey …`), a client certificate (mutual TLS), a CA to trust.
   */
  opensearch: {
    urls: readonly string[];
    username?: string;
    password?: string;
    apiKey?: string;
    caFile?: string;
    certFile?: string;
    keyFile?: string;
  };
  indexPrefix: string;
  retentionDays: number;
  retentionIntervalMs: number;
  ingestTokens: readonly string[];
  queryTokens: readonly string[];
  /** Tokens of the admin scope (`POST /v1/specs`, block changes); empty = those routes refused. */
  adminTokens: readonly string[];
  /** The admin tokens with their labels (a block's history names the label, never the token). */
  adminTokenLabels: readonly LabelledToken[];
  /** Tokens a proxy sends as `X-Decision-Token` to `GET /v1/decision`; empty = the endpoint is off (404). */
  decisionTokens: readonly string[];
  /** Session blocking (docs/configuration.md "Blocking"). */
  blocks: {
    defaultMinutes: number;
    maxMinutes: number;
    refreshMs: number;
    staleAfterMs: number;
    maxActive: number;
    /** How often the hit counts of the decisions are added to their blocks (one bulk request). */
    hitsFlushMs: number;
  };
  /** Tokens of the metrics scope (`GET /metrics`); empty = the endpoint is off (404). */
  metricsTokens: readonly string[];
  sessionSecret: string;
  sessionConfigPath?: string;
  /** Folder of the OpenAPI specs and their versions (docs/inventory.md). */
  specsDir?: string;
  /** How often each instance copies the specs other instances uploaded (`<prefix>-specs`) into its SPECS_DIR. */
  specsRefreshMs: number;
  /** Business-flow rules file (docs/inventory.md); built-in flows when unset. */
  flowsConfigPath?: string;
  maxBodyBytes: number;
  indexReplicas: number;
  indexShards: number;
  bulkBatchDocs: number;
  maxInflightRecords: number;
  logLevel: string;
  /** Query cost bounds (docs/configuration.md): aggregation buckets one query may read, heavy queries at once, time limit. */
  query: { maxCells: number; concurrency: number; timeoutMs: number };
  spool?: { dir: string; maxBytes: number };
  tls?: { certFile: string; keyFile: string };
  /** Express's `trust proxy`: which X-Forwarded-For hops name the client (auth-failure limiter, logs). */
  trustProxy: TrustProxy;
  /** DEV_MODE: the published `*-change-me` secrets are accepted (`npm start` only). */
  devMode: boolean;
}

/**
 * Splits credentials out of an OpenSearch URL: `https://u:p%40ss@h:9200` → url `https://h:9200/`, username `u`,
 * password `p@ss`. The URL is logged; the credentials never are (issue 13).
 */
export function splitUrlCredentials(raw: string): { url: string; username?: string; password?: string } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), username, password };
}

/** Secrets that may come from a file named by `<NAME>_FILE` (docker-compose and Kubernetes secrets). */
const FILE_VARIABLES = [
  'INGEST_TOKENS',
  'QUERY_TOKENS',
  'ADMIN_TOKENS',
  'DECISION_TOKENS',
  'METRICS_TOKENS',
  'SESSION_SECRET',
  'OPENSEARCH_USERNAME',
  'OPENSEARCH_PASSWORD',
  'OPENSEARCH_API_KEY',
] as const;

/** Variables naming a PEM file the service reads (a CA, a certificate or a key). */
const PEM_FILE_VARIABLES = [
  'OPENSEARCH_CA_FILE',
  'OPENSEARCH_CERT_FILE',
  'OPENSEARCH_KEY_FILE',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
] as const;

/**
 * Checks that each PEM file named by the environment can be read and looks like PEM, so a wrong path or permission
 * stops the start-up with exit code 2 and a line naming the variable and the file, not a stack trace later.
 * Returns the problems (never the file's content).
 * Example: `TLS_KEY_FILE=/run/secrets/nope` → `TLS_KEY_FILE: cannot read /run/secrets/nope: ENOENT: no such file …`.
 */
export function checkPemFiles(
  env: Partial<Record<(typeof PEM_FILE_VARIABLES)[number], string>>,
  readText: (path: string) => string,
): string[] {
  const problems: string[] = [];
  for (const name of PEM_FILE_VARIABLES) {
    const file = env[name];
    if (file === undefined) continue;
    let text: string;
    try {
      text = readText(file);
    } catch (err) {
      problems.push(`${name}: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!text.includes('-----BEGIN ')) problems.push(`${name}: ${file} is not a PEM file (no "-----BEGIN" line)`);
  }
  return problems;
}

/**
 * Fills `<NAME>` from the file `<NAME>_FILE` names, for each secret whose variable is unset: the file's text
 * trimmed, with lines joined by commas for token lists (one token a line works). Returns the problems.
 */
function readSecretFiles(env: Record<string, string>, readText: (path: string) => string): string[] {
  const problems: string[] = [];
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || env[name] !== undefined) continue;
    try {
      const text = readText(file).trim();
      env[name] = name.endsWith('_TOKENS') ? text.split(/\r?\n/).join(',') : text;
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

/** Thrown when the environment is invalid; `problems` lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads and validates the environment once. Throws ConfigError listing every missing or invalid
 * variable (never echoing secret values).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const fileProblems = readSecretFiles(cleaned, readText);
  if (fileProblems.length > 0) throw new ConfigError(fileProblems);
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (!e.DEV_MODE) {
    const placeholders = SECRET_VARIABLES.filter((name) => {
      const v = e[name];
      if (v === undefined) return false;
      const values = typeof v === 'string' ? [v] : v.map((t) => (typeof t === 'string' ? t : t.token));
      return values.some(isPlaceholderSecret);
    });
    if (placeholders.length > 0)
      throw new ConfigError(
        placeholders.map(
          (name) => `${name}: a published placeholder (*-change-me); set your own, or DEV_MODE=true for a local demo`,
        ),
      );
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE))
    throw new ConfigError(['TLS_CERT_FILE/TLS_KEY_FILE: set both or neither']);
  if (Boolean(e.OPENSEARCH_CERT_FILE) !== Boolean(e.OPENSEARCH_KEY_FILE))
    throw new ConfigError(['OPENSEARCH_CERT_FILE/OPENSEARCH_KEY_FILE: set both or neither']);
  const pemProblems = checkPemFiles(e, readText);
  if (pemProblems.length > 0) throw new ConfigError(pemProblems);
  const overlap = e.INGEST_TOKENS.filter((t) => e.QUERY_TOKENS.includes(t));
  if (overlap.length > 0) throw new ConfigError(['INGEST_TOKENS/QUERY_TOKENS: a token cannot be in both scopes']);
  const adminLabelled = e.ADMIN_TOKENS ?? [];
  const admin = adminLabelled.map((t) => t.token);
  if (admin.some((t) => e.INGEST_TOKENS.includes(t) || e.QUERY_TOKENS.includes(t)))
    throw new ConfigError(['ADMIN_TOKENS: an admin token cannot also be an ingest or query token']);
  const decision = e.DECISION_TOKENS ?? [];
  if (decision.some((t) => e.INGEST_TOKENS.includes(t) || e.QUERY_TOKENS.includes(t) || admin.includes(t)))
    throw new ConfigError(['DECISION_TOKENS: a decision token cannot also be an ingest, query or admin token']);
  if (e.BLOCK_DEFAULT_MINUTES > e.BLOCK_MAX_MINUTES)
    throw new ConfigError(['BLOCK_DEFAULT_MINUTES: must not be more than BLOCK_MAX_MINUTES']);
  const metrics = e.METRICS_TOKENS ?? [];
  if (
    metrics.some(
      (t) => e.INGEST_TOKENS.includes(t) || e.QUERY_TOKENS.includes(t) || admin.includes(t) || decision.includes(t),
    )
  )
    throw new ConfigError(['METRICS_TOKENS: a metrics token cannot also be an ingest, query, admin or decision token']);
  // Credentials in a node URL apply unless OPENSEARCH_USERNAME is set; the URLs kept in the config have none.
  const nodes = e.OPENSEARCH_URL.map(splitUrlCredentials);
  const fromUrl: { username?: string; password?: string } = nodes.find((n) => n.username !== undefined) ?? {};
  const explicit = e.OPENSEARCH_USERNAME !== undefined;
  if (e.OPENSEARCH_API_KEY !== undefined && (explicit || fromUrl.username !== undefined))
    throw new ConfigError([
      'OPENSEARCH_API_KEY: set an API key or basic auth (OPENSEARCH_USERNAME, or credentials in OPENSEARCH_URL), not both',
    ]);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    opensearch: {
      urls: nodes.map((n) => n.url),
      username: explicit ? e.OPENSEARCH_USERNAME : fromUrl.username,
      password: explicit ? e.OPENSEARCH_PASSWORD : (fromUrl.password ?? e.OPENSEARCH_PASSWORD),
      apiKey: e.OPENSEARCH_API_KEY,
      caFile: e.OPENSEARCH_CA_FILE,
      certFile: e.OPENSEARCH_CERT_FILE,
      keyFile: e.OPENSEARCH_KEY_FILE,
    },
    indexPrefix: e.INDEX_PREFIX,
    retentionDays: e.RETENTION_DAYS,
    retentionIntervalMs: e.RETENTION_INTERVAL_MINUTES * 60_000,
    ingestTokens: e.INGEST_TOKENS,
    queryTokens: e.QUERY_TOKENS,
    adminTokens: admin,
    adminTokenLabels: adminLabelled,
    decisionTokens: decision,
    blocks: {
      defaultMinutes: e.BLOCK_DEFAULT_MINUTES,
      maxMinutes: e.BLOCK_MAX_MINUTES,
      refreshMs: e.BLOCKS_REFRESH_MS,
      staleAfterMs: e.BLOCKS_STALE_AFTER_SECONDS * 1000,
      maxActive: e.BLOCKS_MAX_ACTIVE,
      hitsFlushMs: e.BLOCKS_HITS_FLUSH_MS,
    },
    metricsTokens: metrics,
    sessionSecret: e.SESSION_SECRET,
    sessionConfigPath: e.SESSION_CONFIG,
    specsDir: e.SPECS_DIR,
    specsRefreshMs: e.SPECS_REFRESH_MS,
    flowsConfigPath: e.FLOWS_CONFIG,
    maxBodyBytes: e.MAX_BODY_BYTES,
    indexReplicas: e.INDEX_REPLICAS,
    indexShards: e.INDEX_SHARDS,
    bulkBatchDocs: e.BULK_BATCH_DOCS,
    maxInflightRecords: e.MAX_INFLIGHT_RECORDS,
    logLevel: e.LOG_LEVEL,
    query: { maxCells: e.QUERY_MAX_CELLS, concurrency: e.QUERY_CONCURRENCY, timeoutMs: e.QUERY_TIMEOUT_MS },
    spool: e.SPOOL_DIR ? { dir: e.SPOOL_DIR, maxBytes: e.SPOOL_MAX_BYTES } : undefined,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    trustProxy: e.TRUST_PROXY ?? false,
    devMode: e.DEV_MODE,
  });
}
