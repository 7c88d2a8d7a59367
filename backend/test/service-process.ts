/**
 * The real service as a child process (`node --import tsx backend/src/main.ts`, or the compiled bundle
 * `node --enable-source-maps dist-service/main.js` that production runs), for tests that kill it and for benchmarks
 * that read its CPU and memory from /proc. `pid` is the service process itself (no wrapper).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { request } from 'node:https';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Node arguments of the two ways to run the service: the sources through tsx, or the bundle production runs. */
export const SERVICE_ARGS = {
  tsx: ['--import', 'tsx', path.join(ROOT, 'backend/src/main.ts')],
  compiled: ['--enable-source-maps', path.join(ROOT, 'dist-service/main.js')],
} as const;

/** Builds the bundle SERVICE_ARGS.compiled runs (`npm run build:service`). */
export function buildServiceBundle(): void {
  execFileSync('npm', ['run', '--silent', 'build:service'], { cwd: ROOT, stdio: 'inherit' });
}

/** A running service process. */
export interface ServiceProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Output lines (stdout + stderr). */
  output: string[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** GET over HTTPS trusting `ca` (for the TLS test). */
export function httpsGet(
  url: string,
  ca: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts the service with `env` (PORT is chosen when absent) and waits until /healthz answers
 * (over HTTPS trusting `opts.ca` when given). `opts.compiled` runs dist-service/main.js (buildServiceBundle
 * first).
 */
export async function spawnService(
  env: Record<string, string>,
  opts: { ca?: Buffer; compiled?: boolean } = {},
): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [...SERVICE_ARGS[opts.compiled ? 'compiled' : 'tsx']], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `${opts.ca ? 'https' : 'http'}://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${output.join('').slice(-2000)}`);
    try {
      if (opts.ca ? (await httpsGet(`${url}/healthz`, opts.ca)).status === 200 : (await fetch(`${url}/healthz`)).ok)
        break;
    } catch {
      /* not yet */
    }
    if (i > 600) throw new Error('service did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { url, pid: child.pid!, child, output, stop: () => signal('SIGTERM'), kill9: () => signal('SIGKILL') };
}

/** CPU time (user + system, in µs) a process has used, from /proc/<pid>/stat. */
export function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

/** Resident set size of a process now (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * Resets a process's peak RSS (VmHWM) to its current RSS (`5` into /proc/<pid>/clear_refs, Linux ≥ 4.0), so a later
 * `peakRssBytes` measures the peak of what came after. Returns false when the kernel refuses (then the peak includes
 * the process's earlier life).
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size of a process (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
