/**
 * One pass over the input: split into lines, recognise the format (`--format auto`), convert each line and hand the
 * record on. Unparseable lines are counted and the first few kept with their line numbers (never their content).
 * `--shift-to-now` runs two passes: one to find the newest timestamp, one to post.
 */
import { createConverter } from './convert';
import { detectFormat, type Format } from './detect-format';
import type { Input } from './input';
import { splitLines } from './lines';
import type { ImportRecord } from './record';

/** How many non-empty lines auto-detection looks at before giving up. */
const DETECT_LINES = 10;
/** How many unparseable lines are kept for the summary. */
const KEEP_UNPARSEABLE = 5;

/** An unparseable line: its 1-based number and why. */
interface Unparseable {
  line: number;
  reason: string;
}

/** Counters of a pass; `format` is set once recognised. */
export interface PassStats {
  lines: number;
  records: number;
  unparseable: number;
  samples: Unparseable[];
  format?: Format;
}

/** Thrown when `--format auto` cannot recognise the first lines. */
export class FormatError extends Error {}

/** What a pass needs. */
export interface PassOptions {
  format: Format | 'auto';
  limit?: number;
  host?: string;
  app?: string;
  offsetMs?: number;
}

/** A fresh set of counters. */
export function newStats(): PassStats {
  return { lines: 0, records: 0, unparseable: 0, samples: [] };
}

/**
 * Reads `input` once, calling `onRecord` for each converted record (awaited: back-pressure) and `onLine` after each
 * line. Throws FormatError, the input's read errors, and whatever `onRecord` throws.
 */
export async function readPass(
  input: Input,
  opts: PassOptions,
  stats: PassStats,
  onRecord: (record: ImportRecord, line: number) => Promise<void> | void,
  onLine: () => void = () => undefined,
): Promise<void> {
  let convert: ReturnType<typeof createConverter> | undefined;
  const pending: { line: string; no: number }[] = [];
  const handle = async (line: string, no: number) => {
    const r = convert!(line, no);
    if (r.ok) {
      stats.records++;
      await onRecord(r.record, no);
    } else {
      stats.unparseable++;
      if (stats.samples.length < KEEP_UNPARSEABLE) stats.samples.push({ line: no, reason: r.reason });
    }
  };
  for await (const line of splitLines(input.chunks)) {
    if (opts.limit !== undefined && stats.lines >= opts.limit) break;
    const no = ++stats.lines;
    onLine();
    if (line.trim() === '') continue;
    if (!convert) {
      const format = opts.format !== 'auto' ? opts.format : detectFormat(line);
      if (!format) {
        pending.push({ line, no });
        if (pending.length >= DETECT_LINES) throw formatError(pending.map((p) => p.no));
        continue;
      }
      stats.format = format;
      convert = createConverter({ format, host: opts.host, app: opts.app, offsetMs: opts.offsetMs });
      for (const p of pending.splice(0)) await handle(p.line, p.no);
    }
    await handle(line, no);
  }
  if (!convert && pending.length > 0) throw formatError(pending.map((p) => p.no));
}

function formatError(lines: number[]): FormatError {
  const which = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines[0]}–${lines[lines.length - 1]}`;
  return new FormatError(
    `cannot recognise the log format (${which}); expected combined, nginx JSON (log_format api_sessions) or NDJSON records — pass --format`,
  );
}
