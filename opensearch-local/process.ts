/**
 * Process and HTTP plumbing of the local runner: child tracking (no java process outlives us), port and health
 * probes, reading the node log for errors.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
  return (await probeCluster(url))?.version;
}

/** Version and cluster name of the OpenSearch answering at url, or undefined. */
export async function probeCluster(url: string): Promise<{ version: string; clusterName: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { cluster_name?: string; version?: { number?: string } };
    return body?.version?.number ? { version: body.version.number, clusterName: body.cluster_name ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

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

/** A tracked child: SIGTERMed when this process exits or gets SIGINT/SIGTERM/SIGHUP. */
export interface TrackedChild {
  exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | undefined;
  exitReason(): string;
  /** True once this process is exiting (the child's exit is then expected). */
  parentExiting(): boolean;
  /** SIGTERM, SIGKILL after 15 s; resolves on exit. */
  terminate(): Promise<void>;
  /** SIGKILL; resolves on exit. */
  killHard(): Promise<void>;
}

/** Tracks a spawned child (see TrackedChild); `onSpawnError` records why it could not run. */
export function trackChild(child: ChildProcess, onSpawnError: (err: Error) => void): TrackedChild {
  installExitHandlers();
  live.add(child);
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      info = { code, signal };
      live.delete(child);
      resolve(info);
    });
    child.once('error', (err) => {
      onSpawnError(err);
      info = { code: -1, signal: null };
      live.delete(child);
      resolve(info);
    });
  });
  const signal = async (sig: NodeJS.Signals, escalateMs?: number) => {
    if (!info) {
      child.kill(sig);
      const killer = escalateMs ? setTimeout(() => child.kill('SIGKILL'), escalateMs) : undefined;
      await exited;
      if (killer) clearTimeout(killer);
    }
  };
  return {
    exited,
    exitInfo: () => info,
    exitReason: () => `java exited with ${info?.signal ?? `code ${info?.code}`}`,
    parentExiting: () => parentExiting,
    terminate: () => signal('SIGTERM', 15_000),
    killHard: () => signal('SIGKILL'),
  };
}

/** The text of a file from a byte offset ('' when unreadable). */
export function readFrom(file: string, offset: number): string {
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

// Warnings every start prints (and, for a cluster, every formation: peers that call before this node is ready,
// the first rounds of discovery and election); not worth showing.
const BENIGN = [
  /gateway\.auto_import_dangling_indices is disabled/,
  /no-jdk distributions/,
  /\[DEPRECATION\]/,
  /cluster-manager not discovered yet/,
  /elected-as-cluster-manager/,
  // security-enabled nodes (security.ts): HTTP without TLS on purpose; our health polls before the plugin has loaded
  // its configuration; audit logging is off (plugins.security.audit.type=noop), yet it says where it would log
  /SSL Configuration for HTTP Layer hasn't been set/,
  /Not yet initialized \(you may need to run securityadmin\)/,
  /AuditMessageRouter\] No endpoint configured for categories/,
];

/** The WARN/ERROR/FATAL lines of a node log, without the ones every start prints. */
export function warningsIn(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((l, i) => {
    if (!/^\[[^\]]+\]\[(WARN |ERROR|FATAL)\]/.test(l) || BENIGN.some((re) => re.test(l))) return false;
    // a peer's request reached this node before its transport was ready (the next line says so)
    return !(/exception caught on transport layer/.test(l) && /transport not ready yet/.test(lines[i + 1] ?? ''));
  });
}

/** Stops the node and throws why it did not start, with the last 40 lines of its log. */
export async function fail(
  version: string,
  reason: string,
  logFile: string,
  logOffset: number,
  dataDir: string,
  stop: () => Promise<void>,
): Promise<never> {
  const text = readFrom(logFile, logOffset);
  await stop();
  const hint = /failed to obtain node locks/.test(text)
    ? `\n(another OpenSearch node is using ${dataDir}; stop it or set another data dir)`
    : '';
  throw new Error(
    `OpenSearch ${version} did not start: ${reason}${hint}\n--- last lines of ${logFile} ---\n${tail(text, 40)}`,
  );
}

/**
 * Waits until `url` reports cluster health `status` (or better) with at least `nodes` nodes. Throws when the
 * deadline passes or `exited` resolves first.
 */
export async function waitForHealth(
  url: string,
  opts: {
    status: 'yellow' | 'green';
    nodes?: number;
    deadline: number;
    exited?: Promise<ExitInfo>;
    headers?: Record<string, string>;
  },
): Promise<void> {
  let gone: ExitInfo | undefined;
  void opts.exited?.then((i) => (gone = i));
  const nodes = opts.nodes ? `&wait_for_nodes=${opts.nodes}` : '';
  while (true) {
    if (gone) throw new Error(`java exited with ${gone.signal ?? `code ${gone.code}`}`);
    const left = opts.deadline - Date.now();
    if (left <= 0) {
      throw new Error(
        `timed out after waiting for cluster health ${opts.status}${opts.nodes ? ` with ${opts.nodes} nodes` : ''}`,
      );
    }
    try {
      const wait = Math.max(1, Math.min(10, Math.floor(left / 1000)));
      const res = await fetch(`${url}/_cluster/health?wait_for_status=${opts.status}${nodes}&timeout=${wait}s`, {
        signal: AbortSignal.timeout(wait * 1000 + 2000),
        headers: opts.headers,
      });
      if (res.ok) {
        const body = (await res.json()) as { status?: string; timed_out?: boolean };
        const good = opts.status === 'green' ? ['green'] : ['yellow', 'green'];
        if (!body.timed_out && good.includes(body.status ?? '')) return;
      }
    } catch {
      // not up yet
    }
    await sleep(250);
  }
}
