/**
 * `npm run bench:startup`: start-up time and idle memory of the service, run from the TypeScript sources through tsx
 * (`node --import tsx backend/src/main.ts`, what `npm run service` does in development) and as the compiled bundle
 * (`node dist-service/main.js`, what the Docker image and `NODE_ENV=production npm run service` run).
 *
 * Start-up = process spawn → the first 200 from `GET /readyz` (OpenSearch reachable, index template installed).
 * Idle RSS = VmRSS of the service process 5 s after that, with no request in between.
 *
 * Environment: OPENSEARCH_URL (required: a running node, e.g. `npm run opensearch`), BENCH_RUNS (5 per mode).
 * Builds the bundle first (`npm run build:service`). Each run uses its own index prefix, deleted afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { rssBytes } from '../../backend/test/service-process';
import { freePort } from '../../backend/test/service-process';

const ROOT = path.resolve(__dirname, '../..');
const QUERY_TOKEN = 'bench-query-token-0123456789';
const IDLE_MS = 5000;

const MODES = {
  tsx: ['--import', 'tsx', 'backend/src/main.ts'],
  compiled: ['--enable-source-maps', 'dist-service/main.js'],
} as const;

interface Sample {
  startMs: number;
  rssMiB: number;
}

async function once(mode: keyof typeof MODES, opensearchUrl: string, run: number): Promise<Sample> {
  const port = await freePort();
  const prefix = `bench-startup-${mode}-${run}-${Date.now()}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...MODES[mode]], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      OPENSEARCH_URL: opensearchUrl,
      INDEX_PREFIX: prefix,
      INGEST_TOKENS: 'bench-ingest-token-0123456789',
      QUERY_TOKENS: QUERY_TOKEN,
      SESSION_SECRET: 'bench-session-secret-0123456789',
    },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${mode}: the service exited (${child.exitCode})`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { authorization: `Bearer ${QUERY_TOKEN}` } })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      if (performance.now() - t0 > 60_000) throw new Error(`${mode}: not ready within 60 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const startMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { startMs, rssMiB: rssBytes(child.pid!) / 2 ** 20 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fetch(`${opensearchUrl.split(',')[0]}/${prefix}-*`, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${opensearchUrl.split(',')[0]}/_index_template/${prefix}-*`, { method: 'DELETE' }).catch(
      () => undefined,
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const opensearchUrl = process.env.OPENSEARCH_URL;
  if (!opensearchUrl) throw new Error('set OPENSEARCH_URL to a running OpenSearch node (npm run opensearch)');
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  execFileSync('npm', ['run', '--silent', 'build:service'], { cwd: ROOT, stdio: 'inherit' });
  for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
    const samples: Sample[] = [];
    // Alternating would interleave page-cache effects; one warm-up run per mode instead, not counted.
    await once(mode, opensearchUrl, -1);
    for (let i = 0; i < runs; i++) samples.push(await once(mode, opensearchUrl, i));
    const starts = samples.map((s) => s.startMs);
    const rss = samples.map((s) => s.rssMiB);
    console.log(
      `${mode.padEnd(9)} start-up median ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, ` +
        `max ${Math.max(...starts).toFixed(0)}); idle RSS median ${median(rss).toFixed(1)} MiB ` +
        `(min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}); ${runs} runs`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
