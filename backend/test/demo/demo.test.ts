/**
 * The demo end to end: generateDemo → postRecords (JSON array + gzip NDJSON batches) → the real service → the real
 * OpenSearch node of the jest run. Checks that every demo record is accepted, that each actor gets the session
 * identity the demo rules intend, that card testers are what the skipped-step rule counts, that the demo specs (backend/demo/specs) give every API status, and that no
 * identifier secret of the demo reaches storage.
 */
import { join } from 'node:path';
import { loadSessionRules } from '../../src/session/rules';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { TEST_TOKENS, startTestService, storedDocs, type TestService } from '../service';
import { DEMO, generateDemoTagged, type DemoRecord, type TaggedRecord } from '../../demo/generate';
import { postRecords } from '../../client/post';
import { main as demoMain, readEnv, windowHasRequests } from '../../demo/cli';

const DEMO_DIR = join(__dirname, '../../demo');
const prefix = uniquePrefix('demo');
// 2 hours keeps the run small (≈2,000 records) while every actor is still present.
const NOW = Date.now() - 60_000;
let tagged: TaggedRecord[];
let records: DemoRecord[];
let service: TestService;
let stored: any[];

beforeAll(async () => {
  tagged = generateDemoTagged({ seed: 7, now: NOW, hours: 2 });
  records = tagged.map((t) => t.record);
  service = await startTestService(
    prefix,
    { SPECS_DIR: join(DEMO_DIR, 'specs') },
    loadSessionRules(join(DEMO_DIR, 'session-rules.yaml')),
  );
  const result = await postRecords(service.url, TEST_TOKENS.ingest, records, { batchSize: 500, jsonArrayBatches: 1 });
  expect(result).toMatchObject({ accepted: records.length, rejected: 0, errors: [] });
  stored = await storedDocs(service.client, prefix);
}, 120_000);

