/**
 * Which OpenSearch the local runner starts: 2.19 (pom.xml, Java 17+, the default) or 3.x (pom-3.xml, Java 21+).
 * `OPENSEARCH_VERSION` (or the `version` option) picks one: `2` / `2.19` / `2.19.6` or `3` / `3.9` / `3.9.0`. The
 * exact versions are the ones the poms pin; install.sh resolves the jars of each into its own cache folder.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const HERE = path.join(ROOT, 'opensearch-local');

/**
 * The major version `npm run opensearch`, `npm start` and the tests use when `OPENSEARCH_VERSION` is unset. The one
 * place to switch it: install.sh and scripts/test-all.sh read this line (the test command then runs the ingest and
 * query suites on the other major version).
 */
export const DEFAULT_MAJOR: 2 | 3 = 2;

/** A local OpenSearch distribution: the jars of one pom and the launcher compiled against them. */
export interface Distribution {
  major: 2 | 3;
  /** Exact version, from the pom (e.g. 2.19.6). */
  version: string;
  /** `<cache>/<version>`: jars/, classes/, java-home, stamps (`<cache>/<version>-security` for the security one). */
  cacheDir: string;
  /** The security distribution (`install.sh security`): the security plugin's jars are on the classpath too. */
  security?: boolean;
}

/** The version a pom pins (`<opensearch.version>`): pom.xml (2), pom-3.xml (3), pom-security.xml ('security'). */
export function pomVersion(major: 2 | 3 | 'security'): string {
  const file = major === 3 ? 'pom-3.xml' : major === 'security' ? 'pom-security.xml' : 'pom.xml';
  const pom = fs.readFileSync(path.join(HERE, file), 'utf8');
  const m = /<opensearch\.version>([^<]+)<\/opensearch\.version>/.exec(pom);
  if (!m) throw new Error(`no <opensearch.version> in ${file}`);
  return m[1];
}

/**
 * The security distribution: OpenSearch 2.19.4 (the newest 2.x whose security plugin Maven Central serves) with the
 * security plugin's jars on the classpath; see security.ts. Not selectable by OPENSEARCH_VERSION: only a runner
 * option (`security`) starts it.
 */
export function securityDistribution(): Distribution {
  const version = pomVersion('security');
  return { major: 2, version, cacheDir: path.join(cacheRoot(), `${version}-security`), security: true };
}

/** The root of the jar caches: $OPENSEARCH_CACHE_DIR or <repo>/.cache/opensearch. */
export function cacheRoot(): string {
  return process.env.OPENSEARCH_CACHE_DIR
    ? path.resolve(process.env.OPENSEARCH_CACHE_DIR)
    : path.join(ROOT, '.cache', 'opensearch');
}

/**
 * Resolves a version request (`2`, `2.19`, `2.19.6`, `3`, `3.9.0`, …; default `$OPENSEARCH_VERSION`, else 2) to
 * the distribution that serves it. Throws a readable error for anything else.
 */
export function resolveDistribution(spec: string | number | undefined = process.env.OPENSEARCH_VERSION): Distribution {
  const request = String(spec ?? '').trim() || String(DEFAULT_MAJOR);
  const major = Number(request.split('.')[0]);
  const supported = () => `supported: 2 = ${pomVersion(2)}, 3 = ${pomVersion(3)}`;
  if (major !== 2 && major !== 3) throw new Error(`unsupported OpenSearch version "${request}" (${supported()})`);
  const version = pomVersion(major);
  if (version !== request && !version.startsWith(`${request}.`) && request !== String(major)) {
    throw new Error(`OpenSearch ${request} is not available here (${supported()})`);
  }
  return { major, version, cacheDir: path.join(cacheRoot(), version) };
}

/** The java binary for a distribution: $OPENSEARCH_JAVA_HOME, else the JDK install.sh compiled the launcher with. */
export function javaBinary(dist: Distribution): string {
  if (process.env.OPENSEARCH_JAVA_HOME) return path.join(process.env.OPENSEARCH_JAVA_HOME, 'bin', 'java');
  const recorded = path.join(dist.cacheDir, 'java-home');
  const home = fs.existsSync(recorded) ? fs.readFileSync(recorded, 'utf8').trim() : '';
  return home ? path.join(home, 'bin', 'java') : 'java';
}

/** The launcher's classpath (compiled classes + every jar of the distribution). */
export function classPath(dist: Distribution): string {
  return `${path.join(dist.cacheDir, 'classes')}${path.delimiter}${path.join(dist.cacheDir, 'jars', '*')}`;
}

/** Runs install.sh for a distribution (a no-op in a few ms when it is installed). Lines go to `log`. */
export async function installDistribution(dist: Distribution, log: (line: string) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [path.join(HERE, 'install.sh'), dist.security ? 'security' : dist.version], {
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
