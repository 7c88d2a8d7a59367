/**
 * `npm run bench:startup`: start-up time and idle memory of the service, run from the TypeScript sources through tsx
 * (`node --import tsx backend/src/main.ts`, what `npm run service` does in development) and as the compiled bundle
 * (`node dist-service/main.js`, what the Docker image and `NODE_ENV=production npm run service` run).
 *
 * Start-up = process spawn → the first 200 from `GET /healthz` (the process serves: load and compile time), and → the
 * first 200 from `GET /readyz` (also OpenSearch reachable and the index template installed: includes OpenSearch's
 * time to create the template, which varies with the node's load). Idle RSS = VmRSS of the service process 5 s after that, with no request in between.
 *
 * Environment: OPENSEARCH_URL (required: a running node, e.g. `npm run opensearch`), BENCH_RUNS (5 per mode).
 * Builds the bundle first (`npm run build:service`). Each run uses its own index prefix, deleted afterwards.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { buildServiceBundle, freePort, rssBytes, SERVICE_ARGS } from '../../backend/test/service-process';

const ROOT = path.resolve(__dirname, '../..');
const QUERY_TOKEN = 'bench-query-token-0123456789';
const IDLE_MS = 5000;

const MODES = SERVICE_ARGS;

interface Sample {
  healthMs: number;
  startMs: number;
  rssMiB: number;
}

/** Polls `url` every 5 ms until it answers 200; fails when the child exits or after 60 s. */
async function firstOk(url: string, child: ReturnType<typeof spawn>, t0: number, what: string): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what}: the service exited (${child.exitCode})`);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${QUERY_TOKEN}` } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return performance.now() - t0;
    if (performance.now() - t0 > 60_000) throw new Error(`${what}: no 200 within 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
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
    const healthMs = await firstOk(`http://127.0.0.1:${port}/healthz`, child, t0, mode);
    const startMs = await firstOk(`http://127.0.0.1:${port}/readyz`, child, t0, mode);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { healthMs, startMs, rssMiB: rssBytes(child.pid!) / 2 ** 20 };
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
  buildServiceBundle();
  for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
    const samples: Sample[] = [];
    // Alternating would interleave page-cache effects; one warm-up run per mode instead, not counted.
    await once(mode, opensearchUrl, -1);
    for (let i = 0; i < runs; i++) samples.push(await once(mode, opensearchUrl, i));
    const stat = (xs: number[], digits: number) =>
      `${median(xs).toFixed(digits)} (min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)})`;
    console.log(
      `${mode.padEnd(9)} spawn → /healthz 200: ${stat(
        samples.map((s) => s.healthMs),
        0,
      )} ms; → /readyz 200: ${stat(
        samples.map((s) => s.startMs),
        0,
      )} ms; idle RSS ${stat(
        samples.map((s) => s.rssMiB),
        1,
      )} MiB; medians of ${runs} runs`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
