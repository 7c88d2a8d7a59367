/**
 * `npm run demo`: generates the demo traffic (generate.ts) and posts it to a running service.
 *
 * Environment:
 *   SERVICE_URL   service base URL (default http://127.0.0.1:8080)
 *   INGEST_TOKEN  an ingest bearer token (one of the service's INGEST_TOKENS) — required
 *   DEMO_SEED     PRNG seed (default 42)
 *   DEMO_HOURS    window length in hours, ending at DEMO_NOW (default 6)
 *   DEMO_NOW      end of the window: RFC 3339 / ISO date or epoch ms (default: now)
 *
 * Exit status: 0 when at least one record was accepted; 1 when the service rejected everything, is unreachable,
 * refused the token, or the configuration is invalid.
 */
import { countByActor, generateDemoTagged } from './generate';
import { PostError, postRecords } from '../client/post';

export interface CliEnv {
  serviceUrl: string;
  token: string;
  seed: number;
  hours: number;
  now: number;
}

/** Reads and checks the environment; throws Error with a user-facing message. */
export function readEnv(env: NodeJS.ProcessEnv, clock: () => number = Date.now): CliEnv {
  const problems: string[] = [];
  const serviceUrl = env.SERVICE_URL?.trim() || 'http://127.0.0.1:8080';
  try {
    const u = new URL(serviceUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      problems.push(`SERVICE_URL must be http(s), got "${serviceUrl}"`);
  } catch {
    problems.push(`SERVICE_URL is not a URL: "${serviceUrl}"`);
  }
  const token = env.INGEST_TOKEN?.trim() ?? '';
  if (!token) problems.push("INGEST_TOKEN is required (one of the service's INGEST_TOKENS)");
  const seedText = env.DEMO_SEED?.trim() || '42';
  const seed = Number(seedText);
  if (!Number.isInteger(seed)) problems.push(`DEMO_SEED must be an integer, got "${seedText}"`);
  const hoursText = env.DEMO_HOURS?.trim() || '6';
  const hours = Number(hoursText);
  if (!(Number.isFinite(hours) && hours > 0 && hours <= 24 * 30))
    problems.push(`DEMO_HOURS must be a number of hours > 0, got "${hoursText}"`);
  let now = clock();
  const nowText = env.DEMO_NOW?.trim();
  if (nowText) {
    now = /^\d+$/.test(nowText) ? Number(nowText) : Date.parse(nowText);
    if (!Number.isFinite(now)) problems.push(`DEMO_NOW must be an ISO date or epoch milliseconds, got "${nowText}"`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { serviceUrl, token, seed, hours, now };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let cfg: CliEnv;
  try {
    cfg = readEnv(env);
  } catch (err) {
    console.error(`demo: ${(err as Error).message.split('\n').join('\ndemo: ')}`);
    return 1;
  }
  if (cfg.hours > 7 * 24) {
    console.log("demo: note: records older than the service's RETENTION_DAYS (default 7) will be rejected");
  }
  const tagged = generateDemoTagged({ seed: cfg.seed, now: cfg.now, hours: cfg.hours });
  const records = tagged.map((t) => t.record);
  const counts = countByActor(tagged);
  console.log(
    `demo: generated ${records.length} records (seed ${cfg.seed}, ${cfg.hours} h ending ${new Date(cfg.now).toISOString()})`,
  );
  console.log(
    `demo: per actor: ${Object.entries(counts)
      .map(([a, n]) => `${a}=${n}`)
      .join(', ')}`,
  );
  console.log(`demo: posting to ${cfg.serviceUrl} …`);
  try {
    const res = await postRecords(cfg.serviceUrl, cfg.token, records, {
      batchSize: 500,
      gzip: true,
      jsonArrayBatches: 1,
      onProgress: (p) => console.log(`demo: posted ${p.posted}/${p.total} records…`),
      onRetry: (r) =>
        console.log(
          `demo: batch ${r.batch + 1}: ${r.status === 'network' ? 'network error' : `HTTP ${r.status}`}, retrying in ${(r.waitMs / 1000).toFixed(1)} s (attempt ${r.attempt})`,
        ),
    });
    const secs = (res.durationMs / 1000).toFixed(1);
    console.log(
      `demo: done in ${secs} s: accepted ${res.accepted}, rejected ${res.rejected}${res.retries ? `, ${res.retries} retries` : ''}`,
    );
    for (const e of res.errors.slice(0, 10))
      console.log(`demo:   record ${e.index}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
    if (res.errors.length > 10) console.log(`demo:   … ${res.errors.length - 10} more errors not shown`);
    if (res.accepted === 0) {
      console.error(
        'demo: the service rejected every record' +
          (res.failedStatuses.length ? ` (HTTP ${[...new Set(res.failedStatuses)].join(', ')})` : ''),
      );
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof PostError) {
      if (err.code === 'unreachable') {
        console.error(
          `demo: ${err.message}\ndemo: is the service running? Start it with \`npm run service\` (or \`npm run up\`) or set SERVICE_URL.`,
        );
      } else if (err.code === 'unauthorized') {
        console.error(
          `demo: ${err.message}\ndemo: INGEST_TOKEN must be one of the service's INGEST_TOKENS (not a query token).`,
        );
      } else {
        console.error(`demo: ${err.message}`);
      }
      if (err.partial && err.partial.accepted > 0)
        console.error(`demo: ${err.partial.accepted} records were accepted before the failure`);
      return 1;
    }
    console.error(`demo: unexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
