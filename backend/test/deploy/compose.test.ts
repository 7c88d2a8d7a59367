/**
 * docker-compose.yml ships no publicly known token or secret, and binds to 127.0.0.1 unless told otherwise
 * (issue 13, item 6). Docker is not available here, so the file is checked as data, and the secrets it generates
 * on first start are fed to the service's own configuration loader with the environment the file gives it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../src/config';
import { COMPOSE_SECRETS, ensureComposeSecrets } from '../../deploy/secrets';

const ROOT = path.resolve(__dirname, '../../..');
const compose = YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string>; ports?: string[]; command?: string[] }>;
};
const SECRETS_DIR = '/run/api-sessions';

/** `${NAME:-default}` → default, `${NAME}` → '' (nothing set in the shell or .env): what compose would pass. */
const resolve = (value: string) =>
  value.replace(/\$\{[A-Z_]+(?::-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');

/** Every string in the file with the path that leads to it. */
function strings(node: unknown, at = ''): [string, string][] {
  if (typeof node === 'string') return [[at, node]];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describe('docker-compose.yml', () => {
  it('has no published token, secret or password, nor a default for one', () => {
    const all = strings(compose);
    expect(all.filter(([, v]) => /change-me/i.test(v))).toEqual([]);
    // A secret variable may default to nothing (then the generated file is used), never to a value.
    const defaults = all.flatMap(([at, v]) =>
      [...v.matchAll(/\$\{([A-Z_]*(?:TOKEN|SECRET|PASSWORD)[A-Z_]*):-([^}]+)\}/g)].map((m) => `${at}: ${m[0]}`),
    );
    expect(defaults).toEqual([]);
  });

  it('publishes ports on 127.0.0.1 unless BIND_ADDRESS says otherwise', () => {
    const ports = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p}`));
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((p) => !/^\S+ (127\.0\.0\.1|\$\{BIND_ADDRESS:-127\.0\.0\.1\}):\d+:\d+$/.test(p))).toEqual([]);
  });

  it('generates the secrets on first start, and the service starts with them (not in DEV_MODE)', () => {
    const secrets = compose.services.secrets;
    expect(secrets.command).toEqual(['node', 'dist-service/secrets.js', SECRETS_DIR]);
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-secrets-'));
    try {
      const env = Object.fromEntries(
        Object.entries(secrets.environment ?? {}).map(([k, v]) => [k, resolve(String(v))]),
      );
      expect(Object.values(ensureComposeSecrets(dir, env))).toEqual(
        Object.keys(COMPOSE_SECRETS).map(() => 'generated'),
      );
      expect(Object.values(ensureComposeSecrets(dir, env))).toEqual(Object.keys(COMPOSE_SECRETS).map(() => 'kept'));
      const serviceEnv = Object.fromEntries(
        Object.entries(compose.services.service.environment ?? {}).map(([k, v]) => [
          k,
          resolve(String(v)).replace(SECRETS_DIR, dir),
        ]),
      );
      expect(serviceEnv.DEV_MODE ?? 'false').toBe('false');
      const config = loadConfig(serviceEnv);
      const file = (name: string) => readFileSync(path.join(dir, name), 'utf8').trim();
      expect(config.ingestTokens).toEqual([file('ingest-token')]);
      expect(config.queryTokens).toEqual([file('query-token')]);
      expect(config.adminTokens).toEqual([file('admin-token')]);
      expect(config.metricsTokens).toEqual([file('metrics-token')]);
      expect(config.sessionSecret).toBe(file('session-secret'));
      expect(file('ingest-token')).toMatch(/^[0-9a-f]{64}$/);
      // A value given in .env wins over the generated one.
      expect(ensureComposeSecrets(dir, { ...env, QUERY_TOKEN: 'my-own-query-token-0123456789' })['query-token']).toBe(
        'env',
      );
      expect(file('query-token')).toBe('my-own-query-token-0123456789');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives Grafana, Prometheus and the demo the generated secrets by file', () => {
    const grafana = compose.services.grafana.environment ?? {};
    expect(grafana.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe(`${SECRETS_DIR}/grafana-admin-password`);
    const datasource = readFileSync(path.join(ROOT, 'provisioning/datasources/api-sessions.yaml'), 'utf8');
    expect(datasource).toContain(`queryToken: $__file{${SECRETS_DIR}/query-token}`);
    const prometheus = readFileSync(path.join(ROOT, 'docs/integrations/prometheus.yml'), 'utf8');
    expect(prometheus).toContain(`credentials_file: ${SECRETS_DIR}/metrics-token`);
    expect(compose.services.demo.command?.join(' ')).toContain(`${SECRETS_DIR}/ingest-token`);
  });
});
