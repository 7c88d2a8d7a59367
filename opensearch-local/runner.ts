/**
 * Starts a real single-node OpenSearch 2.19.6 as a child `java` process (jars from Maven Central, our launcher
 * java/LocalNode.java) and waits until the cluster is yellow. Used by `npm run opensearch` (cli.ts), the jest global
 * setup (backend/test/global-setup.ts) and the quick start.
 *
 * The child never outlives this process: its stdin is a pipe we never close, and the launcher exits when it reads EOF
 * (which happens when we die, even by SIGKILL). On top of that we SIGTERM it from exit/SIGINT/SIGTERM/SIGHUP handlers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const OPENSEARCH_VERSION = '2.19.6';

export interface StartOptions {
  /** HTTP port on 127.0.0.1. 0 = any free port (the node picks it; read back from its ports file). Default 9200. */
  port?: number;
  /** Node home: data in <dataDir>/data, logs in <dataDir>/logs. Default: a new temp dir when ephemeral, else .data/opensearch. */
  dataDir?: string;
  /** Delete the data dir when the node stops (also when this process is killed: the launcher deletes it). */
  ephemeral?: boolean;
  /** Progress, warnings and errors (one line each). Default: stderr. The node's own log goes to a file. */
  log?: (line: string) => void;
  /**
   * JVM tuning. 'test' (default for ephemeral nodes): C1 JIT only and the serial GC, which roughly halves the CPU a
   * start costs (important on small shared machines); fine for test-sized data. 'server' (default otherwise): the
   * JVM's defaults (C2, G1), for long runs and benchmarks.
   */
  jvmProfile?: 'test' | 'server';
  /** How long to wait for the cluster to become yellow. Default: $OPENSEARCH_START_TIMEOUT seconds, else 120 s. */
  timeoutMs?: number;
}

export interface OpenSearchHandle {
  url: string;
  port: number;
  dataDir: string;
  /** The java process output (OpenSearch log). */
  logFile: string;
  pid: number;
  /** Resolves when the java process has exited (for whatever reason). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, wait for exit (SIGKILL after 15 s), remove the data dir when ephemeral. Idempotent. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');
const HERE = path.join(ROOT, 'opensearch-local');
export const DEFAULT_DATA_DIR = path.join(ROOT, '.data', 'opensearch');

function cacheDir(): string {
  return process.env.OPENSEARCH_CACHE_DIR
    ? path.resolve(process.env.OPENSEARCH_CACHE_DIR)
    : path.join(ROOT, '.cache', 'opensearch');
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[opensearch] ${line}\n`);
};

/** Runs install.sh (a no-op in a few ms when everything is installed). */
export async function installOpenSearch(log: (line: string) => void = defaultLog): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [path.join(HERE, 'install.sh')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    const errTail: string[] = [];
    const lines = (stream: NodeJS.ReadableStream, isErr: boolean) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (isErr) errTail.push(line);
          log(line.replace(/^\[opensearch-local\] /, ''));
        }
      });
    };
    lines(child.stdout!, false);
    lines(child.stderr!, true);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `opensearch-local/install.sh failed (exit ${code})${errTail.length ? ':\n' + errTail.slice(-20).join('\n') : ''}`,
          ),
        );
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** If an OpenSearch (or Elasticsearch-compatible) server answers at url, its version number; else undefined. */
export async function probeOpenSearch(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { version?: { number?: string; distribution?: string } };
    return body?.version?.number;
  } catch {
    return undefined;
  }
}

// ---- child tracking: never leave a java process behind -------------------------------------------------------------

const live = new Set<ChildProcess>();
let handlersInstalled = false;
let parentExiting = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    parentExiting = true;
    for (const child of live) child.kill('SIGTERM');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      parentExiting = true;
      for (const child of live) child.kill('SIGTERM');
      // If nobody else handles this signal, keep the default behaviour (terminate) by re-raising it.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

// ---- start -----------------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readFrom(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.max(0, size - offset);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function tail(text: string, n: number): string {
  return text.split('\n').filter(Boolean).slice(-n).join('\n');
}

// Warnings every start prints; not worth showing.
const BENIGN = [/gateway\.auto_import_dangling_indices is disabled/, /no-jdk distributions/, /\[DEPRECATION\]/];

function warningsIn(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^\[[^\]]+\]\[(WARN |ERROR|FATAL)\]/.test(l))
    .filter((l) => !BENIGN.some((re) => re.test(l)));
}

