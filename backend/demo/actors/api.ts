/** API actors: the JWT reporting client, the slow reports endpoint, mobile login flows, a partner, a mobile BFF. */
import { BROWSER_UAS, CATEGORIES, ipv4, ipv6, protocolFor, type Builder, type Conn } from '../builder';
import { DEMO, MIN, type Actor } from '../model';
import { base64url, type Rng } from '../rng';

function makeJwt(rng: Rng, payload: object): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: rng.hex(8) }));
  return `${header}.${base64url(JSON.stringify(payload))}.${rng.b64url(86)}`;
}

/** Reporting service: JWT bearer, polls orders and pulls reports (the slow endpoint) all window long. */
export function jwtClient(b: Builder, nodeOf: () => string): void {
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
    const r = rng.weighted([
      ['orders', 5],
      ['customers', 2],
      ['metrics', 2],
      ['report', 2],
    ] as const);
    if (r === 'orders') {
      b.add('jwt_client', t, c, {
        method: 'GET',
        path: `/api/v1/orders?since=${encodeURIComponent(new Date(Math.round(t) - 10 * MIN).toISOString())}&limit=500`,
        status: 200,
        endpoint: '/api/v1/orders',
        response_bytes: rng.int(2_000, 240_000),
      });
    } else if (r === 'customers') {
      const id = rng.int(10000, 99999);
      b.add('jwt_client', t, c, {
        method: 'GET',
        path: `/api/v1/customers/${id}`,
        status: rng.chance(0.05) ? 404 : 200,
        endpoint: '/api/v1/customers/{id}',
      });
    } else if (r === 'metrics') {
      b.add('jwt_client', t, c, {
        method: 'GET',
        path: '/api/v1/metrics/daily?tz=UTC',
        status: 200,
        endpoint: '/api/v1/metrics/daily',
      });
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
  const outcome = rng.weighted([
    ['ok', 85],
    ['500', 6],
    ['504', 9],
  ] as const);
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
export function slowReportUsers(b: Builder, nodeOf: () => string): void {
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
      b.add('slow_reports', t, c, {
        method: 'GET',
        path: '/api/v1/reports?limit=50',
        status: 200,
        endpoint: '/api/v1/reports',
      });
      t += rng.int(2_000, 30_000);
      slowReport(b, 'slow_reports', t, c);
      t += rng.lognormal(60_000, 0.6, 8_000, 400_000);
    }
  }
}

