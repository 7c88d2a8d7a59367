import { parseOptions, UsageError } from './options';

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
    const d = parseOptions(['-', '--token', 't'], {});
    expect(d).toMatchObject({ input: '-', format: 'auto', url: 'http://127.0.0.1:8080', batch: 1000, concurrency: 2 });
    expect(parseOptions(['x', '--url', 'https://a', '--token', 't'], { SERVICE_URL: 'http://b' }).url).toBe(
      'https://a',
    );
  });
  it('needs no token for --dry-run or --help', () => {
    expect(parseOptions(['x', '--dry-run'], {}).dryRun).toBe(true);
    expect(parseOptions(['--help'], {}).help).toBe(true);
  });
  it.each([
    [[], /missing input/],
    [['a', 'b', '--token', 't'], /one input/],
    [['a'], /ingest token is required/],
    [['a', '--token', 't', '--format', 'xml'], /--format/],
    [['a', '--token', 't', '--batch', '0'], /--batch/],
    [['a', '--token', 't', '--concurrency', '2.5'], /--concurrency/],
    [['a', '--token', 't', '--limit', '-3'], /limit/],
    [['a', '--token', 't', '--url', 'ftp://x'], /http/],
    [['a', '--token', 't', '--host', ' '], /--host/],
    [['a', '--token', 't', '--bogus'], /bogus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOptions(argv as string[], {})).toThrow(UsageError);
    expect(() => parseOptions(argv as string[], {})).toThrow(message);
  });
});
