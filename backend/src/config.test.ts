import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkPemFiles, ConfigError, loadConfig } from './config';

const valid = {
  INGEST_TOKENS: 'ingest-token-0123456789',
  QUERY_TOKENS: 'query-token-0123456789,second-query-token-xx',
  SESSION_SECRET: 'secret-0123456789abcdef',
};

describe('config', () => {
  it('applies documented defaults', () => {
    const c = loadConfig(valid);
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      indexPrefix: 'api-sessions',
      retentionDays: 7,
      maxBodyBytes: 10 * 1024 * 1024,
    });
    expect(c.queryTokens).toHaveLength(2);
  });
  it('lists every missing or invalid variable without echoing secrets', () => {
    try {
      loadConfig({ PORT: 'x', INGEST_TOKENS: 'short', INDEX_PREFIX: 'Bad Prefix' });
      throw new Error('expected ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      for (const name of ['PORT', 'INGEST_TOKENS', 'QUERY_TOKENS', 'SESSION_SECRET', 'INDEX_PREFIX'])
        expect(msg).toContain(name);
      expect(msg).not.toContain('short');
    }
  });
  it('reads OPENSEARCH_URL as one node or a comma-separated list of nodes', () => {
    expect(loadConfig(valid).opensearch.urls).toEqual(['http://127.0.0.1:9200']);
    expect(loadConfig({ ...valid, OPENSEARCH_URL: 'https://os.example:9200' }).opensearch.urls).toEqual([
      'https://os.example:9200',
    ]);
    const list = ' http://10.0.0.1:9200, http://10.0.0.2:9200 ,http://10.0.0.3:9200,';
    expect(loadConfig({ ...valid, OPENSEARCH_URL: list }).opensearch.urls).toEqual([
      'http://10.0.0.1:9200',
      'http://10.0.0.2:9200',
      'http://10.0.0.3:9200',
    ]);
  });
  it('names a bad OPENSEARCH_URL entry by position, never by value', () => {
    const bad = (url: string) => {
      try {
        loadConfig({ ...valid, OPENSEARCH_URL: url });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.join('\n');
      }
      throw new Error(`expected ConfigError for ${url}`);
    };
    expect(bad('http://a:9200,ftp://user:s3cret@b:21')).toMatch(
      /^OPENSEARCH_URL: entry 2 of 2 is not an http\(s\) URL$/,
    );
    expect(bad('http://a:9200,http://user:s3cret@b:9200,http://user:s3cret@b:9200/')).toBe(
      'OPENSEARCH_URL: entry 3 repeats an earlier node URL',
    );
    expect(bad(' , ')).toBe('OPENSEARCH_URL: must list at least one node URL');
    expect(bad('not a url')).toMatch(/entry 1 of 1 is not an http\(s\) URL/);
    for (const url of ['http://a:9200,ftp://user:s3cret@b:21', 'http://user:s3cret@b:9200,http://user:s3cret@b:9200'])
      expect(bad(url)).not.toContain('s3cret');
  });
  it('reads TRUST_PROXY as Express trust proxy: false, true, hops, or proxy addresses', () => {
    expect(loadConfig(valid).trustProxy).toBe(false);
    expect(loadConfig({ ...valid, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...valid, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...valid, TRUST_PROXY: '10.0.0.0/8, loopback,::1,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.example.com', '1.2.3.4/8/8'])
      expect(() => loadConfig({ ...valid, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
  });
  it('refuses the published *-change-me secrets unless DEV_MODE is on (issue 13)', () => {
    const dev = {
      INGEST_TOKENS: 'dev-ingest-token-change-me',
      QUERY_TOKENS: 'dev-query-token-change-me',
      ADMIN_TOKENS: 'dev-admin-token-change-me',
      SESSION_SECRET: 'dev-session-secret-change-me',
    };
    let message = '';
    try {
      loadConfig(dev);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['INGEST_TOKENS', 'QUERY_TOKENS', 'ADMIN_TOKENS', 'SESSION_SECRET'])
      expect(message).toContain(`${name}: a published placeholder (*-change-me)`);
    expect(message).not.toContain('dev-ingest-token-change-me');
    expect(() => loadConfig({ ...valid, QUERY_TOKENS: 'mine-0123456789abcdef,other-CHANGE-ME' })).toThrow(
      /QUERY_TOKENS/,
    );
    expect(loadConfig({ ...dev, DEV_MODE: 'true' })).toMatchObject({ devMode: true });
    expect(loadConfig(valid).devMode).toBe(false);
    expect(() => loadConfig({ ...valid, DEV_MODE: 'yes' })).toThrow(/DEV_MODE/);
  });
  it('takes credentials out of OPENSEARCH_URL, so the URL it keeps (and logs) has none', () => {
    expect(loadConfig({ ...valid, OPENSEARCH_URL: 'https://svc:p%40ss@os.example:9200' }).opensearch).toEqual({
      urls: ['https://os.example:9200/'],
      username: 'svc',
      password: 'p@ss',
      caFile: undefined,
    });
    const explicit = loadConfig({
      ...valid,
      OPENSEARCH_URL: 'https://svc:pass@os.example:9200',
      OPENSEARCH_USERNAME: 'other',
      OPENSEARCH_PASSWORD: 'secret',
    }).opensearch;
    expect(explicit).toMatchObject({ urls: ['https://os.example:9200/'], username: 'other', password: 'secret' });
    expect(loadConfig(valid).opensearch.urls).toEqual(['http://127.0.0.1:9200']);
  });
  it('reads secrets from <NAME>_FILE when <NAME> is unset (docker-compose, Kubernetes secrets)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    try {
      writeFileSync(path.join(dir, 'ingest'), 'file-ingest-token-0123456789\nsecond-ingest-token-0123456789\n');
      writeFileSync(path.join(dir, 'secret'), 'file-session-secret-0123456789\n');
      writeFileSync(path.join(dir, 'metrics'), 'file-metrics-token-0123456789');
      const c = loadConfig({
        QUERY_TOKENS: valid.QUERY_TOKENS,
        INGEST_TOKENS_FILE: path.join(dir, 'ingest'),
        SESSION_SECRET_FILE: path.join(dir, 'secret'),
        METRICS_TOKENS_FILE: path.join(dir, 'metrics'),
      });
      expect(c.ingestTokens).toEqual(['file-ingest-token-0123456789', 'second-ingest-token-0123456789']);
      expect(c.sessionSecret).toBe('file-session-secret-0123456789');
      expect(c.metricsTokens).toEqual(['file-metrics-token-0123456789']);
      expect(loadConfig({ ...valid, INGEST_TOKENS_FILE: path.join(dir, 'ingest') }).ingestTokens).toEqual([
        valid.INGEST_TOKENS,
      ]); // the variable itself wins
      expect(() => loadConfig({ ...valid, SESSION_SECRET: '', SESSION_SECRET_FILE: path.join(dir, 'nope') })).toThrow(
        /SESSION_SECRET_FILE: cannot read/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses a token in both scopes', () => {
    expect(() => loadConfig({ ...valid, QUERY_TOKENS: valid.INGEST_TOKENS })).toThrow(/both scopes/);
  });
  it('reads the inventory settings and keeps the admin scope apart', () => {
    const c = loadConfig({
      ...valid,
      ADMIN_TOKENS: 'admin-token-0123456789',
      SPECS_DIR: '/var/specs',
      FLOWS_CONFIG: '/etc/flows.yaml',
    });
    expect(c).toMatchObject({
      adminTokens: ['admin-token-0123456789'],
      specsDir: '/var/specs',
      flowsConfigPath: '/etc/flows.yaml',
    });
    expect(loadConfig(valid).adminTokens).toEqual([]);
    expect(() => loadConfig({ ...valid, ADMIN_TOKENS: valid.INGEST_TOKENS })).toThrow(
      /ADMIN_TOKENS: an admin token cannot also be/,
    );
    expect(() => loadConfig({ ...valid, ADMIN_TOKENS: 'short' })).toThrow(/ADMIN_TOKENS/);
  });
  it('reads labelled admin tokens, decision tokens and the block settings', () => {
    const c = loadConfig({
      ...valid,
      ADMIN_TOKENS: 'soc-grafana:admin-token-0123456789, unlabelled-admin-token-01',
      DECISION_TOKENS: 'decision-token-0123456789',
      BLOCK_DEFAULT_MINUTES: '30',
    });
    expect(c.adminTokens).toEqual(['admin-token-0123456789', 'unlabelled-admin-token-01']);
    expect(c.adminTokenLabels[0]).toEqual({ label: 'soc-grafana', token: 'admin-token-0123456789' });
    expect(c.adminTokenLabels[1].label).toMatch(/^token-[0-9a-f]{8}$/);
    expect(c.decisionTokens).toEqual(['decision-token-0123456789']);
    expect(c.blocks).toEqual({
      defaultMinutes: 30,
      maxMinutes: 43200,
      refreshMs: 2000,
      staleAfterMs: 60_000,
      maxActive: 100_000,
      hitsFlushMs: 10_000,
    });
    expect(loadConfig({ ...valid, BLOCKS_HITS_FLUSH_MS: '500' }).blocks.hitsFlushMs).toBe(500);
    expect(loadConfig(valid).decisionTokens).toEqual([]);
  });
  it('refuses a short labelled token, shared decision tokens and a default past the maximum', () => {
    expect(() => loadConfig({ ...valid, ADMIN_TOKENS: 'soc:short' })).toThrow(/ADMIN_TOKENS: every token/);
    expect(() => loadConfig({ ...valid, DECISION_TOKENS: valid.INGEST_TOKENS })).toThrow(/DECISION_TOKENS/);
    expect(() =>
      loadConfig({ ...valid, ADMIN_TOKENS: 'a:admin-token-0123456789', DECISION_TOKENS: 'admin-token-0123456789' }),
    ).toThrow(/DECISION_TOKENS/);
    expect(() => loadConfig({ ...valid, BLOCK_DEFAULT_MINUTES: '100', BLOCK_MAX_MINUTES: '10' })).toThrow(
      /BLOCK_DEFAULT_MINUTES/,
    );
    expect(() => loadConfig({ ...valid, BLOCKS_REFRESH_MS: '6000' })).toThrow(/BLOCKS_REFRESH_MS/);
    expect(() => loadConfig({ ...valid, BLOCKS_HITS_FLUSH_MS: '50' })).toThrow(/BLOCKS_HITS_FLUSH_MS/);
  });
  it('checks every TLS file is readable PEM, naming the variable and the file (never its content)', () => {
    const files: Record<string, string> = { '/ok.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n', '/text': 'hunter2' };
    const readText = (p: string) => {
      if (p in files) return files[p];
      throw new Error(`EACCES: permission denied, open '${p}'`);
    };
    expect(checkPemFiles({ OPENSEARCH_CA_FILE: '/ok.pem', TLS_CERT_FILE: '/ok.pem' }, readText)).toEqual([]);
    expect(
      checkPemFiles(
        { OPENSEARCH_CA_FILE: '/missing.pem', OPENSEARCH_KEY_FILE: '/text', TLS_KEY_FILE: '/ok.pem' },
        readText,
      ),
    ).toEqual([
      "OPENSEARCH_CA_FILE: cannot read /missing.pem: EACCES: permission denied, open '/missing.pem'",
      'OPENSEARCH_KEY_FILE: /text is not a PEM file (no "-----BEGIN" line)',
    ]);
    expect(() => loadConfig({ ...valid, TLS_CERT_FILE: '/ok.pem', TLS_KEY_FILE: '/text' }, readText)).toThrow(
      /TLS_KEY_FILE: \/text is not a PEM file/,
    );
    try {
      loadConfig({ ...valid, TLS_CERT_FILE: '/ok.pem', TLS_KEY_FILE: '/text' }, readText);
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
  it('takes a client certificate (both files) and an API key or basic auth from files, never both', () => {
    const files: Record<string, string> = {
      '/c.pem': '-----BEGIN CERTIFICATE-----\n',
      '/k.pem': '-----BEGIN PRIVATE KEY-----\n',
      '/apikey': 'os_0123456789abcdef\n',
      '/user': 'api-sessions\n',
      '/pass': 'Pa55-word\n',
    };
    const readText = (p: string) => {
      if (p in files) return files[p];
      throw new Error(`ENOENT: no such file or directory, open '${p}'`);
    };
    const mtls = loadConfig(
      { ...valid, OPENSEARCH_CERT_FILE: '/c.pem', OPENSEARCH_KEY_FILE: '/k.pem', OPENSEARCH_API_KEY_FILE: '/apikey' },
      readText,
    ).opensearch;
    expect(mtls).toMatchObject({ certFile: '/c.pem', keyFile: '/k.pem', apiKey: 'os_0123456789abcdef' });
    expect(mtls.username).toBeUndefined();
    expect(
      loadConfig({ ...valid, OPENSEARCH_USERNAME_FILE: '/user', OPENSEARCH_PASSWORD_FILE: '/pass' }, readText)
        .opensearch,
    ).toMatchObject({ username: 'api-sessions', password: 'Pa55-word' });
    expect(() => loadConfig({ ...valid, OPENSEARCH_CERT_FILE: '/c.pem' }, readText)).toThrow(
      /OPENSEARCH_CERT_FILE\/OPENSEARCH_KEY_FILE: set both or neither/,
    );
    expect(() =>
      loadConfig({ ...valid, OPENSEARCH_API_KEY: 'os_key', OPENSEARCH_USERNAME: 'u', OPENSEARCH_PASSWORD: 'p' }),
    ).toThrow(/OPENSEARCH_API_KEY: set an API key or basic auth/);
    expect(() =>
      loadConfig({ ...valid, OPENSEARCH_API_KEY: 'os_key', OPENSEARCH_URL: 'https://u:p@os.example:9200' }),
    ).toThrow(/not both/);
  });
});
