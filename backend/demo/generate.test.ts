import { isIP } from 'node:net';
import {
  ACTORS,
  DEMO,
  countByActor,
  generateDemo,
  generateDemoTagged,
  mulberry32,
  type DemoOptions,
  type DemoRecord,
} from './generate';
import { recordSchema } from '../src/ingest/schema';
import { parseSessionRules } from '../src/session/rules';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// 03:00 UTC: the default 6-hour window spans midnight.
const NOW = Date.parse('2026-11-28T03:00:00.000Z');
const HOUR = 3_600_000;

/** The small contract check the brief asks for; returns the problems of one record. */
function problemsOf(r: DemoRecord, from: number, to: number): string[] {
  const p: string[] = [];
  const str = (k: keyof DemoRecord, required: boolean) => {
    const v = r[k];
    if (v === undefined) {
      if (required) p.push(`${k} missing`);
    } else if (typeof v !== 'string' || v.length === 0) p.push(`${k} must be a non-empty string`);
  };
  str('id', true);
  if (r.id.length > 128) p.push('id longer than 128');
  if (!Number.isInteger(r.ts)) p.push('ts must be integer epoch ms');
  if (r.ts < from || r.ts > to) p.push(`ts ${new Date(r.ts).toISOString()} outside the window`);
  str('host', true);
  str('method', true);
  if (!/^[A-Z]+$/.test(r.method)) p.push(`method ${r.method}`);
  str('path', true);
  if (!r.path.startsWith('/')) p.push(`path ${r.path} must start with /`);
  if (!Number.isInteger(r.status) || r.status < 0 || r.status > 599) p.push(`status ${r.status}`);
  if (isIP(r.client_ip) === 0) p.push(`client_ip ${r.client_ip}`);
  for (const k of ['duration_ms', 'request_bytes', 'response_bytes'] as const) {
    const v = r[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) p.push(`${k} ${v}`);
  }
  for (const k of ['user_agent', 'node', 'app', 'protocol', 'endpoint', 'session_id', 'user', 'role'] as const)
    str(k, false);
  if (r.endpoint !== undefined && !r.endpoint.startsWith('/')) p.push(`endpoint ${r.endpoint}`);
  if (r.identifiers) {
    for (const [k, m] of Object.entries(r.identifiers)) {
      if (!['headers', 'cookies', 'query', 'response'].includes(k)) p.push(`identifiers.${k} unknown`);
      for (const [n, v] of Object.entries(m ?? {})) if (typeof v !== 'string' || !n) p.push(`identifiers.${k}.${n}`);
    }
  }
  if (r.context) {
    const entries = Object.entries(r.context);
    if (entries.length > 20) p.push('context > 20 entries');
    for (const [, v] of entries) if (typeof v !== 'string') p.push('context value not a string');
  }
  for (const a of r.attacks ?? []) {
    if (typeof a.type !== 'string' || !a.type) p.push('attack type');
    if (a.blocked !== undefined && typeof a.blocked !== 'boolean') p.push('attack blocked');
  }
  if (r.blocked !== undefined && typeof r.blocked !== 'boolean') p.push('blocked');
  if (r.bot && (typeof r.bot.type !== 'string' || (r.bot.score !== undefined && (r.bot.score < 0 || r.bot.score > 1))))
    p.push('bot');
  return p;
}

const tagged = generateDemoTagged({ seed: 42, now: NOW });
const records = tagged.map((t) => t.record);
const pathOnly = (p: string) => p.split('?')[0];

function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.replace(/^Bearer\s+/i, '').split('.')[1];
  return JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
}

