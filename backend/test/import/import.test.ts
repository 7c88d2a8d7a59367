/**
 * End-to-end: generated combined logs (plain, gzip on stdin, broken lines) imported by the CLI into the real service
 * and OpenSearch node, then checked through the query API. Also the failure modes: wrong token, unreachable
 * service, everything rejected, empty input; and the real command (`tsx backend/import/cli.ts`) on stdin.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { deletePrefix, uniquePrefix } from '../opensearch';
import { startTestService, TEST_TOKENS, type TestService } from '../service';
import { BROKEN, generateCombinedLog, KNOWN, clfDate, type GeneratedLog } from './generate-log';
import { frameRows, runCli } from './run-cli';

const HOST = 'logs.example.com';
/** The `--now` of both imports (the clock when the file loads). */
const SHIFT_NOW = Date.now();
const ROOT = join(__dirname, '../../..');
let svc: TestService;
let prefix: string;
let dir: string;
let log: GeneratedLog;
let plainPath: string;
let gzPath: string;

beforeAll(async () => {
  prefix = uniquePrefix('import');
  svc = await startTestService(prefix);
  dir = mkdtempSync(join(tmpdir(), 'import-e2e-'));
  // Three years old: only --shift-to-now brings these lines into the retention window.
  log = generateCombinedLog({ actors: 60, perActor: 50, start: Date.parse('2021-03-01T09:00:00Z') });
  plainPath = join(dir, 'access.log');
  gzPath = join(dir, 'access.log.1.gz');
  writeFileSync(plainPath, log.text);
  writeFileSync(gzPath, gzipSync(log.text));
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  await deletePrefix(svc.client, prefix).catch(() => undefined);
});

const env = () => ({ SERVICE_URL: svc.url, INGEST_TOKEN: TEST_TOKENS.ingest });

async function query(body: Record<string, unknown>) {
  await svc.client.indices.refresh({
    index: `${prefix}-requests-*`,
    ignore_unavailable: true,
    allow_no_indices: true,
  } as never);
  const now = Date.now();
  const res = await svc.post('/v1/query', { from: now - 6 * 3_600_000, to: now + 60_000, ...body });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.frames[0];
}

async function requestCount(filters: Record<string, unknown>): Promise<number> {
  const frame = await query({ queryType: 'requests', page_size: 1, ...filters });
  return frame.schema.meta.custom.total;
}

