/**
 * Schemathesis (PyPI) against the spawned service's /v1/openapi.json: valid and invalid requests generated from
 * the spec must never get a 5xx (check `not_a_server_error`). Runs backend/test/fuzz/schemathesis.sh.
 * Needs `python3 -m pip install schemathesis`: when it is missing this test FAILS and says so (never skipped).
 * ST_MAX_EXAMPLES (default 25 here) and ST_SEED pass through to the script.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { spawnService, type ServiceProcess } from '../service-process';
import { TEST_TOKENS, testServiceEnv } from '../service';

jest.setTimeout(420_000);

const SCRIPT = path.join(__dirname, 'schemathesis.sh');
const client = testClient();
const prefix = uniquePrefix('fuzz-schemathesis');
let svc: ServiceProcess | undefined;

afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

function schemathesisInstalled(): boolean {
  const cli = spawnSync('schemathesis', ['--version'], { encoding: 'utf8' });
  if (cli.status === 0) return true;
  return spawnSync('python3', ['-c', 'import schemathesis'], { encoding: 'utf8' }).status === 0;
}

it('schemathesis finds no server error in any operation of /v1/openapi.json', async () => {
  if (!schemathesisInstalled()) {
    throw new Error(
      'schemathesis is not installed. Install it with `python3 -m pip install schemathesis` (PyPI), then rerun.',
    );
  }
  svc = await spawnService(testServiceEnv(prefix, { LOG_LEVEL: 'warn' }));
  const env = {
    ...process.env,
    SERVICE_URL: svc.url,
    QUERY_TOKEN: TEST_TOKENS.query,
    INGEST_TOKEN: TEST_TOKENS.ingest,
    ST_MAX_EXAMPLES: process.env.ST_MAX_EXAMPLES ?? '25',
  };
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('bash', [SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => output.push(String(d)));
    child.stderr.on('data', (d) => output.push(String(d)));
    child.on('close', resolve);
  });
  const text = output.join('');
  if (code !== 0) {
    // show schemathesis' own report (failures include a curl reproducer) and what the service logged
    throw new Error(
      `schemathesis exited ${code}:\n${text.slice(-8000)}\n--- service output ---\n${svc.output.join('').slice(-3000)}`,
    );
  }
  expect(text).toMatch(/passed/);
  expect(svc.child.exitCode).toBeNull();
});
