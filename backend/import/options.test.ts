import { parseOptions, parseTime, UsageError } from './options';

describe('parseOptions', () => {
  it('reads options, env fallbacks and defaults', () => {
    const o = parseOptions(
      [
        'access.log',
        '--format',
        'combined',
        '--shift-to-now',
        '--host',
        'api.example.com',
        '--app',
        'shop',
        '--limit',
        '10',
        '--batch',
        '500',
        '--concurrency',
        '4',
      ],
      {
        INGEST_TOKEN: 'tok',
        SERVICE_URL: 'http://svc:8080',
      },
    );
    expect(o).toEqual({
      input: 'access.log',
      format: 'combined',
      url: 'http://svc:8080',
      token: 'tok',
      shiftToNow: true,
      host: 'api.example.com',
      app: 'shop',
      limit: 10,
      batch: 500,
      concurrency: 4,
      dryRun: false,
      help: false,
    });
    const d = parseOptions(['-'], { INGEST_TOKEN: 't' });
    expect(d).toMatchObject({ input: '-', format: 'auto', url: 'http://127.0.0.1:8080', batch: 1000, concurrency: 2 });
    expect(parseOptions(['x', '--url', 'https://a'], { SERVICE_URL: 'http://b', INGEST_TOKEN: 't' }).url).toBe(
      'https://a',
    );
  });
  it('takes the token from env INGEST_TOKEN or a file, never from the command line (issue 13)', () => {
    const files: Record<string, string> = { '/run/secrets/ingest': 'file-token-0123456789\n' };
    const read = (p: string) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file, open '${p}'`);
      return files[p];
    };
    expect(parseOptions(['x', '--token-file', '/run/secrets/ingest'], {}, read).token).toBe('file-token-0123456789');
    expect(parseOptions(['x'], { INGEST_TOKEN_FILE: '/run/secrets/ingest' }, read).token).toBe('file-token-0123456789');
    expect(() => parseOptions(['x', '--token-file', '/nope'], {}, read)).toThrow(/--token-file: cannot read \/nope/);
    expect(() => parseOptions(['x', '--token', 'secret-on-argv'], {})).toThrow(
      /--token is not accepted .*INGEST_TOKEN or --token-file/,
    );
    expect(() => parseOptions(['x', '--token=secret-on-argv'], {})).toThrow(UsageError);
    try {
      parseOptions(['x', '--token', 'secret-on-argv'], {});
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-on-argv');
    }
  });
  it('needs no token for --dry-run or --help', () => {
    expect(parseOptions(['x', '--dry-run'], {}).dryRun).toBe(true);
    expect(parseOptions(['--help'], {}).help).toBe(true);
  });
  it.each([
    [[], /missing input/],
    [['a', 'b'], /one input/],
    [['a', '--format', 'xml'], /--format/],
    [['a', '--batch', '0'], /--batch/],
    [['a', '--concurrency', '2.5'], /--concurrency/],
    [['a', '--limit', '-3'], /limit/],
    [['a', '--url', 'ftp://x'], /http/],
    [['a', '--host', ' '], /--host/],
    [['a', '--bogus'], /bogus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOptions(argv as string[], { INGEST_TOKEN: 't' })).toThrow(UsageError);
    expect(() => parseOptions(argv as string[], { INGEST_TOKEN: 't' })).toThrow(message);
  });
  it('needs a token', () => {
    expect(() => parseOptions(['a'], {})).toThrow(/ingest token is required/);
  });

  it('pins the now of --shift-to-now with --now (RFC 3339 or epoch ms), only with --shift-to-now', () => {
    const env = { INGEST_TOKEN: 'tok-0123456789abcdef' };
    expect(parseOptions(['a', '--shift-to-now', '--now', '2026-11-30T00:00:00Z'], env).now).toBe(
      Date.UTC(2026, 10, 30),
    );
    expect(parseOptions(['a', '--shift-to-now', '--now', '1795996800000'], env).now).toBe(1795996800000);
    expect(parseOptions(['a', '--shift-to-now'], env).now).toBeUndefined();
    expect(() => parseOptions(['a', '--shift-to-now', '--now', 'yesterday'], env)).toThrow(/--now must be/);
    expect(() => parseOptions(['a', '--now', '1795996800000'], env)).toThrow(/only applies with --shift-to-now/);
  });
});

describe('parseTime', () => {
  it('reads epoch ms and zoned RFC 3339 times, nothing else', () => {
    expect(parseTime('2026-11-30T12:00:00.500+01:00')).toBe(Date.UTC(2026, 10, 30, 11, 0, 0, 500));
    for (const bad of ['2026-11-30', '2026-11-30T12:00:00', 'now', '', '1e12']) expect(parseTime(bad)).toBeUndefined();
  });
});
