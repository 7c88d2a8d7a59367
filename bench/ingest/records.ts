/** Realistic, seeded request records for the ingest benchmark (field sizes as a proxy node sends them). */
import { mulberry32 } from '../../backend/demo/rng';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'okhttp/4.12.0',
  'python-requests/2.32.3',
];
const PATHS = [
  '/api/v1/products/{id}',
  '/api/v1/cart',
  '/api/v1/orders/{id}/items',
  '/api/v1/users/{id}/profile',
  '/static/app.{id}.js',
  '/api/v1/search',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

const rng = mulberry32;

/** Records [start, start+count) of a run; deterministic in (seed, index). Timestamps spread over the last hour. */
export function benchRecords(seed: number, start: number, count: number, now: number): object[] {
  const out: object[] = [];
  for (let i = start; i < start + count; i++) {
    const r = rng(seed * 1_000_003 + i);
    const actor = Math.floor(r() * 5000);
    const path = PATHS[Math.floor(r() * PATHS.length)].replace('{id}', String(Math.floor(r() * 100000)));
    const attacked = r() < 0.02;
    out.push({
      id: `b${seed}-${i}`,
      ts: now - 3_600_000 + (Math.floor((i * 3_600_000) / 1_000_000) % 3_600_000),
      host: 'shop.example.com',
      method: METHODS[Math.floor(r() * METHODS.length)],
      path: r() < 0.3 ? `${path}?page=${Math.floor(r() * 9)}&sort=price` : path,
      status: attacked ? 403 : r() < 0.05 ? 404 : r() < 0.01 ? 500 : 200,
      client_ip: `198.51.${actor % 250}.${actor % 200}`,
      duration_ms: Math.round(r() * 30000) / 100,
      request_bytes: Math.floor(r() * 2000),
      response_bytes: Math.floor(r() * 50000),
      user_agent: UAS[actor % UAS.length],
      node: 'edge-1',
      app: 'shop',
      protocol: 'HTTP/1.1',
      identifiers: {
        cookies: { PHPSESSID: `sess${actor.toString(36)}x9f8e7d6c5b4a3210` },
        headers: { 'x-request-id': `req-${i.toString(36)}` },
      },
      ...(attacked ? { attacks: [{ type: 'sqli', blocked: true, rule: 'sqli-942100' }], blocked: true } : {}),
    });
  }
  return out;
}
