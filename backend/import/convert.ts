/**
 * Turns a parsed line into the record that is posted: applies `--host` / `--app`, the `--shift-to-now` offset and a
 * stable `id`. Pure; the parsers stay format-specific, this is the one place for the options.
 */
import { createHash } from 'node:crypto';
import type { Format } from './detect-format';
import { parseCombined } from './parse-combined';
import { parseNdjson } from './parse-ndjson';
import { parseNginxJson } from './parse-nginx-json';
import type { ImportRecord, LineParser, ParseResult } from './record';
import { shiftRecord } from './shift';

/** The parser of each input format. */
const PARSERS: Record<Format, LineParser> = {
  combined: parseCombined,
  'nginx-json': parseNginxJson,
  ndjson: parseNdjson,
};

/** Host used when the line has none (combined logs) and `--host` is not given. */
export const DEFAULT_HOST = 'localhost';

/** Options of the conversion. */
export interface ConvertOptions {
  format: Format;
  /** Sets the host of every record (overrides the one in the line). */
  host?: string;
  /** Sets the app of every record. */
  app?: string;
  /** Added to every `ts` (ms); see shift.ts. */
  offsetMs?: number;
}

/**
 * Returns a converter `(line, lineNo) → ParseResult`. Records without an `id` get
 * `imp-<sha256(lineNo, line, host, app)[:32]>`: importing the same file again stores nothing twice (the service
 * writes with op_type=create), even with `--shift-to-now`, while equal lines at different positions stay distinct.
 */
export function createConverter(opts: ConvertOptions): (line: string, lineNo: number) => ParseResult {
  const parse = PARSERS[opts.format];
  const offset = opts.offsetMs ?? 0;
  return (line, lineNo) => {
    const parsed = parse(line);
    if (!parsed.ok) return parsed;
    const record: ImportRecord = { ...parsed.record };
    if (opts.host) record.host = opts.host;
    else if (!record.host) record.host = DEFAULT_HOST;
    if (opts.app) record.app = opts.app;
    if (record.id === undefined) record.id = lineId(lineNo, line, opts);
    return { ok: true, record: shiftRecord(record, offset) };
  };
}

/** The generated id of a line (see createConverter). */
function lineId(lineNo: number, line: string, opts: Pick<ConvertOptions, 'host' | 'app'>): string {
  const h = createHash('sha256')
    .update(`${lineNo}\n${opts.host ?? ''}\n${opts.app ?? ''}\n${line}`)
    .digest('hex');
  return `imp-${h.slice(0, 32)}`;
}
