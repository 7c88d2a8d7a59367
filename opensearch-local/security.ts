/**
 * The security plugin of a local node (opt-in: `startOpenSearch({ security: true })`): OpenSearch 2.19.4 with
 * org.opensearch.security.OpenSearchSecurityPlugin loaded from the classpath (`install.sh security`, pom-security.xml),
 * for tests that must run against a security-enabled cluster (backend/test/security/: the permission table of
 * docs/operations.md with a role-restricted user).
 *
 * Before the node starts, `prepareSecurity` writes into `<home>/config`:
 *  - a throwaway CA and a node certificate signed by it (PEM, generated with `openssl`): the plugin requires TLS on the
 *    transport layer. HTTP stays plain (plugins.security.ssl.http.enabled=false), so clients need no CA;
 *  - the plugin's configuration (`opensearch-security/*.yml`), loaded into the security index at the first start
 *    (plugins.security.allow_default_init_securityindex): HTTP basic auth against the internal user database, one user
 *    `admin` mapped to `all_access`, nothing else. Tests create their roles and users as admin through the security
 *    REST API (`_plugins/_security/api/…`, enabled for all_access).
 * The node listens on 127.0.0.1 only and its data lives as long as the node, so the admin password is a constant.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The security plugin's administrator (mapped to `all_access`) on every security-enabled local node. */
export const SECURITY_ADMIN = { username: 'admin', password: 'local-admin-2.19' } as const;
/** bcrypt of SECURITY_ADMIN.password (from the plugin's own hasher, org.opensearch.security.tools.Hasher). */
const ADMIN_HASH = '$2y$12$17kSGwoYLQBe2XiZoPDNe./6XQnlehjjDetMjU0fVCkjI1EFEOC/.';

/** The plugin class the launcher loads (`--plugin`). */
export const SECURITY_PLUGIN_CLASS = 'org.opensearch.security.OpenSearchSecurityPlugin';

/** One-component distinguished names: a `-E` value with commas would be read as a list. */
const NODE_DN = 'CN=opensearch-local-node';
const ADMIN_DN = 'CN=opensearch-local-admin';

/** What a security-enabled node needs beyond a plain one. */
export interface SecuritySetup {
  /** Launcher arguments: `--plugin <class>` and the plugin's `-E` settings. */
  args: string[];
  /** The CA that signed the node certificate (PEM), for clients that want transport-level trust. */
  caFile: string;
}

/** `Authorization` header of basic auth. */
export function basicAuthHeader(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new Error('openssl is required for a security-enabled node (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${String(e.stderr ?? e.message).trim()}`);
  }
}

/** Writes a throwaway CA, the node certificate and key (PKCS#8, as the plugin wants) into `configDir`. */
function writeCertificates(configDir: string): void {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', 'ca-key.pem', '-out', 'ca.pem'].concat([
      '-subj',
      '/CN=opensearch-local test CA',
    ]),
    configDir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node-key.rsa.pem', '-out', 'node.csr'].concat([
      '-subj',
      `/${NODE_DN}`,
    ]),
    configDir,
  );
  fs.writeFileSync(
    path.join(configDir, 'node.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'node.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '30',
    ].concat(['-extfile', 'node.ext', '-out', 'node.pem']),
    configDir,
  );
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'node-key.rsa.pem', '-out', 'node-key.pem'], configDir);
  for (const f of ['ca-key.pem', 'ca.srl', 'node-key.rsa.pem', 'node.csr', 'node.ext'])
    fs.rmSync(path.join(configDir, f), { force: true });
}

/** The plugin's configuration files (opensearch-security/*.yml). */
function securityConfigFiles(): Record<string, string> {
  const meta = (type: string) => `_meta:\n  type: "${type}"\n  config_version: 2\n`;
  return {
    'config.yml': [
      meta('config'),
      'config:',
      '  dynamic:',
      '    http:',
      '      anonymous_auth_enabled: false',
      '    authc:',
      '      basic_internal_auth_domain:',
      '        http_enabled: true',
      '        transport_enabled: true',
      '        order: 0',
      '        http_authenticator:',
      '          type: basic',
      '          challenge: true',
      '        authentication_backend:',
      '          type: intern',
      '',
    ].join('\n'),
    'internal_users.yml': `${meta('internalusers')}${SECURITY_ADMIN.username}:\n  hash: "${ADMIN_HASH}"\n  reserved: true\n  backend_roles: ["admin"]\n`,
    'roles_mapping.yml': `${meta('rolesmapping')}all_access:\n  reserved: false\n  backend_roles: ["admin"]\n`,
    'roles.yml': meta('roles'),
    'action_groups.yml': meta('actiongroups'),
    'tenants.yml': meta('tenants'),
    'nodes_dn.yml': meta('nodesdn'),
    'allowlist.yml': `${meta('allowlist')}config:\n  enabled: false\n`,
  };
}

/**
 * Writes certificates and the security configuration into `<home>/config` (owner-only permissions, as the plugin
 * wants) and returns the launcher arguments that load the plugin with them.
 */
export function prepareSecurity(home: string): SecuritySetup {
  const configDir = path.join(home, 'config');
  const securityDir = path.join(configDir, 'opensearch-security');
  fs.mkdirSync(securityDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(configDir, 0o700);
  fs.chmodSync(securityDir, 0o700);
  writeCertificates(configDir);
  for (const [name, text] of Object.entries(securityConfigFiles()))
    fs.writeFileSync(path.join(securityDir, name), text, { mode: 0o600 });
  for (const f of ['ca.pem', 'node.pem', 'node-key.pem']) fs.chmodSync(path.join(configDir, f), 0o600);

  const settings: Record<string, string> = {
    'plugins.security.ssl.transport.pemcert_filepath': 'node.pem',
    'plugins.security.ssl.transport.pemkey_filepath': 'node-key.pem',
    'plugins.security.ssl.transport.pemtrustedcas_filepath': 'ca.pem',
    'plugins.security.ssl.transport.enforce_hostname_verification': 'false',
    'plugins.security.ssl.http.enabled': 'false',
    'plugins.security.allow_default_init_securityindex': 'true',
    'plugins.security.authcz.admin_dn': ADMIN_DN,
    'plugins.security.nodes_dn': NODE_DN,
    'plugins.security.restapi.roles_enabled': 'all_access',
    'plugins.security.audit.type': 'noop',
    'plugins.security.compliance.salt': randomBytes(8).toString('hex'),
  };
  return {
    args: ['--plugin', SECURITY_PLUGIN_CLASS, ...Object.entries(settings).map(([k, v]) => `-E${k}=${v}`)],
    caFile: path.join(configDir, 'ca.pem'),
  };
}
