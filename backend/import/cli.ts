/**
 * `npm run import -- <file|-> [options]`: imports access logs into API Sessions (see `--help`, options.ts and
 * docs/integrations/nginx.md). Wiring only: options → input → read pass(es) → batch poster → summary.
 *
 * Exit status: 0 when at least one record was accepted or the input was empty; 1 when the service is unreachable,
 * refused the token, rejected everything, no line could be parsed, or the input could not be read; 2 for a wrong
 * command line.
 */
import { PostError } from '../client/post';
import { DAY_MS } from '../src/durations';
import { BatchPoster } from './batch-poster';
import { openInput, spoolToTempFile, type Input } from './input';
import { parseOptions, UsageError, USAGE, type ImportOptions } from './options';
import { createProgress, formatDuration, type ProgressState } from './progress';
import { FormatError, newStats, readPass } from './read-pass';
import { newestOf, shiftOffset } from './shift';
import { formatSummary, exitStatus } from './summary';
import type { PostOptions } from '../client/post';

/** Where the CLI reads and writes; injectable so tests run `main` in-process. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): boolean; once?(event: 'drain', cb: () => void): unknown };
  stderr: { write(text: string): boolean; isTTY?: boolean };
  now: () => number;
  /** Non-TTY progress interval (default 5 s). */
  progressIntervalMs?: number;
  /** Passed to the poster (tests: fetch, sleep, retry limits). */
  post?: Pick<PostOptions, 'fetch' | 'sleep' | 'maxRetries' | 'maxNetworkRetries' | 'maxRetryWaitMs' | 'timeoutMs'>;
}

/** A partial batch is posted after this long without a new record. */
const IDLE_FLUSH_MS = 2000;

function defaultIo(): CliIo {
  return { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, now: Date.now };
}

/** Runs the import; resolves to the exit status. Never throws. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const say = (text: string) => io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}import: ${text}\n`);
  let opts: ImportOptions;
  try {
    opts = parseOptions(argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    for (const line of err.message.split('\n')) say(line);
    say('see --help');
    return 2;
  }
  if (opts.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let cleanup: (() => Promise<void>) | undefined;
  try {
    if (opts.shiftToNow && opts.input === '-') {
      const spooled = await spoolToTempFile(io.stdin);
      cleanup = spooled.cleanup;
      opts = { ...opts, input: spooled.path };
    }
    return await runImport(opts, io, say);
  } catch (err) {
    say(`unexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await cleanup?.();
  }
}

async function runImport(opts: ImportOptions, io: CliIo, say: (text: string) => void): Promise<number> {
  const started = io.now();
  const shift = opts.shiftToNow ? await findShift(opts, io, say) : { format: opts.format, offsetMs: 0 };
  if (!shift) return 1;

  const stats = newStats();
  const passStarted = io.now(); // rate and ETA of the posting pass (the --shift-to-now scan is not part of it)
  const poster = opts.dryRun ? undefined : createPoster(opts, io, say);
  let input: Input | undefined;
  const state = (): ProgressState => ({
    lines: stats.lines,
    accepted: poster?.totals.accepted ?? stats.records,
    rejected: poster?.totals.rejected ?? 0,
    unparseable: stats.unparseable,
    bytesRead: input?.bytesRead() ?? 0,
    size: input?.size,
    limit: opts.limit,
    elapsedMs: io.now() - passStarted,
  });
  const progress = createProgress({
    write: (t) => void io.stderr.write(t),
    isTTY: io.stderr.isTTY === true,
    intervalMs: io.progressIntervalMs,
    now: io.now,
  });
  const onRecord = poster
    ? (record: unknown, line: number) => poster.add(record, line)
    : (record: unknown) => writeLine(io.stdout, JSON.stringify(record));

  // A slow stream (tail -F … | import -) must not wait for a full batch: post what is buffered after 2 s of quiet.
  // The same timer keeps the progress line moving while the input is quiet or the last batches are in flight.
  const idleTimer = setInterval(() => {
    void poster?.flushIdle(IDLE_FLUSH_MS).catch(() => undefined);
    progress.update(state());
  }, 500);
  idleTimer.unref();
  const passOptions = {
    format: shift.format,
    limit: opts.limit,
    host: opts.host,
    app: opts.app,
    offsetMs: shift.offsetMs,
  };
  const inputFailed = await guardInput(say, async () => {
    input = await openInput(opts.input, io.stdin);
    // A PostError from onRecord ends the pass; it is reported from poster.fatal below.
    await readPass(input, passOptions, stats, onRecord, () => progress.update(state())).catch((err) => {
      if (!(err instanceof PostError)) throw err;
    });
  });
  if (poster) await (inputFailed ? poster.settle() : poster.flush().catch(() => undefined));
  clearInterval(idleTimer);
  progress.done(state());

  const summary = {
    opts,
    stats,
    totals: poster?.totals,
    rejections: poster?.rejections ?? [],
    fatal: poster?.fatal,
    inputFailed,
    elapsedMs: io.now() - started,
  };
  for (const line of formatSummary(summary)) say(line);
  if (!opts.host && stats.format === 'combined' && stats.records > 0) {
    say('combined logs carry no host: records got host "localhost" (set --host)');
  }
  return exitStatus(summary);
}

/**
 * `--shift-to-now`, first pass: the format and the offset that moves the newest record to now − 1 min;
 * undefined after an input error (already reported).
 */
