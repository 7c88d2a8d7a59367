/**
 * The service as it runs in production: `npm run build:service` bundles it into dist-service/main.js, and
 * `NODE_ENV=production npm run service` (scripts/service.sh) runs that file with plain node — the Docker image runs
 * the same file. The other integration tests run the TypeScript sources (through tsx, or in-process) so that they need
 * no build step; this one starts the compiled bundle on the real OpenSearch node and checks that it serves.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { TEST_TOKENS, record, testServiceEnv } from '../service';
import { freePort } from '../service-process';

const ROOT = path.resolve(__dirname, '../../..');
const prefix = uniquePrefix('compiled');
let child: ChildProcess;
let url: string;
const output: string[] = [];

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build:service'], { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn('npm', ['run', '--silent', 'service'], {
    cwd: ROOT,
    env: { ...process.env, ...testServiceEnv(prefix), NODE_ENV: 'production', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, stopped as a whole below: npm passes SIGTERM to its `sh -c` only, not to node under it.
    detached: true,
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${output.join('')}`);
    const ready = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${TEST_TOKENS.query}` } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready) break;
    if (i > 600) throw new Error(`the compiled service was not ready within 60 s: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  if (child?.pid) {
    // SIGTERM to the group (npm, sh, node), as Ctrl-C in a terminal does; `close` once node, the last holder of the
    // pipes, has finished its graceful stop.
    const closed = new Promise((r) => child.once('close', r));
    process.kill(-child.pid, 'SIGTERM');
    await closed;
  }
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

/** The processes under `pid` (npm → sh → bash scripts/service.sh, which execs node), with their command lines. */
function commandLines(pid: number): string[] {
  const lines: string[] = [];
  const visit = (p: number) => {
    lines.push(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim());
    let children = '';
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8');
    } catch {
      /* gone */
    }
    children.split(' ').filter(Boolean).map(Number).forEach(visit);
  };
  visit(pid);
  return lines;
}

describe('the compiled service (NODE_ENV=production npm run service)', () => {
  it('runs dist-service/main.js with plain node, not the TypeScript sources', () => {
    const lines = commandLines(child.pid!);
    const node = lines.filter((l) => /(^|\/)node /.test(l));
    expect(node.some((l) => l.endsWith('dist-service/main.js'))).toBe(true);
    expect(lines.filter((l) => /tsx|main\.ts/.test(l))).toEqual([]);
  });

  it('takes a record and answers a query with it', async () => {
    const ingest = await fetch(`${url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKENS.ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify(record({ id: 'compiled-1', ts: Date.now() - 60_000 })),
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1, rejected: 0 });
    let rows = 0;
    for (let i = 0; i < 50 && rows === 0; i++) {
      const res = await fetch(`${url}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKENS.query}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queryType: 'requests', from: Date.now() - 3_600_000, to: Date.now(), page_size: 10 }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { frames: Array<{ data: { values: unknown[][] } }> };
      rows = body.frames[0].data.values[0].length;
      if (rows === 0) await new Promise((r) => setTimeout(r, 200)); // the index refreshes every second
    }
    expect(rows).toBe(1);
  });
});
