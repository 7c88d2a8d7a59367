/** Building blocks of the demo actors: shared vocabulary, the per-request record builder, address helpers. */
import type { Actor, DemoAttack, DemoIdentifiers, DemoRecord, TaggedRecord } from './model';
import type { Rng } from './rng';

export const BROWSER_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
];

export const SHOP_USERS = [
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

export const CATEGORIES = ['shoes', 'jackets', 'bags', 'watches', 'outdoor', 'kids', 'sale'];
export const SEARCH_TERMS = ['red+shoes', 'rain+jacket', 'leather+bag', 'smart+watch', 'tent', 'running', 'gift+card'];
export const NODES = ['waf-eu-1', 'waf-eu-2', 'gw-us-1'];
export const COUNTRIES = ['DE', 'FR', 'PL', 'US', 'GB', 'JP', 'BR', 'IN'];

export interface Conn {
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

export interface Req {
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

export type Kind = 'page' | 'api' | 'write' | 'static' | 'error';

export class Builder {
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
export function ipv4(rng: Rng): string {
  const base = rng.pick(['192.0.2', '198.51.100', '203.0.113', '81.2.69', '89.160.20', '175.16.199']);
  return `${base}.${rng.int(2, 254)}`;
}
export function ipv6(rng: Rng): string {
  return `2001:db8:${rng.hex(4).replace(/^0+/, '') || '0'}:${rng.int(1, 0xffff).toString(16)}::${rng.int(1, 0xffff).toString(16)}`;
}
export function protocolFor(rng: Rng, ua: string): string {
  if (/Chrome|Safari|Firefox/.test(ua))
    return rng.weighted([
      ['HTTP/2', 7],
      ['HTTP/3', 2],
      ['HTTP/1.1', 1],
    ] as const);
  return 'HTTP/1.1';
}
