/**
 * Starts a real OpenSearch node as a child `java` process (jars from Maven Central, our launcher java/LocalNode.java)
 * and waits until it is up. `startOpenSearch` runs a single node (discovery.type=single-node) and waits for cluster
 * health yellow; `launchNode` starts one node of a cluster (cluster.ts) and waits only for its HTTP port. Used by
 * `npm run opensearch` (cli.ts), the jest global setups (backend/test/) and the benchmarks.
 *
 * The child never outlives this process: its stdin is a pipe we never close, and the launcher exits when it reads EOF
 * (which happens when we die, even by SIGKILL). On top of that we SIGTERM it from exit/SIGINT/SIGTERM/SIGHUP handlers.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_MAJOR,
  classPath,
  installDistribution,
  javaBinary,
  pomVersion,
  resolveDistribution,
  securityDistribution,
} from './versions';
import { fail, isPortOpen, readFrom, sleep, trackChild, waitForHealth, warningsIn } from './process';
import { SECURITY_ADMIN, basicAuthHeader, prepareSecurity } from './security';

export { isPortOpen, probeOpenSearch, waitForHealth } from './process';

/** The version `npm run opensearch` and the tests start when OPENSEARCH_VERSION is unset (2.19.6). */
export const OPENSEARCH_VERSION = pomVersion(DEFAULT_MAJOR);

/** Options of one node. */
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
   * start costs (important on small shared machines); fine for test-sized data. 'server' (default otherwise): G1 with
   * OpenSearch's own settings, for long runs and benchmarks.
   */
  jvmProfile?: 'test' | 'server';
  /** Heap: `-Xms512m -Xmx<heap>` (default 1g). `OPENSEARCH_JAVA_OPTS` comes after and wins. */
  heap?: string;
  /** How long to wait for the node. Default: $OPENSEARCH_START_TIMEOUT seconds, else 120 s. */
  timeoutMs?: number;
  /** `2`, `3`, `2.19.6`, `3.9.0`, … Default: $OPENSEARCH_VERSION, else 2 (see versions.ts). */
  version?: string;
  /**
   * Run the security plugin (OpenSearch 2.19.4, `install.sh security`; `version` is then ignored): transport TLS with a
   * throwaway CA, HTTP basic auth, user `admin` (SECURITY_ADMIN) with all_access. See security.ts.
   */
  security?: boolean;
}

/** Options of a node that belongs to a cluster (cluster.ts fills them in). */
export interface NodeOptions extends StartOptions {
  nodeName?: string;
  clusterName?: string;
  /** Fixed transport port (a cluster's nodes find each other by it). Default: any in 9300-9400 (0 when port is 0). */
  transportPort?: number;
  /** `127.0.0.1:<transport port>` of every node; unset = single-node discovery. */
  seedHosts?: string[];
  /** Node names that vote in the first cluster-manager election. */
  initialClusterManagers?: string[];
}

/** A running node. */
export interface OpenSearchHandle {
  url: string;
  port: number;
  dataDir: string;
  /** Exact OpenSearch version (e.g. 2.19.6). */
  version: string;
  /** node.name (`local` for a single node). */
  name: string;
  /** The java process output (OpenSearch log). */
  logFile: string;
  pid: number;
  /** Resolves when the java process has exited (for whatever reason). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, wait for exit (SIGKILL after 15 s), remove the data dir when ephemeral. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (`kill -9`) and wait for exit; keeps the data dir (a test restarts the node on it). */
  kill(): Promise<void>;
  /** When this start began (ms since the epoch) and where its lines begin in `logFile`. */
  startedAt: number;
  logOffset: number;
  /** With `security`: the administrator's credentials (every request needs a user) and the CA of the node's certificate. */
  security?: { admin: { username: string; password: string }; caFile: string };
}

const ROOT = path.resolve(__dirname, '..');
const HERE = path.join(ROOT, 'opensearch-local');
/** Data of the CLI's single 2.x node. Other versions and clusters get their own folders (see cli.ts). */
export const DEFAULT_DATA_DIR = path.join(ROOT, '.data', 'opensearch');

const defaultLog = (line: string): void => {
  process.stderr.write(`[opensearch] ${line}\n`);
};

/** Runs install.sh for the version (a no-op in a few ms when everything is installed). */
export async function installOpenSearch(log: (line: string) => void = defaultLog, version?: string): Promise<void> {
  await installDistribution(resolveDistribution(version), log);
}

/** The start timeout of a node: the option, else $OPENSEARCH_START_TIMEOUT seconds, else 120 s. */
export function timeoutOf(opts: StartOptions): number {
  return opts.timeoutMs ?? (Number(process.env.OPENSEARCH_START_TIMEOUT) * 1000 || 120_000);
}

/**
 * Starts one node and resolves once its HTTP port is bound (not yet healthy: a cluster node needs its peers for
 * that). Installs the version first. Rejects, with the tail of the node's log, when java exits or time runs out.
 */