afterAll(async () => {
  if (service) await service.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

const byId = () => new Map(stored.map((d) => [d.id ?? d._id, d]));

describe('demo traffic through the real service', () => {
  it('stores every record once; posting the same demo again stores nothing new', async () => {
    expect(records.length).toBeGreaterThan(1000);
    expect(stored).toHaveLength(records.length);
    await postRecords(service.url, TEST_TOKENS.ingest, records.slice(0, 600));
    expect(await storedDocs(service.client, prefix)).toHaveLength(records.length);
  });

  it('with DEMO_SKIP_IF_DATA=true, a second run posts nothing into a window that holds requests (compose `up`)', async () => {
    const env = {
      SERVICE_URL: service.url,
      INGEST_TOKEN: TEST_TOKENS.ingest,
      QUERY_TOKEN: TEST_TOKENS.query,
      DEMO_SKIP_IF_DATA: 'true',
      DEMO_SEED: '8', // other ids than the first run: without the skip, every record would be new
      DEMO_HOURS: '2',
      DEMO_NOW: String(NOW + 30_000),
    };
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await demoMain(env)).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toMatch(/posted nothing/);
    } finally {
      log.mockRestore();
    }
    expect(await storedDocs(service.client, prefix)).toHaveLength(records.length);
    // A window without requests (3 days ago) is one the demo would fill.
    const empty = readEnv({ ...env, DEMO_NOW: String(NOW - 3 * 86_400_000), DEMO_HOURS: '1' });
    expect(await windowHasRequests(empty, TEST_TOKENS.query)).toBe(false);
    expect(await windowHasRequests(readEnv(env), TEST_TOKENS.query)).toBe(true);
  });

  it('gives each actor the intended session identity', () => {
    const docs = byId();
    const sourcesOf = (pred: (t: TaggedRecord) => boolean) =>
      new Set(tagged.filter(pred).map((t) => docs.get(t.record.id)?.session?.key_source));
    expect(sourcesOf((t) => t.actor === 'jwt_client')).toEqual(new Set(['jwt:authorization.sub']));
    expect(sourcesOf((t) => t.actor === 'partner')).toEqual(new Set(['header:x-api-key']));
    expect(sourcesOf((t) => t.actor === 'brute_force' || t.actor === 'scanner' || t.actor === 'bot')).toEqual(
      new Set(['ip+ua']),
    );
    expect(sourcesOf((t) => t.actor === 'browsing')).toEqual(new Set(['cookie:PHPSESSID', 'cookie:JSESSIONID']));
    expect(sourcesOf((t) => t.actor === 'mobile')).toEqual(new Set(['node:session_id']));
    // The JWT subject becomes the user and its role claim the role.
    const jwt = tagged.filter((t) => t.actor === 'jwt_client').map((t) => docs.get(t.record.id));
    expect(new Set(jwt.map((d) => `${d.user}/${d.role}`))).toEqual(new Set(['svc-reporting/service']));
  });

  it('card testers skip the cart: the checkout-without-cart rule counts each of their sessions', async () => {
    const docs = byId();
    const testers = tagged.filter((t) => t.actor === 'card_testing');
    expect(new Set(testers.map((t) => docs.get(t.record.id)?.session?.key_source))).toEqual(
      new Set(['cookie:PHPSESSID']),
    );
    const sessions = new Set(testers.map((t) => docs.get(t.record.id)?.session?.key)).size;
    const res = await fetch(`${service.url}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKENS.query}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        queryType: 'patterns',
        condition: 'skipped_step',
        endpoint_pattern: DEMO.checkoutEndpoint,
        predecessor_pattern: `${DEMO.cartItemsEndpoint}*`,
        from: NOW - 2 * 3_600_000,
        to: NOW,
        interval_ms: 300_000,
      }),
    });
    expect(res.status).toBe(200);
    const { frames } = (await res.json()) as { frames: { data: { values: number[][] } }[] };
    const counted = frames[0].data.values[1].reduce((a, b) => a + b, 0);
    // Shop visitors always add to the cart before checking out; a visit cut by UTC midnight (a cart at 23:59, the
    // checkout at 00:01) counts too — the browsing user who crosses midnight, or by chance an anonymous visitor.
    expect(counted).toBeGreaterThanOrEqual(sessions);
    expect(counted).toBeLessThanOrEqual(sessions + 2);
  });

  it('links each login response token to the requests that carry it (one session key)', () => {
    const docs = byId();
    const logins = records.filter((r) => r.identifiers?.response?.['x-auth-token']);
    expect(logins.length).toBeGreaterThan(0);
    for (const login of logins) {
      const tok = login.identifiers!.response!['x-auth-token'];
      const keys = new Set(
        records
          .filter((r) => r === login || r.identifiers?.headers?.['x-auth-token'] === tok)
          .map((r) => docs.get(r.id)?.session?.key),
      );
      expect(keys.size).toBe(1);
    }
  });

  it('never stores an identifier value, and cuts query strings off paths', () => {
    const secrets = new Set<string>();
    for (const r of records) {
      const maps = Object.values(r.identifiers ?? {}) as (Record<string, string> | undefined)[];
      for (const m of maps) for (const v of Object.values(m ?? {})) secrets.add(v.replace(/^Bearer /, ''));
    }
    expect(secrets.size).toBeGreaterThan(50);
    const text = JSON.stringify(stored);
    const leaked = [...secrets].filter((s) => text.includes(s));
    expect(leaked).toEqual([]);
    expect(stored.some((d) => String(d.path).includes('?'))).toBe(false);
    // The partner's key sits in ?api_key= of the export path: only the parameter name survives.
    const exp = stored.find((d) => d.endpoint === '/api/v1/export');
    if (exp) expect(exp.query_params).toContain('api_key');
  });

  it('classifies the demo against its specs: documented, zombie, shadow and unknown endpoints, and flows', () => {
    const statusOf = (pred: (d: any) => boolean) => new Set(stored.filter(pred).map((d) => d.api_status));
    expect(statusOf((d) => d.endpoint === '/api/v1/orders/{id}')).toEqual(new Set(['documented']));
    expect(statusOf((d) => d.endpoint === '/api/v1/metrics/daily')).toEqual(new Set(['zombie'])); // only in 1.yaml
    expect(statusOf((d) => d.endpoint === '/api/v1/notifications')).toEqual(new Set(['shadow'])); // in no version
    expect(statusOf((d) => d.host === DEMO.shopHost || d.host === DEMO.mobileHost)).toEqual(new Set(['unknown']));
    expect(statusOf((d) => d.client_ip === DEMO.scannerIp && d.host === DEMO.apiHost)).toContain('shadow');
    expect(statusOf((d) => d.endpoint === DEMO.loginPath)).toEqual(new Set(['documented']));
    expect(new Set(stored.filter((d) => d.endpoint === DEMO.loginPath).flatMap((d) => d.flows))).toEqual(
      new Set(['authentication']),
    );
  });

  it('keeps the attack and bot verdicts', () => {
    const attacked = stored.filter((d) => d.attack_types?.includes('brute_force'));
    expect(attacked.length).toBeGreaterThan(50);
    expect(stored.filter((d) => d.client_ip === DEMO.scannerIp).length).toBeGreaterThan(200);
    expect(stored.some((d) => d.bot?.type === 'scraper')).toBe(true);
  });
});
