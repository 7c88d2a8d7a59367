/** Command-line options of `npm run import` (pure: argv + env in, options or a UsageError out). */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FORMATS, type Format } from './detect-format';

/** Defaults, also shown by `--help`. */
const DEFAULTS = {
  url: 'http://127.0.0.1:8080',
  batch: 1000,
  concurrency: 2,
} as const;

/** Parsed options. */
export interface ImportOptions {
  input: string;
  format: Format | 'auto';
  url: string;
  token: string;
  shiftToNow: boolean;
  /** The "now" of `--shift-to-now` (epoch ms), when `--now` pins it; else the clock at the shift. */
  now?: number;
  host?: string;
  app?: string;
  limit?: number;
  batch: number;
  concurrency: number;
  dryRun: boolean;
  help: boolean;
}

/** A wrong command line; the message is shown with a pointer to `--help` (exit code 2). */
export class UsageError extends Error {}

/** The `--help` text. */
export const USAGE = `Usage: npm run import -- <file|-> [options]
   or: api-sessions-import <file|-> [options]

Imports access logs into API Sessions: reads nginx/Apache "combined" logs, nginx JSON logs
(log_format api_sessions, docs/integrations/nginx.md) or NDJSON records in the ingest format,
plain or gzip, from a file or stdin (-), and posts them to POST /v1/requests.

Options:
  --format F         auto | combined | nginx-json | ndjson (default auto: from the first lines)
  --url URL          service base URL (env SERVICE_URL, default ${DEFAULTS.url})
  --token-file F     read the ingest token from file F (first line; env INGEST_TOKEN_FILE)
                     otherwise env INGEST_TOKEN; required unless --dry-run. Never on the command
                     line: other users of the machine see it (ps, shell history)
  --shift-to-now     move all timestamps so the newest line is at now - 1 min (spacing kept)
  --now T            the "now" of --shift-to-now (RFC 3339 or epoch ms; default the clock). Give the
                     same T to import a log again with the same timestamps: nothing is stored twice
  --host H           set the host of every record (combined logs have none: default "localhost")
  --app A            set the app of every record
  --limit N          read at most N lines
  --batch N          records per request (default ${DEFAULTS.batch}, max 10000)
  --concurrency N    requests in flight (default ${DEFAULTS.concurrency}, max 16)
  --dry-run          print the records as NDJSON on stdout instead of posting them
  -h, --help         this help

Exit code: 0 when something was accepted or the input was empty; 1 when the service is unreachable,
refused the token, or nothing was accepted; 2 for a wrong command line.

Examples:
  npm run import -- /var/log/nginx/access.log.1 --host api.example.com --shift-to-now
  zcat access.log.*.gz | npm run import -- - --format combined --limit 100000
  npm run import -- /var/log/nginx/api_sessions.json.log.gz --token-file /run/secrets/ingest-token`;

/**
 * Parses argv (without node and script) and the environment; reads the token file with `readText`. Throws
 * UsageError (never quoting a token).
 */
export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ImportOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        url: { type: 'string' },
        // Still parsed, only to refuse it with a clear message (a token in argv is visible to every local user).
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'shift-to-now': { type: 'boolean' },
        now: { type: 'string' },
        host: { type: 'string' },
        app: { type: 'string' },
        limit: { type: 'string' },
        batch: { type: 'string' },
        concurrency: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  const help = v.help === true;
  const dryRun = v['dry-run'] === true;
  const problems: string[] = [];
  if (!help && parsed.positionals.length !== 1) {
    problems.push(
      parsed.positionals.length === 0 ? 'missing input: a file name, or - for stdin' : 'only one input file at a time',
    );
  }
  const format = (v.format ?? 'auto') as Format | 'auto';
  if (format !== 'auto' && !FORMATS.includes(format)) problems.push(`--format must be auto, ${FORMATS.join(', ')}`);
  const url = (v.url ?? env.SERVICE_URL ?? '').trim() || DEFAULTS.url;
  if (!/^https?:\/\/[^/]/.test(url)) problems.push('--url / SERVICE_URL must be an http(s) URL');
  if (v.token !== undefined)
    problems.push(
      '--token is not accepted (other users of the machine could read it from the process list): ' +
        'set env INGEST_TOKEN or --token-file FILE',
    );
  const token = readToken(v['token-file'] ?? env.INGEST_TOKEN_FILE, env.INGEST_TOKEN, readText, problems);
  if (!help && !dryRun && !token && v.token === undefined)
    problems.push(
      "an ingest token is required: env INGEST_TOKEN or --token-file FILE (one of the service's INGEST_TOKENS)",
    );
  const int = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
      problems.push(`--${name} must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return n;
  };
  const limit = int('limit', v.limit, 1, Number.MAX_SAFE_INTEGER);
  const batch = int('batch', v.batch, 1, 10_000) ?? DEFAULTS.batch;
  const concurrency = int('concurrency', v.concurrency, 1, 16) ?? DEFAULTS.concurrency;
  const now = v.now === undefined ? undefined : parseTime(v.now);
  if (v.now !== undefined) {
    if (now === undefined) problems.push('--now must be an RFC 3339 time (2026-11-30T12:00:00Z) or epoch milliseconds');
    else if (v['shift-to-now'] !== true) problems.push('--now only applies with --shift-to-now');
  }
  for (const name of ['host', 'app'] as const) {
    if (v[name] !== undefined && v[name]!.trim() === '') problems.push(`--${name} must not be empty`);
  }
  if (problems.length > 0 && !help) throw new UsageError(problems.join('\n'));
  return {
    input: parsed.positionals[0] ?? '-',
    format,
    url,
    token,
    shiftToNow: v['shift-to-now'] === true,
    now,
    host: v.host?.trim(),
    app: v.app?.trim(),
    limit,
    batch,
    concurrency,
    dryRun,
    help,
  };
}

/** `--now`: epoch milliseconds (digits) or an RFC 3339 / ISO 8601 time with a zone; undefined when neither. */
export function parseTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{1,15}$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t) || !/(?:Z|[+-]\d{2}:\d{2})$/i.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The token from a file (its first line), else from `envToken`; a file that cannot be read is a problem. */
function readToken(
  file: string | undefined,
  envToken: string | undefined,
  readText: (path: string) => string,
  problems: string[],
): string {
  if (file === undefined || file.trim() === '') return (envToken ?? '').trim();
  try {
    return readText(file).split(/\r?\n/, 1)[0].trim();
  } catch (err) {
    problems.push(`--token-file: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
    return '';
  }
}
