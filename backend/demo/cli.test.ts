import { readEnv } from './cli';

describe('demo CLI environment', () => {
  it('requires INGEST_TOKEN with a clear message', () => {
    expect(() => readEnv({})).toThrow(/INGEST_TOKEN is required/);
  });

  it('applies defaults', () => {
    expect(readEnv({ INGEST_TOKEN: 't' }, () => 1234)).toEqual({
      serviceUrl: 'http://127.0.0.1:8080',
      token: 't',
      seed: 42,
      hours: 6,
      now: 1234,
    });
  });

  it('reads DEMO_NOW as ISO or epoch ms, and rejects bad values', () => {
    expect(readEnv({ INGEST_TOKEN: 't', DEMO_NOW: '2026-11-28T03:00:00Z' }).now).toBe(
      Date.parse('2026-11-28T03:00:00Z'),
    );
    expect(readEnv({ INGEST_TOKEN: 't', DEMO_NOW: '1795813230687' }).now).toBe(1795813230687);
    expect(() => readEnv({ INGEST_TOKEN: 't', DEMO_NOW: 'yesterday', DEMO_HOURS: '-1', DEMO_SEED: 'x' })).toThrow(
      /DEMO_SEED[\s\S]*DEMO_HOURS[\s\S]*DEMO_NOW/,
    );
    expect(() => readEnv({ INGEST_TOKEN: 't', SERVICE_URL: 'not a url' })).toThrow(/SERVICE_URL/);
  });

  it('reads DEMO_SKIP_IF_DATA, which needs QUERY_TOKEN', () => {
    expect(readEnv({ INGEST_TOKEN: 't', DEMO_SKIP_IF_DATA: 'true', QUERY_TOKEN: 'q' }).skipIfDataToken).toBe('q');
    expect(
      readEnv({ INGEST_TOKEN: 't', DEMO_SKIP_IF_DATA: 'false', QUERY_TOKEN: 'q' }).skipIfDataToken,
    ).toBeUndefined();
    expect(() => readEnv({ INGEST_TOKEN: 't', DEMO_SKIP_IF_DATA: 'true' })).toThrow(/needs QUERY_TOKEN/);
    expect(() => readEnv({ INGEST_TOKEN: 't', DEMO_SKIP_IF_DATA: 'yes' })).toThrow(/DEMO_SKIP_IF_DATA must be/);
  });
});
