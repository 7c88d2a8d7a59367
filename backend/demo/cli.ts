/**
 * `npm run demo`: generates the demo traffic (generate.ts) and posts it to a running service.
 *
 * Environment:
 *   SERVICE_URL   service base URL (default http://127.0.0.1:8080)
 *   INGEST_TOKEN  an ingest bearer token (one of the service's INGEST_TOKENS) — required
 *   DEMO_SEED     PRNG seed (default 42)
 *   DEMO_HOURS    window length in hours, ending at DEMO_NOW (default 6)
 *   DEMO_NOW      end of the window: RFC 3339 / ISO date or epoch ms (default: now)
 *   DEMO_SKIP_IF_DATA  `true`: post nothing when the service already holds requests in the window (docker-compose's
 *                 demo runs on every `up`; without this each `up` added another DEMO_HOURS of traffic). Needs
 *                 QUERY_TOKEN (one of the service's QUERY_TOKENS) to ask.
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
  /** Set with DEMO_SKIP_IF_DATA=true: the query token that asks whether the window holds requests already. */
  skipIfDataToken?: string;
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
  const skip = env.DEMO_SKIP_IF_DATA?.trim() || 'false';
  if (skip !== 'true' && skip !== 'false') problems.push(`DEMO_SKIP_IF_DATA must be true or false, got "${skip}"`);
  const queryToken = env.QUERY_TOKEN?.trim() ?? '';
  if (skip === 'true' && !queryToken)
    problems.push("DEMO_SKIP_IF_DATA=true needs QUERY_TOKEN (one of the service's QUERY_TOKENS)");
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { serviceUrl, token, seed, hours, now, ...(skip === 'true' ? { skipIfDataToken: queryToken } : {}) };
}

/**
 * True when the service holds at least one request in the demo's window (`now - hours` … `now`), asked with a
 * `requests` query of one row. Throws Error when the service does not answer 200.
 */
export async function windowHasRequests(cfg: CliEnv, queryToken: string): Promise<boolean> {
  const res = await fetch(new URL('/v1/query', cfg.serviceUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${queryToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ queryType: 'requests', from: cfg.now - cfg.hours * 3_600_000, to: cfg.now, page_size: 1 }),
  });
  if (res.status !== 200) throw new Error(`asking for existing requests: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { frames: Array<{ data: { values: unknown[][] } }> };
  return body.frames.some((f) => (f.data.values[0]?.length ?? 0) > 0);
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let cfg: CliEnv;
  try {
    cfg = readEnv(env);
  } catch (err) {
    console.error(`demo: ${(err as Error).message.split('\n').join('\ndemo: ')}`);
    return 1;
  }
  if (cfg.skipIfDataToken !== undefined) {
    try {
      if (await windowHasRequests(cfg, cfg.skipIfDataToken)) {
        console.log(
          `demo: the service holds requests of the last ${cfg.hours} h already; posted nothing (DEMO_SKIP_IF_DATA=true)`,
        );
        return 0;
      }
    } catch (err) {
      console.error(`demo: ${(err as Error).message}`);
      return 1;
    }
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
