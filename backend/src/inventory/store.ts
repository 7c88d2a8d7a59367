import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, rename, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { compileFlows, loadFlowConfig, type FlowMatcher } from './flows';
import type { Inventory } from './inventory';
import { compileMatcher, type Matcher, type ScopeSpecs } from './matcher';
import { parseSpec, SpecError, type ParsedSpec } from './spec';
import type { SpecReplica, SpecRef } from './replica';
import { StorageUnavailableError } from '../http/errors';

/**
 * The spec history: every version of every host's / app's spec, in memory and as files under SPECS_DIR
 * (`hosts/<host>/<n>.yaml`, `apps/<app>/<n>.json`; see docs/inventory.md). Each change recompiles the matcher and
 * swaps it in one assignment, so ingest always sees a complete snapshot.
 */

/** A scope is the host or the app a spec describes. */
export type ScopeKind = 'host' | 'app';

const KIND_DIRS: Record<ScopeKind, string> = { host: 'hosts', app: 'apps' };
const SPEC_FILE = /\.(ya?ml|json)$/i;
const HOST_NAME = /^[a-z0-9]([a-z0-9.-]{0,252})(:\d{1,5})?$/;
const APP_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const byName = new Intl.Collator('en', { numeric: true }).compare;

/** One stored version of a scope's spec. `version` counts from 1 in history order; the last is current. */
export interface SpecVersion {
  version: number;
  file: string;
  spec: ParsedSpec;
  loadedAt: number;
}

/** A spec file that could not be used at start-up or on reload (it is skipped; older versions stay in force). */
export interface SpecProblem {
  file: string;
  message: string;
}

/** Summary of one scope for `GET /v1/specs`. */
export interface ScopeSummary {
  kind: ScopeKind;
  name: string;
  versions: {
    version: number;
    file: string;
    openapi: string;
    info_version: string;
    title: string;
    operations: number;
    base_paths: string[];
    current: boolean;
  }[];
}

/** Validates a host or app name (it becomes a folder name, so nothing that could leave SPECS_DIR). */
export function checkScopeName(kind: ScopeKind, name: string): string | undefined {
  if (kind === 'host')
    return HOST_NAME.test(name.toLowerCase()) && !name.includes('..')
      ? undefined
      : 'must be a host name (letters, digits, . and -, optional :port)';
  return APP_NAME.test(name) ? undefined : 'must be 1–128 letters, digits, ., _ or - (not starting with .)';
}

/** The versioned spec store; also the ingest pipeline's Inventory. */
export class SpecStore implements Inventory {
  private scopes = new Map<string, { kind: ScopeKind; name: string; versions: SpecVersion[] }>();
  private matcher: Matcher;
  private writing: Promise<unknown> = Promise.resolve();
  /** The shared history in OpenSearch (replica.ts); without it uploads stay on this instance. */
  private replica?: SpecReplica;
  /** Files skipped at the last (re)load, with the parser's message. */
  problems: SpecProblem[] = [];

  constructor(
    /** SPECS_DIR; without it specs cannot be uploaded (nothing would survive a restart). */
    readonly dir: string | undefined,
    private readonly flows: FlowMatcher,
  ) {
    this.matcher = compileMatcher([], flows);
    if (dir) this.reload();
  }

  /** Shares uploads with the other instances through `replica` (needs SPECS_DIR, the local copy). */
  attachReplica(replica: SpecReplica): void {
    if (this.dir) this.replica = replica;
  }

  classify(host: string, app: string | undefined, method: string, path: string) {
    return this.matcher.classify(host, app, method, path);
  }

  flowsFor(method: string, endpoint: string) {
    return this.flows.forEndpoint(method, endpoint);
  }

