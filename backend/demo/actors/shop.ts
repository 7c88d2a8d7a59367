/** Shop actors: browsing users with session cookies, anonymous visitors, the scraper bot. */
import {
  BROWSER_UAS,
  CATEGORIES,
  COUNTRIES,
  SEARCH_TERMS,
  SHOP_USERS,
  ipv4,
  ipv6,
  protocolFor,
  type Builder,
  type Conn,
} from '../builder';
import { DAY, DEMO, HOUR, MIN, type Actor } from '../model';

/** A browsing visit on the shop: pages plus the XHR API calls they trigger. Returns the time after the last request. */
function shopVisit(
  b: Builder,
  actor: Actor,
  t0: number,
  c: Conn,
  steps: number,
  opts: { login?: string } = {},
): number {
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
        b.add(actor, t, c, {
          method: 'GET',
          path: `/api/products/${id}/reviews?page=1&sort=${rng.pick(['recent', 'rating'])}`,
          status: 200,
          endpoint: '/api/products/{id}/reviews',
          ...who,
        });
        if (rng.chance(0.4)) {
          t += xhr();
          b.add(actor, t, c, {
            method: 'GET',
            path: `/api/products/${id}/stock`,
            status: 200,
            endpoint: '/api/products/{id}/stock',
            ...who,
          });
        }
        break;
      }
      case 'list':
        b.add(
          actor,
          t,
          c,
          {
            method: 'GET',
            path: `/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 4)}`,
            status: 200,
            ...who,
          },
          'page',
        );
        break;
      case 'search':
        b.add(actor, t, c, { method: 'GET', path: `/search?q=${rng.pick(SEARCH_TERMS)}`, status: 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, {
          method: 'GET',
          path: `/api/search/suggest?q=${rng.pick(SEARCH_TERMS)}`,
          status: 200,
          endpoint: '/api/search/suggest',
          ...who,
        });
        break;
      case 'addcart': {
        const id = rng.int(1000, 1999);
        cartItems.push(id);
        b.add(
          actor,
          t,
          c,
          { method: 'POST', path: '/api/cart/items', status: 201, endpoint: '/api/cart/items', ...who },
          'write',
        );
        if (rng.chance(0.2)) {
          t += rng.int(3_000, 20_000);
          b.add(
            actor,
            t,
            c,
            { method: 'PUT', path: `/api/cart/items/${id}`, status: 200, endpoint: '/api/cart/items/{id}', ...who },
            'write',
          );
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
          b.add(
            actor,
            t,
            c,
            { method: 'DELETE', path: `/api/cart/items/${id}`, status: 204, endpoint: '/api/cart/items/{id}', ...who },
            'write',
          );
        }
        break;
      case 'login': {
        b.add(actor, t, c, { method: 'GET', path: '/account/login', status: 200 }, 'page');
        t += rng.int(6_000, 25_000);
        const typo = rng.chance(0.25);
        if (typo) {
          b.add(
            actor,
            t,
            c,
            { method: 'POST', path: '/account/login', status: 401, endpoint: '/account/login' },
            'write',
          );
          t += rng.int(5_000, 15_000);
        }
        b.add(
          actor,
          t,
          c,
          {
            method: 'POST',
            path: '/account/login',
            status: 302,
            endpoint: '/account/login',
            user: opts.login,
            role: 'customer',
          },
          'write',
        );
        loggedIn = true;
        t += rng.int(150, 600);
        b.add(
          actor,
          t,
          c,
          { method: 'GET', path: '/account', status: 200, user: opts.login, role: 'customer' },
          'page',
        );
        break;
      }
      case 'checkout': {
        b.add(actor, t, c, { method: 'GET', path: '/checkout', status: 200, ...who }, 'page');
        t += rng.int(20_000, 90_000);
        const declined = rng.chance(0.15);
        b.add(
          actor,
          t,
          c,
          {
            method: 'POST',
            path: '/api/checkout',
            status: declined ? 402 : 200,
            endpoint: '/api/checkout',
            duration_ms: rng.lognormal(650, 0.4, 150, 6000),
            ...who,
          },
          'write',
        );
        if (!declined) {
          cartItems = [];
          t += rng.int(200, 900);
          b.add(
            actor,
            t,
            c,
            { method: 'GET', path: `/checkout/confirmation?order=${rng.int(100000, 999999)}`, status: 200, ...who },
            'page',
          );
        }
        break;
      }
      case 'orders':
        b.add(actor, t, c, { method: 'GET', path: '/account/orders', status: 200, ...who }, 'page');
        t += xhr();
        b.add(actor, t, c, {
          method: 'GET',
          path: '/api/orders?limit=20',
          status: 200,
          endpoint: '/api/orders',
          ...who,
        });
        break;
      case 'notfound':
        b.add(
          actor,
          t,
          c,
          {
            method: 'GET',
            path: rng.pick(['/products/99999', '/sale/black-friday-2019', '/favicon.png']),
            status: 404,
            ...who,
          },
          'page',
        );
        break;
    }
    if (rng.chance(0.01)) {
      t += xhr();
      b.add(actor, t, c, { method: 'GET', path: '/api/cart', status: 500, endpoint: '/api/cart', ...who });
    }
  }
  return t;
}

export function browsingUsers(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  // A UTC midnight strictly inside the window (with room for a short visit on both sides)?
  const midnight = Math.ceil((b.start + 15 * MIN) / DAY) * DAY;
  const midnightInWindow = midnight < b.end - 15 * MIN;
  for (let u = 0; u < SHOP_USERS.length; u++) {
    const ua = BROWSER_UAS[u % BROWSER_UAS.length];
    const cookieName = u % 3 === 2 ? 'JSESSIONID' : 'PHPSESSID';
    const cookieValue =
      cookieName === 'PHPSESSID'
        ? rng.chars('abcdefghijklmnopqrstuv0123456789', 26)
        : rng.chars('0123456789ABCDEF', 32);
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
      const visitConn =
        v === 0
          ? c
          : {
              ...c,
              identifiers: {
                cookies: {
                  [cookieName]:
                    cookieName === 'PHPSESSID'
                      ? rng.chars('abcdefghijklmnopqrstuv0123456789', 26)
                      : rng.chars('0123456789ABCDEF', 32),
                },
              },
            };
      shopVisit(b, 'browsing', b.start + span * slot * 0.92, visitConn, rng.int(12, 30), {
        login: rng.chance(0.7) ? login : undefined,
      });
    }
  }
}

export function anonymousVisitors(b: Builder, nodeOf: () => string): void {
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

/** Scraper bot: crawls product pages fast, in two runs. */
export function bot(b: Builder, nodeOf: () => string): void {
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
  for (const [frac, n] of [
    [0.12, 260],
    [0.82, 240],
  ] as const) {
    let t = b.start + span * frac;
    const scale = Math.min(1, (span * 0.1) / (n * 700));
    for (let k = 0; k < n; k++) {
      const roll = rng.float();
      if (roll < 0.08) {
        b.add(
          'bot',
          t,
          c,
          { method: 'GET', path: `/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 30)}`, status: 200 },
          'page',
        );
      } else {
        const throttled = k > n - 25 && rng.chance(0.6);
        b.add(
          'bot',
          t,
          c,
          {
            method: 'GET',
            path: `/products/${rng.int(1000, 1999)}`,
            status: throttled ? 429 : rng.chance(0.04) ? 404 : 200,
          },
          throttled ? 'error' : 'page',
        );
      }
      t += rng.int(150, 1_300) * scale;
    }
  }
}
