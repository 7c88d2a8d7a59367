import { ConfigError, loadConfig } from './config';

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
    });
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
  });
});