  /** Reads every scope folder of SPECS_DIR again (files in name order, numbers compared as numbers). */
  reload(): SpecProblem[] {
    if (!this.dir) return [];
    mkdirSync(this.dir, { recursive: true });
    const scopes = new Map<string, { kind: ScopeKind; name: string; versions: SpecVersion[] }>();
    const problems: SpecProblem[] = [];
    for (const kind of ['host', 'app'] as const) {
      const kindDir = path.join(this.dir, KIND_DIRS[kind]);
      for (const name of listDir(kindDir)) {
        const scopeDir = path.join(kindDir, name);
        if (!statSync(scopeDir).isDirectory()) continue;
        const bad = checkScopeName(kind, name);
        if (bad) {
          problems.push({ file: scopeDir, message: `folder name ${bad}` });
          continue;
        }
        const versions: SpecVersion[] = [];
        for (const file of listDir(scopeDir)
          .filter((f) => SPEC_FILE.test(f) && !f.startsWith('.'))
          .sort(byName)) {
          const full = path.join(scopeDir, file);
          try {
            versions.push({
              version: versions.length + 1,
              file,
              spec: parseSpec(readFileSync(full, 'utf8')),
              loadedAt: statSync(full).mtimeMs,
            });
          } catch (err) {
            problems.push({ file: full, message: (err as Error).message });
          }
        }
        if (versions.length > 0)
          scopes.set(`${kind}:${kind === 'host' ? name.toLowerCase() : name}`, {
            kind,
            name: kind === 'host' ? name.toLowerCase() : name,
            versions,
          });
      }
    }
    this.scopes = scopes;
    this.problems = problems;
    this.recompile();
    return problems;
  }

  /**
   * Adds a new current version for a scope: parses (throws SpecError with the parser's message; nothing changes),
   * writes the file durably, then swaps the matcher. Uploads are serialised.
   */
  async add(kind: ScopeKind, name: string, text: string, now = Date.now()): Promise<SpecVersion> {
    if (!this.dir) throw new Error('SPECS_DIR is not set');
    const spec = parseSpec(text);
    const scopeName = kind === 'host' ? name.toLowerCase() : name;
    const bad = checkScopeName(kind, scopeName);
    if (bad) throw new SpecError(`${kind}: ${bad}`);
    const dir = this.dir;
    const task = this.writing.then(async () => {
      const key = `${kind}:${scopeName}`;
      const scopeDir = path.join(dir, KIND_DIRS[kind], scopeName);
      await mkdir(scopeDir, { recursive: true });
      const specFiles = () => listDir(scopeDir).filter((f) => SPEC_FILE.test(f) && !f.startsWith('.'));
      let file = nextFileName(specFiles(), spec.format);
      // With a replica, OpenSearch decides which upload gets a file name: another instance may have taken it.
      for (let attempt = 1; this.replica; attempt++) {
        if (await this.replica.claim({ kind, name: scopeName, file, text, uploaded_at: now })) break;
        if (attempt >= 5)
          throw new StorageUnavailableError('other uploads to this scope kept taking the next version; retry', 1);
        // The winner's version is read by id (real time; a search might not see it yet), then the next name is tried.
        await this.adoptUnlocked({ kind, name: scopeName, file });
        file = nextFileName(specFiles(), spec.format);
      }
      await writeDurably(path.join(scopeDir, file), text);
      const scope = this.scopes.get(key) ?? { kind, name: scopeName, versions: [] };
      const version: SpecVersion = { version: scope.versions.length + 1, file, spec, loadedAt: now };
      const next = new Map(this.scopes);
      next.set(key, { ...scope, versions: [...scope.versions, version] });
      this.scopes = next;
      this.recompile();
      return version;
    });
    this.writing = task.catch(() => undefined);
    return task;
  }

  /**
   * Copies the versions other instances uploaded (the replica's) into SPECS_DIR and reloads when there were any.
   * Serialised with uploads. Returns how many versions were added; throws when OpenSearch cannot be read.
   */
  sync(): Promise<number> {
    const task = this.writing.then(() => this.pullUnlocked());
    this.writing = task.catch(() => undefined);
    return task;
  }

  private async pullUnlocked(): Promise<number> {
    if (!this.replica || !this.dir) return 0;
    let added = 0;
    for (const ref of await this.replica.list()) if (await this.copyUnlocked(ref)) added++;
    if (added > 0) this.reload();
    return added;
  }

  /** Copies one replicated version into SPECS_DIR and reloads. */
  private async adoptUnlocked(ref: SpecRef): Promise<void> {
    if (await this.copyUnlocked(ref)) this.reload();
  }