describe('mulberry32', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('generateDemo: determinism', () => {
  it('gives identical output for the same seed and now', () => {
    expect(generateDemo({ seed: 42, now: NOW })).toEqual(records);
  });

  it('gives different output for another seed', () => {
    const other = generateDemo({ seed: 43, now: NOW });
    expect(other).not.toEqual(records);
    expect(other.map((r) => r.identifiers?.cookies?.PHPSESSID).filter(Boolean)).not.toEqual(
      records.map((r) => r.identifiers?.cookies?.PHPSESSID).filter(Boolean),
    );
  });

  it('gives other ids for another `now`, so a later demo run is not deduplicated away', () => {
    const later = generateDemo({ seed: 42, now: NOW + HOUR });
    const ids = new Set(records.map((r) => r.id));
    expect(later.some((r) => ids.has(r.id))).toBe(false);
  });

  it('never reads the clock or Math.random', () => {
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const dateNow = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    try {
      expect(generateDemo({ seed: 1, now: NOW }).length).toBeGreaterThan(0);
    } finally {
      random.mockRestore();
      dateNow.mockRestore();
    }
  });

  it('requires `now`', () => {
    expect(() => generateDemo({ seed: 1, now: Number.NaN })).toThrow(/now/);
  });
});

describe('generateDemo: contract validity', () => {
  it('produces a few thousand records, sorted by time, with unique ids', () => {
    expect(records.length).toBeGreaterThanOrEqual(3000);
    expect(records.length).toBeLessThanOrEqual(8000);
    for (let i = 1; i < records.length; i++) expect(records[i].ts).toBeGreaterThanOrEqual(records[i - 1].ts);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it.each<[string, DemoOptions]>([
    ['default 6 h', { seed: 42, now: NOW }],
    ['1 h', { seed: 5, now: NOW, hours: 1 }],
    ['24 h', { seed: 9, now: NOW, hours: 24 }],
    ['30 min', { seed: 11, now: NOW, hours: 0.5 }],
  ])('every record is valid and inside the window (%s)', (_name, opts) => {
    const recs = generateDemo(opts);
    const from = opts.now - (opts.hours ?? 6) * HOUR;
    const bad = recs
      .map((r, i) => ({ i, problems: problemsOf(r, from, opts.now) }))
      .filter((x) => x.problems.length > 0);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(recs.every((r) => r.ts <= opts.now)).toBe(true); // never in the future
  });

  it("passes the service's own record schema", () => {
    const failures = records
      .map((r, i) => ({ i, res: recordSchema.safeParse(r) }))
      .filter((x) => !x.res.success)
      .map((x) => ({ i: x.i, issues: x.res.error?.issues.map((is) => `${is.path.join('.')}: ${is.message}`) }));
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('uses IPv4 and IPv6 clients, query strings, and plausible methods and statuses', () => {
    expect(records.some((r) => isIP(r.client_ip) === 4)).toBe(true);
    expect(records.some((r) => isIP(r.client_ip) === 6)).toBe(true);
    expect(records.filter((r) => r.path.includes('?')).length).toBeGreaterThan(100);
    const methods = new Set(records.map((r) => r.method));
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) expect(methods).toContain(m);
    const statuses = new Set(records.map((r) => r.status));
    for (const s of [200, 201, 204, 302, 304, 401, 403, 404, 429, 500, 504]) expect(statuses).toContain(s);
    expect(records.filter((r) => r.status === 200).length / records.length).toBeGreaterThan(0.4);
  });
});

describe('generateDemo: actors', () => {
  it('has every actor', () => {
    const counts = countByActor(tagged);
    for (const a of ACTORS) expect(counts[a]).toBeGreaterThan(0);
  });

  it('browsing users: ~10 users with PHPSESSID / JSESSIONID cookies on the shop', () => {
    const browsing = tagged.filter((t) => t.actor === 'browsing').map((t) => t.record);
    expect(browsing.every((r) => r.host === DEMO.shopHost && r.app === 'shop')).toBe(true);
    const users = new Set(browsing.map((r) => r.user).filter(Boolean));
    expect(users.size).toBeGreaterThanOrEqual(8);
    expect(browsing.some((r) => r.identifiers?.cookies?.PHPSESSID)).toBe(true);
    expect(browsing.some((r) => r.identifiers?.cookies?.JSESSIONID)).toBe(true);
    expect(browsing.every((r) => r.identifiers?.cookies?.PHPSESSID || r.identifiers?.cookies?.JSESSIONID)).toBe(true);
  });

  function gapsByCookie(recs: DemoRecord[]): Map<string, number[]> {
    const byCookie = new Map<string, number[]>();
    for (const r of recs) {
      const c = r.identifiers?.cookies?.PHPSESSID ?? r.identifiers?.cookies?.JSESSIONID;
      if (!c) continue;
      const list = byCookie.get(c) ?? [];
      list.push(r.ts);
      byCookie.set(c, list);
    }
    return byCookie;
  }

  it('one browsing user takes a > 30 minute break with the same cookie (two session parts)', () => {
    const browsing = tagged.filter((t) => t.actor === 'browsing').map((t) => t.record);
    const split = [...gapsByCookie(browsing).values()].filter((ts) =>
      ts.some((t, i) => i > 0 && t - ts[i - 1] > 30 * 60_000),
    );
    expect(split.length).toBeGreaterThanOrEqual(1);
  });

  it('one browsing session crosses UTC midnight without an idle gap when the window spans it', () => {
    const midnight = Date.parse('2026-11-28T00:00:00.000Z');
    const browsing = tagged.filter((t) => t.actor === 'browsing').map((t) => t.record);
    const crossing = [...gapsByCookie(browsing).values()].filter((ts) => {
      const i = ts.findIndex((t) => t >= midnight);
      return i > 0 && ts[i] - ts[i - 1] < 30 * 60_000;
    });
    expect(crossing.length).toBeGreaterThanOrEqual(1);
  });

  it('API client with a JWT bearer token (sub svc-reporting, role service) on api.example.com', () => {
    const jwt = records.filter((r) => r.identifiers?.headers?.authorization?.startsWith('Bearer '));
    expect(jwt.length).toBeGreaterThan(50);
    const tokens = new Set(jwt.map((r) => r.identifiers!.headers!.authorization));
    expect(tokens.size).toBe(1);
    const token = [...tokens][0]!;
    expect(token.replace('Bearer ', '').split('.')).toHaveLength(3);
    expect(decodeJwtPayload(token)).toEqual({ sub: 'svc-reporting', role: 'service' });
    expect(jwt.every((r) => r.host === DEMO.apiHost && r.app === 'public-api')).toBe(true);
  });

  it('login flow: the response token of a login is carried by later requests', () => {
    const logins = records.filter(
      (r) => r.method === 'POST' && r.path === DEMO.loginPath && r.identifiers?.response?.['x-auth-token'],
    );
    expect(logins.length).toBeGreaterThanOrEqual(3);
    for (const login of logins) {
      const tok = login.identifiers!.response!['x-auth-token'];
      expect(login.status).toBe(200);
      const later = records.filter((r) => r.identifiers?.headers?.['x-auth-token'] === tok);
      expect(later.length).toBeGreaterThan(5);
      expect(later.every((r) => r.ts > login.ts && r.client_ip === login.client_ip)).toBe(true);
    }
  });

  it('brute force: 200+ failed logins from one IP and UA, flagged then blocked', () => {
    const bf = records.filter(
      (r) => r.client_ip === DEMO.bruteForceIp && r.path === DEMO.loginPath && r.method === 'POST',
    );
    expect(new Set(bf.map((r) => r.user_agent))).toEqual(new Set([DEMO.bruteForceUa]));
    expect(bf.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(200);
    const flagged = bf.filter((r) => r.attacks?.some((a) => a.type === 'brute_force' && a.blocked === false));
    const blocked = bf.filter(
      (r) => r.blocked === true && r.attacks?.some((a) => a.type === 'brute_force' && a.blocked === true),
    );
    expect(flagged.length).toBeGreaterThan(50);
    expect(blocked.length).toBeGreaterThan(10);
    expect(Math.min(...blocked.map((r) => r.ts))).toBeGreaterThan(Math.max(...flagged.map((r) => r.ts)));
    // The attack is one burst (no idle gap), i.e. one session part.
    for (let i = 1; i < bf.length; i++) expect(bf[i].ts - bf[i - 1].ts).toBeLessThan(30 * 60_000);
  });

  it('scanner: sqlmap from IPv6, 200+ distinct endpoints, all attack types, some blocked', () => {
    const sc = records.filter((r) => r.client_ip === DEMO.scannerIp);
    expect(isIP(DEMO.scannerIp)).toBe(6);
    expect(sc.every((r) => r.user_agent.startsWith('sqlmap/1.7'))).toBe(true);
    const endpoints = new Set(sc.map((r) => r.endpoint ?? pathOnly(r.path)));
    expect(endpoints.size).toBeGreaterThanOrEqual(200);
    const types = new Set(sc.flatMap((r) => (r.attacks ?? []).map((a) => a.type)));
    for (const t of ['sqli', 'xss', 'path_traversal', 'rce', 'scanner']) expect(types).toContain(t);
    expect(sc.filter((r) => r.status === 404).length).toBeGreaterThan(150);
    expect(sc.filter((r) => r.blocked).length).toBeGreaterThan(20);
    expect(sc.filter((r) => !r.blocked && r.attacks?.length).length).toBeGreaterThan(20);
  });

  it('slow endpoint: GET /api/v1/reports/{id} takes 2–8 s, with some 500 and 504', () => {
    const slow = records.filter((r) => r.endpoint === DEMO.slowEndpoint);
    expect(slow.length).toBeGreaterThan(30);
    expect(slow.every((r) => r.method === 'GET' && /^\/api\/v1\/reports\/\d+(\?|$)/.test(r.path))).toBe(true);
    expect(slow.every((r) => r.duration_ms >= 2000 && r.duration_ms <= 8100)).toBe(true);
    expect(slow.some((r) => r.status === 504)).toBe(true);
    expect(slow.some((r) => r.status === 500)).toBe(true);
    const others = records.filter(
      (r) => r.endpoint !== DEMO.slowEndpoint && r.endpoint !== '/api/v1/export' && r.endpoint !== '/api/checkout',
    );
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(others.map((r) => r.duration_ms))).toBeLessThan(200);
  });

  it('bot: a scraper crawling product pages fast', () => {
    const bots = records.filter((r) => r.bot);
    expect(bots.length).toBeGreaterThanOrEqual(200);
    expect(bots.every((r) => r.bot!.type === 'scraper' && r.bot!.score === 0.92 && r.client_ip === DEMO.botIp)).toBe(
      true,
    );
    expect(bots.filter((r) => r.path.startsWith('/products/')).length / bots.length).toBeGreaterThan(0.8);
    const gaps = bots
      .slice(1)
      .map((r, i) => r.ts - bots[i].ts)
      .filter((g) => g < 60_000);
    expect(gaps.reduce((s, g) => s + g, 0) / gaps.length).toBeLessThan(2_000);
  });

  it('card testing: checkouts without a cart, the last a few minutes before the end; every other checkout after one', () => {
    const byCookie = new Map<string, DemoRecord[]>();
    for (const r of records) {
      const cookie = r.identifiers?.cookies?.PHPSESSID ?? r.identifiers?.cookies?.JSESSIONID;
      if (cookie) byCookie.set(cookie, [...(byCookie.get(cookie) ?? []), r]);
    }
    const skipped = [...byCookie.values()].filter((rs) => {
      const checkout = rs.find((r) => r.endpoint === DEMO.checkoutEndpoint);
      return checkout && !rs.some((r) => r.endpoint === DEMO.cartItemsEndpoint && r.ts <= checkout.ts);
    });
    expect(skipped.length).toBeGreaterThanOrEqual(3);
    expect(skipped.every((rs) => rs.every((r) => r.user_agent === DEMO.cardTestingUa))).toBe(true);
    const last = Math.max(...skipped.flat().map((r) => r.ts));
    expect(NOW - last).toBeLessThan(10 * 60_000);
  });

  it('partner key and node session ids are present (query identifier too)', () => {
    expect(records.some((r) => r.identifiers?.headers?.['x-api-key'])).toBe(true);
    const q = records.filter((r) => r.identifiers?.query?.api_key);
    expect(q.length).toBeGreaterThan(0);
    // The raw key also sits in the path's query string: the service must cut it off.
    expect(q.every((r) => r.path.includes(`api_key=${r.identifiers!.query!.api_key}`))).toBe(true);
    expect(records.some((r) => r.session_id)).toBe(true);
  });

  it('identifier values look like random secrets', () => {
    const values = records.flatMap((r) =>
      Object.values(r.identifiers ?? {}).flatMap((m: Record<string, string> | undefined) => Object.values(m ?? {})),
    );
    expect(values.length).toBeGreaterThan(1000);
    expect(values.every((v) => v.length >= 26)).toBe(true);
  });
});

describe('demo session rules', () => {
  it('backend/demo/session-rules.yaml is valid for the service', () => {
    const rules = parseSessionRules(readFileSync(join(__dirname, 'session-rules.yaml'), 'utf8'));
    expect(rules.keys.length).toBeGreaterThan(0);
    expect(rules.fallback).toBe(true);
  });
});
