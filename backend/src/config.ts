import { z } from 'zod';

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
  QUERY_MAX_CELLS: 1_000_000,
  QUERY_CONCURRENCY: 4,
  QUERY_TIMEOUT_MS: 60_000,
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

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(DEFAULTS.PORT),
  HOST: z.string().min(1).default(DEFAULTS.HOST),
  OPENSEARCH_URL: z.url().default(DEFAULTS.OPENSEARCH_URL),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  OPENSEARCH_CA_FILE: z.string().optional(),
  INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,60}$/, 'lower-case letters, digits, - and _ only (an OpenSearch index name prefix)')
    .default(DEFAULTS.INDEX_PREFIX),
  RETENTION_DAYS: intFrom(1, 365).default(DEFAULTS.RETENTION_DAYS),
  RETENTION_INTERVAL_MINUTES: intFrom(1, 24 * 60).default(DEFAULTS.RETENTION_INTERVAL_MINUTES),
  INGEST_TOKENS: tokenList,
  QUERY_TOKENS: tokenList,
  ADMIN_TOKENS: tokenList.optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters'),
  SESSION_CONFIG: z.string().optional(),
  SPECS_DIR: z.string().optional(),
  FLOWS_CONFIG: z.string().optional(),
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
  QUERY_MAX_CELLS: intFrom(1000, 1_000_000_000).default(DEFAULTS.QUERY_MAX_CELLS),
  QUERY_CONCURRENCY: intFrom(1, 1000).default(DEFAULTS.QUERY_CONCURRENCY),
  QUERY_TIMEOUT_MS: intFrom(1000, 3_600_000).default(DEFAULTS.QUERY_TIMEOUT_MS),
});

/** The validated service configuration. */
export interface Config {
  port: number;
  host: string;
  opensearch: { url: string; username?: string; password?: string; caFile?: string };
  indexPrefix: string;
  retentionDays: number;
  retentionIntervalMs: number;
  ingestTokens: readonly string[];
  queryTokens: readonly string[];
  /** Tokens of the admin scope (`POST /v1/specs`); empty = spec uploads refused. */
  adminTokens: readonly string[];
  sessionSecret: string;
  sessionConfigPath?: string;
  /** Folder of the OpenAPI specs and their versions (docs/inventory.md). */
  specsDir?: string;
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
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE))
    throw new ConfigError(['TLS_CERT_FILE/TLS_KEY_FILE: set both or neither']);
  const overlap = e.INGEST_TOKENS.filter((t) => e.QUERY_TOKENS.includes(t));
  if (overlap.length > 0) throw new ConfigError(['INGEST_TOKENS/QUERY_TOKENS: a token cannot be in both scopes']);
  const admin = e.ADMIN_TOKENS ?? [];
  if (admin.some((t) => e.INGEST_TOKENS.includes(t) || e.QUERY_TOKENS.includes(t)))
    throw new ConfigError(['ADMIN_TOKENS: an admin token cannot also be an ingest or query token']);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    opensearch: {
      url: e.OPENSEARCH_URL,
      username: e.OPENSEARCH_USERNAME,
      password: e.OPENSEARCH_PASSWORD,
      caFile: e.OPENSEARCH_CA_FILE,
    },
    indexPrefix: e.INDEX_PREFIX,
    retentionDays: e.RETENTION_DAYS,
    retentionIntervalMs: e.RETENTION_INTERVAL_MINUTES * 60_000,
    ingestTokens: e.INGEST_TOKENS,
    queryTokens: e.QUERY_TOKENS,
    adminTokens: admin,
    sessionSecret: e.SESSION_SECRET,
    sessionConfigPath: e.SESSION_CONFIG,
    specsDir: e.SPECS_DIR,
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
  });
}