  /** Writes a replicated version into SPECS_DIR unless it is there already; true when it wrote it. */
  private async copyUnlocked(ref: SpecRef): Promise<boolean> {
    const file = this.localFile(ref);
    if (!this.replica || file === undefined || existsSync(file)) return false;
    await mkdir(path.dirname(file), { recursive: true });
    await writeDurably(file, await this.replica.text(ref));
    return true;
  }

  /** Where a replicated version lives in SPECS_DIR, or undefined for a name that could leave it (never trusted). */
  private localFile(ref: SpecRef): string | undefined {
    const kind: ScopeKind | undefined = ref.kind === 'host' || ref.kind === 'app' ? ref.kind : undefined;
    const file = String(ref.file);
    if (!kind || checkScopeName(kind, String(ref.name)) !== undefined) return undefined;
    if (file.startsWith('.') || file.includes('/') || file.includes('\\') || !SPEC_FILE.test(file)) return undefined;
    return path.join(this.dir!, KIND_DIRS[kind], kind === 'host' ? ref.name.toLowerCase() : ref.name, file);
  }

  /** Every scope with its versions (oldest first). */
  list(): ScopeSummary[] {
    return [...this.scopes.values()]
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
      .map((s) => ({
        kind: s.kind,
        name: s.name,
        versions: s.versions.map((v, i) => ({
          version: v.version,
          file: v.file,
          openapi: v.spec.openapi,
          info_version: v.spec.infoVersion,
          title: v.spec.title,
          operations: v.spec.operations.length,
          base_paths: v.spec.basePaths,
          current: i === s.versions.length - 1,
        })),
      }));
  }

  private recompile(): void {
    const scopes: ScopeSpecs[] = [...this.scopes.values()].map((s) => ({
      kind: s.kind,
      name: s.name,
      versions: s.versions.map((v) => v.spec),
    }));
    this.matcher = compileMatcher(scopes, this.flows);
  }
}

/**
 * Name of an uploaded version, chosen so it sorts after every existing file: one more than the largest leading
 * number (`1.yaml`, `v2.json` → `3.yaml` / `v3.yaml`; `1.yaml` in an empty folder). When a name without a number
 * sorts last (`openapi.yaml`), the new name extends it (`openapi.yaml-next.yaml`), which sorts after it.
 */
function nextFileName(existing: string[], ext: 'json' | 'yaml'): string {
  const sorted = [...existing].sort(byName);
  let max = 0;
  let prefix = '';
  for (const f of sorted) {
    const m = /^(v?)(\d+)/i.exec(f);
    if (m && Number(m[2]) >= max) {
      max = Number(m[2]);
      prefix = m[1];
    }
  }
  const name = `${prefix}${max + 1}.${ext}`;
  const last = sorted[sorted.length - 1];
  return last === undefined || byName(name, last) > 0 ? name : `${last}-next.${ext}`;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Writes via a temporary file + fsync + rename, so a crash leaves either the whole file or none. */
async function writeDurably(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const dirHandle = await open(path.dirname(file), 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/**
 * Builds the spec store of a service: FLOWS_CONFIG rules (throws naming the file when invalid) and SPECS_DIR
 * (a malformed spec file is skipped; the older versions of its scope stay in force). Pass a logger to report them.
 */
export function createSpecStore(
  config: { specsDir?: string; flowsConfigPath?: string },
  logger?: SpecLogger,
): SpecStore {
  const store = new SpecStore(config.specsDir, compileFlows(loadFlowConfig(config.flowsConfigPath)));
  if (logger) logSpecLoad(store, logger);
  return store;
}

/** The logger surface the store reports to. */
export interface SpecLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Logs the skipped files (with the parser's message) and the loaded scopes, one line each. */
export function logSpecLoad(store: SpecStore, logger: SpecLogger): void {
  for (const p of store.problems) logger.warn({ file: p.file, problem: p.message }, 'spec file skipped');
  if (store.dir)
    logger.info(
      { specsDir: store.dir, scopes: store.list().map((s) => `${s.kind}:${s.name}@${s.versions.length}`) },
      'specs loaded',
    );
}
