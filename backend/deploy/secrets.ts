/**
 * Secrets of the docker-compose stack, generated on its first start (docker-compose.yml, service `secrets`):
 *
 *   node dist-service/secrets.js /run/api-sessions     (in the image: the bundle of `npm run build:service`)
 *   npx tsx backend/deploy/secrets.ts <folder>          (from a checkout)
 *
 * For each secret: the value of its environment variable when set (e.g. from a `.env` file next to
 * docker-compose.yml), else the value already in the folder, else 32 random bytes (hex). Each is written to its own
 * file, which the service (`INGEST_TOKENS_FILE`, …), Grafana (`$__file{…}`), Prometheus (`credentials_file`) and the
 * demo read. Values are never printed; the file names are.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** file name → the environment variable that overrides it. */
export const COMPOSE_SECRETS = {
  'ingest-token': 'INGEST_TOKEN',
  'query-token': 'QUERY_TOKEN',
  'admin-token': 'ADMIN_TOKEN',
  'decision-token': 'DECISION_TOKEN',
  'metrics-token': 'METRICS_TOKEN',
  'session-secret': 'SESSION_SECRET',
  'grafana-admin-password': 'GRAFANA_ADMIN_PASSWORD',
} as const;

/** What happened to each secret file: `env` (from the variable), `kept`, or `generated`. */
export type SecretSource = 'env' | 'kept' | 'generated';

/**
 * Makes sure every secret file exists in `dir` (mode 0644: the folder is a volume only the stack's containers mount,
 * and they run as different users). Returns file name → source.
 */
export function ensureComposeSecrets(dir: string, env: NodeJS.ProcessEnv = process.env): Record<string, SecretSource> {
  mkdirSync(dir, { recursive: true });
  const out: Record<string, SecretSource> = {};
  for (const [file, variable] of Object.entries(COMPOSE_SECRETS)) {
    const target = path.join(dir, file);
    const given = env[variable]?.trim();
    const existing = existsSync(target) ? readFileSync(target, 'utf8').trim() : '';
    if (given) {
      if (given !== existing) writeFileSync(target, `${given}\n`);
      out[file] = 'env';
    } else if (existing) {
      out[file] = 'kept';
    } else {
      writeFileSync(target, `${randomBytes(32).toString('hex')}\n`);
      out[file] = 'generated';
    }
    chmodSync(target, 0o644);
  }
  return out;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist-service/secrets.js <folder> (or tsx backend/deploy/secrets.ts <folder>)\n');
    process.exit(2);
  }
  const sources = ensureComposeSecrets(dir);
  for (const [file, source] of Object.entries(sources)) process.stdout.write(`${path.join(dir, file)}: ${source}\n`);
}