describe('import (end to end, real service and OpenSearch)', () => {
  it('imports a few thousand combined lines with --shift-to-now; broken lines are counted and listed', async () => {
    const run = await runCli(
      [
        plainPath,
        '--shift-to-now',
        '--now',
        String(SHIFT_NOW),
        '--host',
        HOST,
        '--app',
        'import-e2e',
        '--batch',
        '500',
      ],
      env(),
    );
    expect(run.stderr).toContain(
      `${log.records.toLocaleString('en-US')} records, ${BROKEN.length} unparseable; ${log.records.toLocaleString('en-US')} accepted, 0 rejected`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`unparseable lines (first 5 of ${BROKEN.length}):`);
    for (const n of log.brokenLines.slice(0, 5)) expect(run.stderr).toMatch(new RegExp(`line ${n}: `));

    expect(await requestCount({ host: HOST })).toBe(log.records);
    expect(await requestCount({ host: HOST, app: 'import-e2e', client_ip: KNOWN.ip })).toBe(KNOWN.requests);

    // The newest line landed at now − 1 min (the pinned now).
    const newest = frameRows(await query({ queryType: 'requests', host: HOST, page_size: 1 }))[0];
    expect(newest.time).toBe(SHIFT_NOW - 60_000);

    // The known actor (one ip + user agent, 10 s apart) is one session of all its requests.
    const sessions = frameRows(await query({ queryType: 'sessions', client_ip: KNOWN.ip }));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      requests: KNOWN.requests,
      host: HOST,
      app: 'import-e2e',
      key_source: 'ip+ua',
      user_agent: KNOWN.uaDecoded,
    });
    expect(sessions[0].end - sessions[0].start).toBe((KNOWN.requests - 1) * 10_000);
  }, 120_000);

  it('imports the same log gzip-compressed from stdin again without storing anything twice', async () => {
    // The same --now as the first import: the same timestamps, so every record lands on the same daily index and
    // is recognised (without it the shift moves with the clock, and a record near UTC midnight changes day).
    const run = await runCli(
      ['-', '--shift-to-now', '--now', String(SHIFT_NOW), '--host', HOST, '--app', 'import-e2e', '--concurrency', '3'],
      env(),
      createReadStream(gzPath),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${log.records.toLocaleString('en-US')} accepted`);
    expect(await requestCount({ host: HOST })).toBe(log.records);
  }, 120_000);

  it('imports the documented nginx JSON sample; its cookie keys the session', async () => {
    const sample = join(ROOT, 'docs/integrations/samples/nginx-json.log');
    const run = await runCli([sample, '--shift-to-now'], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('3 lines read (nginx-json), 2 records, 1 unparseable; 2 accepted, 0 rejected');
    const sessions = frameRows(await query({ queryType: 'sessions', host: 'api.example.com' }));
    expect(sessions.map((s) => s.key_source).sort()).toEqual(['cookie:PHPSESSID', 'header:authorization']);
    // Identifier values are never printed.
    expect(run.stderr).not.toContain('abc123');
    expect(run.stderr).not.toContain('eyJ');
  }, 60_000);

  it('fails clearly when everything is rejected (old lines without --shift-to-now)', async () => {
    const run = await runCli([plainPath, '--host', 'old.example.com', '--limit', '100'], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected by the service \(first 5 of \d+\):/);
    expect(run.stderr).toMatch(/line 1: ts: .*retention/);
    expect(run.stderr).toContain('error: the service rejected every record');
  }, 60_000);

  it('fails clearly on a refused token, without printing it', async () => {
    const run = await runCli([plainPath, '--limit', '10', '--shift-to-now'], {
      SERVICE_URL: svc.url,
      INGEST_TOKEN: 'wrong-token-123456',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refused the ingest token (401)');
    expect(run.stderr).not.toContain('wrong-token-123456');
    const query = await runCli([plainPath, '--limit', '10', '--shift-to-now'], {
      SERVICE_URL: svc.url,
      INGEST_TOKEN: TEST_TOKENS.query,
    });
    expect(query.code).toBe(1);
  }, 60_000);

  it('fails clearly when the service is unreachable', async () => {
    const run = await runCli([plainPath, '--limit', '10'], { SERVICE_URL: 'http://127.0.0.1:9', INGEST_TOKEN: 't' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach http://127.0.0.1:9/v1/requests');
    expect(run.stderr).toContain('is the service running?');
  }, 60_000);

  it('exits 0 on empty input, 1 when no line parses, 2 on a wrong command line', async () => {
    expect((await runCli(['-'], env(), Readable.from(['\n\n']))).code).toBe(0);
    const junk = await runCli(['-', '--format', 'combined'], env(), Readable.from(['junk\nmore junk\n']));
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('no line could be parsed as combined');
    const unknown = await runCli(['-'], env(), Readable.from(['junk\n']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('cannot recognise the log format (line 1)');
    expect((await runCli(['--batch', 'x'], env())).code).toBe(2);
  });

  it('works as a real command on stdin (npx tsx backend/import/cli.ts -)', async () => {
    const now = Date.now();
    const lines = Array.from(
      { length: 20 },
      (_, i) => `192.0.2.200 - - [${clfDate(now - 120_000 + i * 1000)}] "GET /cmd/${i} HTTP/1.1" 200 5 "-" "cmd-test"`,
    );
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'backend/import/cli.ts', '-', '--host', 'cmd.example.com'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env() },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(lines.join('\n') + '\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('20 accepted, 0 rejected');
    expect(code).toBe(0);
    expect(await requestCount({ host: 'cmd.example.com' })).toBe(20);
  }, 90_000);

  it('retries 429 answers after Retry-After until every batch is stored (service with MAX_INFLIGHT_RECORDS=1000)', async () => {
    const busyPrefix = uniquePrefix('import-busy');
    const busy = await startTestService(busyPrefix, { MAX_INFLIGHT_RECORDS: '1000' });
    try {
      const run = await runCli(
        [plainPath, '--shift-to-now', '--host', 'busy.example.com', '--batch', '1000', '--concurrency', '4'],
        {
          SERVICE_URL: busy.url,
          INGEST_TOKEN: TEST_TOKENS.ingest,
        },
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('HTTP 429, retrying in 1.0 s');
      expect(run.stderr).toMatch(/; ([\d,]+) accepted, 0 rejected, \d+ retries/);
      const accepted = Number(/; ([\d,]+) accepted/.exec(run.stderr)![1].replace(/,/g, ''));
      expect(accepted).toBe(log.records);
    } finally {
      await busy.stop();
      await deletePrefix(svc.client, busyPrefix);
    }
  }, 120_000);

  it('--dry-run prints records that match what was posted', async () => {
    const run = await runCli([gzPath, '--dry-run', '--limit', '3', '--host', HOST, '--app', 'import-e2e'], {});
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ host: HOST, app: 'import-e2e', method: 'GET' });
    expect(readFileSync(plainPath, 'utf8').length).toBeGreaterThan(0);
  });
});