export async function launchNode(opts: NodeOptions = {}): Promise<OpenSearchHandle> {
  const log = opts.log ?? defaultLog;
  const requestedPort = opts.port ?? 9200;
  const ephemeral = opts.ephemeral ?? false;
  const timeoutMs = timeoutOf(opts);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`invalid OpenSearch port ${opts.port}`);
  }
  const dist = opts.security ? securityDistribution() : resolveDistribution(opts.version);
  await installDistribution(dist, log);

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
  const security = opts.security ? prepareSecurity(dataDir) : undefined;

  const name = opts.nodeName ?? 'local';
  fs.appendFileSync(
    logFile,
    `\n===== opensearch-local start ${new Date().toISOString()} (${dist.version}, ${name}, port ${requestedPort}) =====\n`,
  );
  const logOffset = fs.statSync(logFile).size;
  const outFd = fs.openSync(logFile, 'a');

  const javaBin = javaBinary(dist);
  const extraJavaOpts = (process.env.OPENSEARCH_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
  const profile = opts.jvmProfile ?? (ephemeral ? 'test' : 'server');
  const heap = opts.heap ?? '1g';
  const transportPort = opts.transportPort ?? (requestedPort === 0 ? 0 : undefined);
  const args = [
    `-Xms${/^[0-9]+m$/.test(heap) && parseInt(heap, 10) < 512 ? heap : '512m'}`,
    `-Xmx${heap}`,
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
    classPath(dist),
    'LocalNode',
    '--home',
    dataDir,
    '--http-port',
    String(requestedPort),
    '--transport-port',
    transportPort === undefined ? '9300-9400' : String(transportPort),
    '--node-name',
    name,
    '--cluster-name',
    opts.clusterName ?? 'api-sessions-local',
    ...(opts.seedHosts ? ['--seed-hosts', opts.seedHosts.join(',')] : []),
    ...(opts.initialClusterManagers ? ['--initial-cluster-managers', opts.initialClusterManagers.join(',')] : []),
    ...(ephemeral ? ['--ephemeral'] : []),
    ...(security?.args ?? []),
  ];

  const t0 = Date.now();
  const child = spawn(javaBin, args, { stdio: ['pipe', outFd, outFd], cwd: dataDir, env: process.env });
  fs.closeSync(outFd);
  // We never write to stdin and never close it: EOF on it tells the launcher that we are gone.
  child.stdin!.on('error', () => {});
  const proc = trackChild(child, (err) => fs.appendFileSync(logFile, `could not run ${javaBin}: ${err.message}\n`));

  let expectedExit = false;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    expectedExit = true;
    stopping ??= (async () => {
      await proc.terminate();
      if (ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const kill = (): Promise<void> => {
    expectedExit = true;
    return proc.killHard();
  };
  const failStart = (reason: string) => fail(dist.version, reason, logFile, logOffset, dataDir, stop);

  // The node writes <logs>/http.ports once HTTP is bound.
  let port = requestedPort;
  const deadline = t0 + timeoutMs;
  while (true) {
    if (proc.exitInfo()) return failStart(proc.exitReason());
    if (Date.now() > deadline) return failStart(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for HTTP`);
    const ports = fs.existsSync(portsFile) ? fs.readFileSync(portsFile, 'utf8').trim() : '';
    const m = /:(\d+)\s*$/m.exec(ports.split('\n')[0] ?? '');
    if (m) {
      port = Number(m[1]);
      break;
    }
    await sleep(200);
  }

  proc.exited.then((info) => {
    if (!expectedExit && !proc.parentExiting())
      log(`OpenSearch ${name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); see ${logFile}`);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    version: dist.version,
    name,
    logFile,
    pid: child.pid!,
    exited: proc.exited,
    stop,
    kill,
    startedAt: t0,
    logOffset,
    ...(security ? { security: { admin: { ...SECURITY_ADMIN }, caFile: security.caFile } } : {}),
  };
}

/** Reports the start-up's warnings from the node log (at most 10 lines). */
export function reportWarnings(node: OpenSearchHandle, log: (line: string) => void): void {
  const warnings = warningsIn(readFrom(node.logFile, node.logOffset));
  for (const w of warnings.slice(0, 10)) log(`node log (${node.name}): ${w}`);
  if (warnings.length > 10) log(`… ${warnings.length - 10} more warnings/errors in ${node.logFile}`);
}

/** Starts a single node (discovery.type=single-node) and waits until the cluster is yellow. */
export async function startOpenSearch(opts: StartOptions = {}): Promise<OpenSearchHandle> {
  const log = opts.log ?? defaultLog;
  const node = await launchNode(opts);
  const startedAt = node.startedAt;
  try {
    await waitForHealth(node.url, {
      status: 'yellow',
      deadline: startedAt + timeoutOf(opts),
      exited: node.exited,
      // With security, health answers 401 without a user and 503 until the plugin has loaded its configuration.
      headers: node.security ? { authorization: basicAuthHeader(node.security.admin) } : undefined,
    });
  } catch (err) {
    return fail(node.version, (err as Error).message, node.logFile, node.logOffset, node.dataDir, node.stop);
  }
  reportWarnings(node, log);
  log(
    `OpenSearch ${node.version} up at ${node.url} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (pid ${node.pid}, log ${node.logFile})`,
  );
  return node;
}