/** Mobile app users: login returns a token in `x-auth-token`; later requests carry it in the same header. */
export function loginFlows(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const users = [
    'j.doe@example.com',
    'a.martin@example.com',
    'r.gupta@example.com',
    'k.muller@example.com',
    'c.lopez@example.com',
    'n.okafor@example.com',
  ];
  for (let i = 0; i < users.length; i++) {
    const ua = rng.pick([
      'ShopApp/5.12.0 (iPhone; iOS 18.1; Scale/3.00)',
      'ShopApp/5.12.0 (Android 14; Pixel 8)',
      'ShopApp/5.11.3 (Android 13; SM-G991B)',
    ]);
    const c: Conn = {
      host: DEMO.apiHost,
      app: 'public-api',
      client_ip: i % 3 === 1 ? ipv6(rng) : ipv4(rng),
      user_agent: ua,
      node: nodeOf(),
      protocol: 'HTTP/2',
    };
    let t = b.start + ((i + rng.float() * 0.7) / users.length) * span * 0.9;
    if (rng.chance(0.35)) {
      b.add(
        'login_flow',
        t,
        c,
        {
          method: 'POST',
          path: DEMO.loginPath,
          status: 401,
          endpoint: DEMO.loginPath,
          duration_ms: rng.lognormal(120, 0.3, 40, 800),
        },
        'write',
      );
      t += rng.int(4_000, 20_000);
    }
    const token = rng.b64url(48);
    b.add(
      'login_flow',
      t,
      c,
      {
        method: 'POST',
        path: DEMO.loginPath,
        status: 200,
        endpoint: DEMO.loginPath,
        duration_ms: rng.lognormal(140, 0.3, 40, 900),
        identifiers: { response: { 'x-auth-token': token } },
        user: users[i],
        role: 'customer',
      },
      'write',
    );
    const authed: Conn = {
      ...c,
      identifiers: { headers: { 'x-auth-token': token } },
      user: users[i],
      role: 'customer',
    };
    const n = rng.int(15, 45);
    for (let k = 0; k < n; k++) {
      t += rng.lognormal(12_000, 0.9, 300, 180_000);
      const what = rng.weighted([
        ['me', 2],
        ['orders', 3],
        ['order', 3],
        ['products', 4],
        ['product', 5],
        ['cart', 3],
        ['report', 0.5],
        ['notif', 2],
      ] as const);
      switch (what) {
        case 'me':
          b.add('login_flow', t, authed, { method: 'GET', path: '/api/v1/me', status: 200, endpoint: '/api/v1/me' });
          break;
        case 'orders':
          b.add('login_flow', t, authed, {
            method: 'GET',
            path: '/api/v1/orders?limit=20',
            status: 200,
            endpoint: '/api/v1/orders',
          });
          break;
        case 'order': {
          const id = rng.int(100000, 999999);
          b.add('login_flow', t, authed, {
            method: 'GET',
            path: `/api/v1/orders/${id}`,
            status: rng.chance(0.07) ? 404 : 200,
            endpoint: '/api/v1/orders/{id}',
          });
          break;
        }
        case 'products':
          b.add('login_flow', t, authed, {
            method: 'GET',
            path: `/api/v1/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 5)}`,
            status: 200,
            endpoint: '/api/v1/products',
          });
          break;
        case 'product':
          b.add('login_flow', t, authed, {
            method: 'GET',
            path: `/api/v1/products/${rng.int(1000, 1999)}`,
            status: 200,
            endpoint: '/api/v1/products/{id}',
          });
          break;
        case 'cart':
          b.add(
            'login_flow',
            t,
            authed,
            {
              method: 'POST',
              path: '/api/v1/cart/items',
              status: rng.chance(0.05) ? 409 : 201,
              endpoint: '/api/v1/cart/items',
            },
            'write',
          );
          break;
        case 'report':
          slowReport(b, 'login_flow', t, authed);
          break;
        case 'notif':
          b.add('login_flow', t, authed, {
            method: 'GET',
            path: '/api/v1/notifications?unread=true',
            status: rng.chance(0.3) ? 304 : 200,
            endpoint: '/api/v1/notifications',
          });
          break;
      }
    }
    if (rng.chance(0.6)) {
      t += rng.int(2_000, 60_000);
      b.add(
        'login_flow',
        t,
        authed,
        { method: 'POST', path: '/api/v1/logout', status: 204, endpoint: '/api/v1/logout' },
        'write',
      );
    }
  }
}

/** Partner integration: API key in a header, and a legacy export call that puts the key in the query string. */
export function partner(b: Builder, nodeOf: () => string): void {
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
      b.add(
        'partner',
        s,
        c,
        put
          ? {
              method: 'PUT',
              path: `/api/v1/inventory/${sku}`,
              status: rng.chance(0.04) ? 422 : 200,
              endpoint: '/api/v1/inventory/{sku}',
            }
          : { method: 'GET', path: `/api/v1/inventory/${sku}`, status: 200, endpoint: '/api/v1/inventory/{sku}' },
        put ? 'write' : 'api',
      );
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

/** Mobile backend-for-frontend that computes its own session id (`session_id` field). */
export function mobile(b: Builder, nodeOf: () => string): void {
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
      const what = rng.pick([
        '/bff/home',
        '/bff/feed?cursor=' + rng.b64url(12),
        `/bff/products/${rng.int(1000, 1999)}`,
        '/bff/cart',
      ]);
      b.add('mobile', t, c, { method: 'GET', path: what, status: rng.chance(0.03) ? 503 : 200 });
      t += rng.lognormal(8_000, 0.8, 300, 120_000);
    }
  }
}
