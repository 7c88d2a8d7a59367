/**
 * Data of the decision benchmark: N active blocks (a third each on session keys, users and IP ranges of mixed
 * prefix lengths, IPv4 and IPv6) and the decision sub-requests a proxy would send, ~10% of them hitting a block.
 */
import { createHmac } from 'node:crypto';
import type { Block } from '../../backend/src/blocks/model';

/** The session secret of the benched service (block targets are HMAC keys of known cookie values). */
export const BENCH_SECRET = 'bench-session-secret-0123456789';

const key = (cookie: string) => createHmac('sha256', BENCH_SECRET).update(cookie).digest('hex');

/** Block `i` of `n`: session, user or range in turn; ranges /16–/32 (IPv4) and /48–/128 (IPv6). */
export function benchBlock(i: number, now: number): Block {
  const kind = i % 3;
  const b = (n: number) => (i >> n) & 255;
  let target: Block['target'];
  if (kind === 0) target = { type: 'session_id', value: key(`blocked-session-${i}`) };
  else if (kind === 1) target = { type: 'user', value: `blocked-user-${i}` };
  else if (i % 2 === 0) {
    const prefix = 16 + (i % 17);
    target = { type: 'client_ip', value: canonicalV4(`10.${b(8)}.${b(0)}.0`, prefix) };
  } else target = { type: 'client_ip', value: `2001:db8:${(i & 0xffff).toString(16)}::/${48 + (i % 5) * 16}` };
  return {
    id: `blk_bench${String(i).padStart(8, '0')}`,
    target,
    mode: i % 50 === 0 ? 'monitor' : 'block',
    reason: 'bench',
    source: 'api',
    created_at: now,
    created_by: 'bench',
    expires_at: now + 24 * 3600_000,
    hits: { blocked: 0, monitored: 0 },
    updated_at: now,
  };
}

/** `10.x.y.0` masked to `prefix` bits, as the API stores it. */
function canonicalV4(addr: string, prefix: number): string {
  const parts = addr.split('.').map(Number);
  const n = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const masked = prefix === 32 ? n : (n & (0xffffffff << (32 - prefix))) >>> 0;
  const text = [24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.');
  return prefix === 32 ? text : `${text}/${prefix}`;
}

/** One decision sub-request: headers as nginx sends them (the decision token is added by the caller). */
export type DecisionHeaders = Record<string, string>;

/**
 * `count` decision requests over `blocks` blocks: ~5% carry a blocked session cookie, ~5% come from a blocked
 * IPv4 range, the rest are ordinary browsers and API clients (cookies, bearer tokens) from unblocked addresses.
 */
export function benchRequests(count: number, blocks: number): DecisionHeaders[] {
  const out: DecisionHeaders[] = [];
  for (let i = 0; i < count; i++) {
    const h: DecisionHeaders = {
      'x-original-uri': `/api/v1/orders/${i}?page=${i % 7}`,
      'x-forwarded-host': 'api.example.com',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench',
      accept: 'application/json',
    };
    const r = i % 20;
    if (r === 0) {
      const sessionBlock = 3 * ((i * 7) % Math.ceil(blocks / 3));
      h.cookie = `theme=dark; PHPSESSID=blocked-session-${sessionBlock}`;
      h['x-real-ip'] = `192.0.2.${i % 250}`;
    } else if (r === 1) {
      // The network address of an IPv4 range block (blocks 6k + 2): inside the range whatever its prefix length.
      const j = 6 * ((i * 13) % Math.floor(blocks / 6)) + 2;
      h['x-real-ip'] = `10.${(j >> 8) & 255}.${j & 255}.0`;
    } else if (r % 2 === 0) {
      h.cookie = `PHPSESSID=visitor-${i}; theme=light`;
      h['x-real-ip'] = `198.51.100.${i % 250}`;
    } else {
      h.authorization = `Bearer client-token-${i}`;
      h['x-forwarded-for'] = `172.16.${(i >> 8) & 255}.${i & 255}`;
    }
    out.push(h);
  }
  return out;
}
