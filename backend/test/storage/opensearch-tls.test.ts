/**
 * TLS material and OpenSearch credentials (issue 20):
 * - a CA, client certificate or TLS file that cannot be read or used stops the real service process with exit code 2
 *   and a line naming the variable and the file — no stack trace;
 * - mutual TLS, API keys and basic auth from files reach OpenSearch: the test node has no TLS, so a TLS front (a
 *   Node HTTPS server that requires a client certificate signed by the test CA, as OpenSearch's security plugin does
 *   with `clientauth_mode: REQUIRE`) forwards to the real node and records the Authorization header it received.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { record, startTestService, testServiceEnv } from '../service';

const ROOT = path.resolve(__dirname, '../../..');
const prefix = uniquePrefix('os-tls');
const dir = mkdtempSync(path.join(tmpdir(), 'os-tls-'));
const file = (name: string) => path.join(dir, name);

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all from openssl. */
function makeCertificates(): void {
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  ]);
  run(['x509', '-in', 'ca.pem', '-noout']); // sanity: the CA parses
  for (const [name, subject, ext] of [
    ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'],
    ['client', '/CN=api-sessions', 'extendedKeyUsage=clientAuth'],
  ]) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    writeFileSync(file(`${name}.ext`), `${ext}\n`);
    run([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    ]);
  }
  // A second key that matches no certificate, and a file that is not PEM.
  run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key']);
  writeFileSync(file('not-pem.txt'), 'just text\n');
  mkdirSync(file('a-directory'));
}

/** The TLS front: requires a client certificate from the test CA; forwards every request to the real node. */
async function startTlsFront(): Promise<{ url: string; authorizations: string[]; server: Server }> {
  const target = new URL(testOpenSearchUrl().split(',')[0]);
  const authorizations: string[] = [];
  const server = createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      authorizations.push(String(req.headers.authorization ?? ''));
      const headers = { ...req.headers, host: target.host };
      delete headers.authorization; // the test node has no security plugin
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations, server };
}

/** Runs the real service process until it exits; returns its exit code and output. */
function runService(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'backend/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a service that started would never exit
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

beforeAll(makeCertificates);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

describe('unreadable or unusable TLS files stop the service with exit code 2', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a missing CA file',
      { OPENSEARCH_CA_FILE: file('nope.pem') },
      /OPENSEARCH_CA_FILE: cannot read .*nope\.pem: ENOENT/,
    ],
    [
      'a client certificate that is a directory',
      { OPENSEARCH_CERT_FILE: file('a-directory'), OPENSEARCH_KEY_FILE: file('client.key') },
      /OPENSEARCH_CERT_FILE: cannot read .*a-directory: EISDIR/,
    ],
    [
      'a client key that is not PEM',
      { OPENSEARCH_CERT_FILE: file('client.pem'), OPENSEARCH_KEY_FILE: file('not-pem.txt') },
      /OPENSEARCH_KEY_FILE: .*not-pem\.txt is not a PEM file/,
    ],
    [
      'a client key that does not match its certificate',
      { OPENSEARCH_CERT_FILE: file('client.pem'), OPENSEARCH_KEY_FILE: file('other.key') },
      /OPENSEARCH_CA_FILE\/OPENSEARCH_CERT_FILE\/OPENSEARCH_KEY_FILE: cannot use them: .*key values mismatch/,
    ],
    [
      'a missing TLS key',
      { TLS_CERT_FILE: file('server.pem'), TLS_KEY_FILE: file('missing.key') },
      /TLS_KEY_FILE: cannot read .*missing\.key: ENOENT/,
    ],
    [
      'a TLS key that does not match the certificate',
      { TLS_CERT_FILE: file('server.pem'), TLS_KEY_FILE: file('other.key') },
      /TLS_CERT_FILE\/TLS_KEY_FILE: cannot use .*server\.pem and .*other\.key: .*key values mismatch/,
    ],
  ];
  it.each(cases)(
    '%s',
    async (_name, extra, message) => {
      const { code, output } = await runService(testServiceEnv(prefix, extra));
      expect(code).toBe(2);
      expect(output).toMatch(/^api-sessions: refusing to start: /);
      expect(output).toMatch(message);
      expect(output.split('\n').filter((l) => l.trimStart().startsWith('at '))).toEqual([]); // no stack trace
      expect(output).not.toMatch(/-----BEGIN [A-Z ]+-----|just text/); // never a file's content
    },
    60_000,
  );
});

describe('OpenSearch behind mutual TLS', () => {
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  beforeAll(async () => {
    front = await startTlsFront();
  });
  afterAll(() => new Promise((r) => front.server.close(r)));

  it('stores and reads through a client certificate, with an API key from a file', async () => {
    writeFileSync(file('api-key'), 'os_test-api-key-0123456789\n');
    const svc = await startTestService(prefix, {
      OPENSEARCH_URL: front.url,
      OPENSEARCH_CA_FILE: file('ca.pem'),
      OPENSEARCH_CERT_FILE: file('client.pem'),
      OPENSEARCH_KEY_FILE: file('client.key'),
      OPENSEARCH_API_KEY_FILE: file('api-key'),
    });
    try {
      const ingest = await svc.post('/v1/requests', record({ id: 'mtls-1' }));
      expect([ingest.status, ingest.json.accepted]).toEqual([200, 1]);
      const ready = await svc.get('/readyz');
      expect([ready.status, ready.json.status]).toEqual([200, 'ok']);
      expect(new Set(front.authorizations)).toEqual(new Set(['ApiKey os_test-api-key-0123456789']));
      expect(svc.logs.join('')).not.toContain('os_test-api-key');
    } finally {
      await svc.stop();
    }
  });

  it('sends basic auth read from files', async () => {
    writeFileSync(file('user'), 'api-sessions\n');
    writeFileSync(file('password'), 'Pa55-from-file\n');
    front.authorizations.length = 0;
    const svc = await startTestService(prefix, {
      OPENSEARCH_URL: front.url,
      OPENSEARCH_CA_FILE: file('ca.pem'),
      OPENSEARCH_CERT_FILE: file('client.pem'),
      OPENSEARCH_KEY_FILE: file('client.key'),
      OPENSEARCH_USERNAME_FILE: file('user'),
      OPENSEARCH_PASSWORD_FILE: file('password'),
    });
    try {
      expect((await svc.get('/readyz')).status).toBe(200);
      const basic = `Basic ${Buffer.from('api-sessions:Pa55-from-file').toString('base64')}`;
      expect(new Set(front.authorizations)).toEqual(new Set([basic]));
      expect(svc.logs.join('')).not.toContain('Pa55-from-file');
    } finally {
      await svc.stop();
    }
  });

  it('is refused without a client certificate (the front ends the handshake)', async () => {
    const svc = await startTestService(prefix, { OPENSEARCH_URL: front.url, OPENSEARCH_CA_FILE: file('ca.pem') });
    try {
      const ready = await svc.get('/readyz');
      expect([ready.status, ready.json.opensearch]).toEqual([503, 'unreachable']);
    } finally {
      await svc.stop();
    }
  });
});
