/** Types and well-known values of the demo traffic (see generate.ts). */

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
  'card_testing',
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
  /** Card testing: POST /api/checkout without ever adding to the cart (the skipped_step alert rule). */
  checkoutEndpoint: '/api/checkout',
  cartItemsEndpoint: '/api/cart/items',
  cardTestingUa:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  breakUserIndex: 0,
} as const;

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