async function findShift(
  opts: ImportOptions,
  io: CliIo,
  say: (text: string) => void,
): Promise<{ format: ImportOptions['format']; offsetMs: number } | undefined> {
  const scan = newStats();
  let newest: number | undefined;
  say('--shift-to-now: reading the input once to find the newest timestamp…');
  const failed = await guardInput(say, async () => {
    const input = await openInput(opts.input, io.stdin);
    await readPass(
      input,
      { format: opts.format, limit: opts.limit },
      scan,
      (r) => void (newest = newestOf(newest, r.ts)),
    );
  });
  if (failed) return undefined;
  const now = opts.now ?? io.now();
  const offsetMs = shiftOffset(newest, now);
  if (newest !== undefined)
    say(
      `--shift-to-now: moving timestamps by ${describeOffset(offsetMs)} ` +
        `(to import again with the same times: --now ${new Date(now).toISOString()})`,
    );
  return { format: scan.format ?? opts.format, offsetMs };
}

function createPoster(opts: ImportOptions, io: CliIo, say: (text: string) => void): BatchPoster {
  return new BatchPoster({
    url: opts.url,
    token: opts.token,
    batchSize: opts.batch,
    concurrency: opts.concurrency,
    post: io.post,
    onRetry: (r) => {
      const what = r.status === 'network' ? 'network error' : `HTTP ${r.status}`;
      say(`${what}, retrying in ${(r.waitMs / 1000).toFixed(1)} s`);
    },
  });
}

/** Runs an input step; reports a read error, a broken gzip or an unrecognised format and returns true on failure. */
async function guardInput(say: (text: string) => void, step: () => Promise<void>): Promise<boolean> {
  try {
    await step();
    return false;
  } catch (err) {
    if (err instanceof FormatError) say(err.message);
    else if ((err as NodeJS.ErrnoException).code?.startsWith('Z_'))
      say(`input is not valid gzip (${(err as Error).message}); stopped there`);
    else say(`cannot read the input: ${(err as Error).message}`);
    return true;
  }
}

function describeOffset(ms: number): string {
  const days = Math.floor(Math.abs(ms) / DAY_MS);
  const rest = formatDuration(Math.abs(ms) % DAY_MS);
  return `${ms < 0 ? '-' : '+'}${days > 0 ? `${days} d ` : ''}${rest}`;
}

async function writeLine(out: CliIo['stdout'], text: string): Promise<void> {
  if (!out.write(`${text}\n`) && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit once stdout is flushed (a --dry-run piped into another program must not lose its tail).
    (code) => process.stdout.write('', () => process.exit(code)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
