/**
 * Parser for NDJSON in our own record format (docs/ingest.md): one JSON record per line. Records are passed
 * through as they are (the service validates them); only `ts` is read, as epoch ms, so it can be shifted.
 */
import { fail, parseJsonObjectLine, type ImportRecord, type ParseResult } from './record';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses `ts` as the contract allows it: epoch ms (number) or an RFC 3339 string; undefined otherwise.
 * @example parseRecordTs('2026-11-28T07:35:22Z') → 1795851322000; parseRecordTs(1795851322000) → 1795851322000
 */
export function parseRecordTs(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string' || !RFC3339.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses one NDJSON line: a JSON object with a valid `ts` (converted to epoch ms). Never throws. */
export function parseNdjson(line: string): ParseResult {
  const parsed = parseJsonObjectLine(line);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const ts = parseRecordTs((doc as { ts?: unknown }).ts);
  if (ts === undefined) return fail('ts missing or not RFC 3339 / epoch ms');
  return { ok: true, record: { ...(doc as Record<string, unknown>), ts } as ImportRecord };
}