export async function startOpenSearch(opts: StartOptions = {}): Promise<OpenSearchHandle> {
  const log = opts.log ?? defaultLog;
  const requestedPort = opts.port ?? 9200;
  const ephemeral = opts.ephemeral ?? false;
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.OPENSEARCH_START_TIMEOUT) * 1000 || 120_000);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`invalid OpenSearch port ${opts.port}`);
  }

  await installOpenSearch(log);

  if (requestedPort !== 0 && (await isPortOpen(requestedPort))) {
    const err = new Error(`port ${requestedPort} on 127.0.0.1 is already in use`) as Error & { code: string };
    err.code = 'EADDRINUSE';
    throw err;
  }

  const dataDir = path.resolve(
    opts.dataDir ?? (ephemeral ? fs.mkdtempSync(path.join(os.tmpdir(), 'opensearch-local-')) : DEFAULT_DATA_DIR),
  );
  const logsDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, 'opensearch-local.log');
  const portsFile = path.join(logsDir, 'http.ports');
  fs.rmSync(portsFile, { force: true });

  const startedAt = new Date().toISOString();
  fs.appendFileSync(logFile, `\n===== opensearch-local start ${startedAt} (port ${requestedPort}) =====\n`);
  const logOffset = fs.statSync(logFile).size;
  const outFd = fs.openSync(logFile, 'a');

  const cache = cacheDir();
  const javaBin = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const extraJavaOpts = (process.env.OPENSEARCH_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
  const profile = opts.jvmProfile ?? (ephemeral ? 'test' : 'server');
  const args = [
    '-Xms512m',
    '-Xmx1g',
    // Test nodes favour start-up time; server nodes use OpenSearch's own G1 settings (without them the old
    // generation fills up under aggregation load and the memory circuit breaker answers 429).
    ...(profile === 'test'
      ? ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1', '-XX:+UseSerialGC']
      : ['-XX:+UseG1GC', '-XX:G1ReservePercent=25', '-XX:InitiatingHeapOccupancyPercent=30']),
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    '-Dlog4j.shutdownHookEnabled=false',
    '-Dlog4j2.disable.jmx=true',
    `-Dlog4j2.configurationFile=${path.join(HERE, 'java', 'log4j2.properties')}`,
    ...extraJavaOpts,
    '-cp',
    `${path.join(cache, 'classes')}${path.delimiter}${path.join(cache, 'jars', '*')}`,
    'LocalNode',
    '--home',
    dataDir,
    '--http-port',
    String(requestedPort),
    '--transport-port',
    requestedPort === 0 ? '0' : '9300-9400',
    ...(ephemeral ? ['--ephemeral'] : []),
  ];

  const t0 = Date.now();
  installExitHandlers();
  const child = spawn(javaBin, args, { stdio: ['pipe', outFd, outFd], cwd: dataDir, env: process.env });
  fs.closeSync(outFd);
  // We never write to stdin and never close it: EOF on it tells the launcher that we are gone.
  child.stdin!.on('error', () => {});
  live.add(child);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(child);
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      fs.appendFileSync(logFile, `could not run ${javaBin}: ${err.message}\n`);
      exitInfo = { code: -1, signal: null };
      live.delete(child);
      resolve(exitInfo);
    });
  });

  // (a function, so TypeScript does not narrow exitInfo across the awaits below)
  const exitReason = (): string => `java exited with ${exitInfo?.signal ?? `code ${exitInfo?.code}`}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      if (ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const fail = async (reason: string): Promise<never> => {
    const text = readFrom(logFile, logOffset);
    await stop();
    const hint = /failed to obtain node locks/.test(text)
      ? `\n(another OpenSearch node is using ${dataDir}; stop it or set another data dir)`
      : '';
    throw new Error(
      `OpenSearch ${OPENSEARCH_VERSION} did not start: ${reason}${hint}\n--- last lines of ${logFile} ---\n${tail(text, 40)}`,
    );
  };

  // 1. find the HTTP port (the node writes <logs>/http.ports once HTTP is bound)
  let port = requestedPort;
  const deadline = t0 + timeoutMs;
  while (true) {
    if (exitInfo) return fail(exitReason());
    if (Date.now() > deadline) return fail(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for HTTP`);
    const ports = fs.existsSync(portsFile) ? fs.readFileSync(portsFile, 'utf8').trim() : '';
    const m = /:(\d+)\s*$/m.exec(ports.split('\n')[0] ?? '');
    if (m) {
      port = Number(m[1]);
      break;
    }
    await sleep(200);
  }
  const url = `http://127.0.0.1:${port}`;

  // 2. wait for yellow
  while (true) {
    if (exitInfo) return fail(exitReason());
    const left = deadline - Date.now();
    if (left <= 0) return fail(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for cluster health yellow`);
    try {
      const wait = Math.max(1, Math.min(10, Math.floor(left / 1000)));
      const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=${wait}s`, {
        signal: AbortSignal.timeout(wait * 1000 + 2000),
      });
      if (res.ok) {
        const body = (await res.json()) as { status?: string; timed_out?: boolean };
        if (!body.timed_out && (body.status === 'yellow' || body.status === 'green')) break;
      }
    } catch {
      // not up yet
    }
    await sleep(250);
  }

  const warnings = warningsIn(readFrom(logFile, logOffset));
  for (const w of warnings.slice(0, 10)) log(`node log: ${w}`);
  if (warnings.length > 10) log(`… ${warnings.length - 10} more warnings/errors in ${logFile}`);

  log(
    `OpenSearch ${OPENSEARCH_VERSION} up at ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${child.pid}, log ${logFile})`,
  );

  exited.then((info) => {
    if (!stopping && !parentExiting)
      log(`OpenSearch exited unexpectedly (${info.signal ?? `code ${info.code}`}); see ${logFile}`);
  });

  return { url, port, dataDir, logFile, pid: child.pid!, exited, stop };
}
