import { isUtf8 } from 'node:buffer';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { IncomingMessage } from 'node:http';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../http/errors';
import type { RawItem } from './records';
import { splitJsonArray } from './json-array';

const gunzipAsync = promisify(gunzip);

/** How the body is framed. */
export type BodyFormat = 'json' | 'ndjson';

const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);
const JSON_TYPES = new Set(['application/json', '']);

/** Picks the format from a Content-Type header; throws UnsupportedMediaTypeError (415) for anything else. */
export function bodyFormatOf(contentType: string | undefined): BodyFormat {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (NDJSON_TYPES.has(mime)) return 'ndjson';
  if (JSON_TYPES.has(mime)) return 'json';
  throw new UnsupportedMediaTypeError(
    `Content-Type ${mime} is not supported; use application/json or application/x-ndjson`,
  );
}

/** Checks Content-Encoding: identity or gzip; 415 otherwise. Returns true for gzip. */
export function isGzip(contentEncoding: string | undefined): boolean {
  const enc = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return true;
  if (enc === 'identity' || enc === '') return false;
  throw new UnsupportedMediaTypeError(`Content-Encoding ${enc} is not supported; use gzip or none`);
}

/**
 * Reads the raw body, gunzipping when asked. The limit applies to the bytes on the wire and again
 * after decompression (a gzip bomb stops at the limit). Throws 413 / 400 (broken gzip).
 */
export async function readBody(req: IncomingMessage, limit: number, gzip: boolean): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new PayloadTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (!gzip) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(limit);
    throw new InputError(
      'body is not valid gzip',
      [{ field: '(body)', message: 'invalid gzip stream' }],
      'invalid_body',
    );
  }
}

/**
 * Strict UTF-8 decoding, as `new TextDecoder('utf-8', {fatal: true})` does (a leading BOM dropped, invalid bytes
 * refused), but validated by `isUtf8` (simdutf) and decoded by `toString`: several times faster on large bodies.
 * Throws on invalid UTF-8.
 */
function decodeUtf8(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new TypeError('invalid UTF-8');
  return bytes.toString('utf8', bomLength(bytes));
}

/** 3 when `bytes` starts with a UTF-8 byte order mark, else 0. */
function bomLength(bytes: Buffer): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse that drops `__proto__`, `constructor` and `prototype` keys at every depth: they are never fields of
 * ours, and an own `constructor` key confuses object checks downstream (zod's isPlainObject). Only pays for the
 * reviver when the text contains one of them.
 */
export function safeJsonParse(text: string): unknown {
  if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('prototype'))
    return JSON.parse(text);
  return JSON.parse(text, (key, value) => (UNSAFE_KEYS.has(key) ? undefined : value));
}

/**
 * Splits a body into items. JSON: one object or an array (a body that is not JSON → 400).
 * NDJSON: one item per non-empty line; a bad line is that item's error, the others still count.
 */
export function parseItems(body: Buffer, format: BodyFormat): RawItem[] {
  if (body.length === 0)
    throw new InputError('body is empty', [{ field: '(body)', message: 'empty body' }], 'invalid_body');
  return format === 'json' ? parseJsonBody(body) : parseNdjsonBody(body);
}

function parseJsonBody(body: Buffer): RawItem[] {
  if (!isUtf8(body))
    throw new InputError('body is not valid UTF-8', [{ field: '(body)', message: 'invalid UTF-8' }], 'invalid_body');
  // An array is parsed element by element (small strings; see json-array.ts); the whole body is parsed only for
  // other shapes, or to give JSON.parse's own message when an element is not valid JSON.
  const ranges = splitJsonArray(body, bomLength(body));
  if (ranges) {
    try {
      return ranges.map(([start, end], index) => ({ index, value: safeJsonParse(body.toString('utf8', start, end)) }));
    } catch {
      /* parsed again as a whole below, for the error message */
    }
  }
  let value: unknown;
  try {
    value = safeJsonParse(body.toString('utf8', bomLength(body)));
  } catch (err) {
    throw new InputError(
      `body is not valid JSON: ${(err as Error).message}`,
      [{ field: '(body)', message: 'invalid JSON' }],
      'invalid_body',
    );
  }
  if (Array.isArray(value) && value.length === 0)
    throw new InputError('body has no records', [{ field: '(body)', message: 'empty JSON array' }], 'invalid_body');
  if (Array.isArray(value)) return value.map((v, index) => ({ index, value: v }));
  return [{ index: 0, value }];
}

function parseNdjsonBody(body: Buffer): RawItem[] {
  const items: RawItem[] = [];
  let start = 0;
  let line = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    const slice = body.subarray(start, end);
    if (slice.length > 0 && !(slice.length === 1 && slice[0] === 0x0d)) items.push(parseLine(slice, line));
    line++;
    start = end + 1;
  }
  if (items.length === 0)
    throw new InputError('body has no records', [{ field: '(body)', message: 'no NDJSON lines' }], 'invalid_body');
  return items;
}

function parseLine(slice: Buffer, index: number): RawItem {
  let text: string;
  try {
    text = decodeUtf8(slice);
  } catch {
    return { index, error: { index, field: '(record)', message: 'line is not valid UTF-8' } };
  }
  if (text.trim() === '') return { index, error: { index, field: '(record)', message: 'empty line' } };
  try {
    return { index, value: safeJsonParse(text) };
  } catch (err) {
    return { index, error: { index, field: '(record)', message: `line is not valid JSON: ${(err as Error).message}` } };
  }
}
