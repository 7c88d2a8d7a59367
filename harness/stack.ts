/**
 * The real stack behind the panels of the browser harness: a local OpenSearch node (or OPENSEARCH_TEST_URL's), the
 * service as its own process with the demo's session rules and OpenAPI specs, and the demo traffic (the last 6
 * hours, seed 1) posted through the ingest API, and one block (the brute-force IP), made searchable before any
 * panel query runs.
 */
import path from 'node:path';
import { startOpenSearch } from '../opensearch-local/runner';
import { postRecords } from '../backend/client/post';
import { generateDemo } from '../backend/demo/generate';
import { SHOP_USERS } from '../backend/demo/builder';
import { DEMO } from '../backend/demo/model';
import { spawnService } from '../backend/test/service-process';

const ROOT = path.join(__dirname, '..');
const TOKENS = {
  ingest: 'harness-ingest-token-0123456789',
  query: 'harness-query-token-0123456789',
  admin: 'harness-admin-token-0123456789',
};
const PREFIX = `harness-${process.pid}`;

/** The running stack. */
export interface Stack {
  serviceUrl: string;
  queryToken: string;
  /** The demo's time window (epoch ms). */
  range: { from: number; to: number };
  /** The demo user whose session has two parts (a break longer than the idle timeout), and her client IP. */
  breakUser: { login: string; clientIp: string };
  /** Stops the service and the node it started (not a node given by OPENSEARCH_TEST_URL). */
  stop(): Promise<void>;
}

/** Starts OpenSearch and the service, loads the demo traffic; `log` gets progress lines. */
export async function startStack(log: (line: string) => void): Promise<Stack> {
  const given = process.env.OPENSEARCH_TEST_URL;
  const node = given
    ? undefined
    : await startOpenSearch({ port: 0, ephemeral: true, log: (l) => log(`[opensearch] ${l}`) });
  const openSearchUrl = given ?? node!.url;
  const stops: Array<() => Promise<void>> = [async () => node?.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch(() => {});
    }
  };
  try {
    const service = await spawnService({
      OPENSEARCH_URL: openSearchUrl,
      INDEX_PREFIX: PREFIX,
      INGEST_TOKENS: TOKENS.ingest,
      QUERY_TOKENS: TOKENS.query,
      ADMIN_TOKENS: `soc:${TOKENS.admin}`,
      SESSION_SECRET: 'harness-session-secret-0123456789',
      SESSION_CONFIG: path.join(ROOT, 'backend/demo/session-rules.yaml'),
      SPECS_DIR: path.join(ROOT, 'backend/demo/specs'),
      LOG_LEVEL: 'warn',
    });
    stops.push(async () => {
      await service.stop();
      if (given) {
        await fetch(`${openSearchUrl}/${PREFIX}-*`, { method: 'DELETE' });
      }
    });
    const to = Date.now();
    const hours = 6;
    const records = generateDemo({ seed: 1, now: to, hours });
    const login = SHOP_USERS[DEMO.breakUserIndex];
    const clientIp = records.find((r) => r.user === login)?.client_ip;
    if (!clientIp) {
      throw new Error(`the demo has no request of ${login}, the user with a two-part session`);
    }
    const posted = await postRecords(service.url, TOKENS.ingest, records, { batchSize: 500 });
    if (posted.accepted === 0) {
      throw new Error(`the service accepted none of the ${records.length} demo records: ${JSON.stringify(posted)}`);
    }
    // What an analyst does next: block the brute-force IP, so the Blocks panel has a row (blocks.md).
    const block = await fetch(`${service.url}/v1/blocks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        target: { client_ip: DEMO.bruteForceIp },
        reason: 'credential brute force on the login (demo)',
        expires_in_minutes: 120,
      }),
    });
    if (block.status !== 201) {
      throw new Error(`blocking the demo's brute-force IP: ${block.status} ${await block.text()}`);
    }
    await fetch(`${openSearchUrl}/${PREFIX}-*/_refresh`, { method: 'POST' });
    log(`stack up: ${posted.accepted} demo requests in OpenSearch, service on ${service.url}`);
    return {
      serviceUrl: service.url,
      queryToken: TOKENS.query,
      range: { from: to - hours * 3_600_000, to },
      breakUser: { login, clientIp },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
