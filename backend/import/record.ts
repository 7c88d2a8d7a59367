/**
 * What the importer builds from one log line: a record of the ingest contract (docs/ingest.md), with `ts` already
 * converted to epoch milliseconds so it can be shifted. `host` may be missing after parsing (combined logs carry
 * none); the converter fills it before posting.
 */
export interface ImportRecord {
  id?: string;
  ts: number;
  host?: string;
  method?: string;
  path?: string;
  status?: number;
  client_ip?: string;
  duration_ms?: number;
  request_bytes?: number;
  response_bytes?: number;
  user_agent?: string;
  node?: string;
  app?: string;
  protocol?: string;
  user?: string;
  identifiers?: { headers?: Record<string, string>; cookies?: Record<string, string> };
  /** NDJSON input may carry any other contract field; it is passed through untouched. */
  [field: string]: unknown;
}

/**
 * The outcome of parsing one line. `reason` is safe to print: it names what is wrong but never repeats a value
 * from the line (which may carry tokens, cookies or query values).
 */
export type ParseResult = { ok: true; record: ImportRecord } | { ok: false; reason: string };

/** A line parser: pure, never throws. */
export type LineParser = (line: string) => ParseResult;

/** Shorthand for a failed parse. */
export function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/**
 * Parses a line that must hold one JSON object: the object, or the failure to report. Never throws.
 * @example parseJsonObjectLine('{"a":1}') → { ok: true, value: { a: 1 } }; parseJsonObjectLine('[1]') → { ok: false, reason: 'not a JSON object' }
 */
export function parseJsonObjectLine(
  line: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON (truncated line?)' };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'not a JSON object' };
  return { ok: true, value: doc as Record<string, unknown> };
}
