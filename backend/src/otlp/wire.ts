/**
 * A minimal protobuf wire-format reader (proto3 encoding: varint, fixed64, length-delimited, fixed32) over one
 * buffer and one cursor. Sub-messages are read in place: `len()` returns where the field ends and the caller loops
 * `while (r.pos < end)`, so decoding allocates nothing but the values it keeps. Truncated or malformed input throws
 * `OtlpDecodeError`, so a hostile body costs at most one pass over its bytes (nesting is bounded by the decoder's
 * depth limit).
 */
import { OtlpDecodeError } from './model';

/** Wire types of the protobuf encoding. */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const TWO_32 = 4294967296;

/** Reads fields from `pos` on. */
export class WireReader {
  pos = 0;

  constructor(readonly buf: Buffer) {}

  /**
   * Reads a field tag (`field << 3 | wire`); the caller splits it with `>>> 3` and `& 7`. Throws on field 0.
   * Tags are at most 5 bytes (field numbers < 2^29), so the 32-bit shift is exact.
   */
  tag(): number {
    const t = this.varint();
    if (t < 8) this.fail('invalid field number 0');
    return t;
  }

  /** Reads an unsigned varint, exact up to 2^53 (lengths, tags, enums, bools; never more here). */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= buf.length) this.fail('truncated varint');
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    let scale = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= buf.length) this.fail('truncated varint');
      b = buf[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** Reads a varint as an int64: negative values (10-byte two's complement) come out negative. */
  int64(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail('truncated varint');
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        lo >>>= 0;
        hi >>>= 0;
        if (hi >= 0x80000000) return -((~hi >>> 0) * TWO_32 + ((~lo >>> 0) + 1));
        return hi * TWO_32 + lo;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** Reads a little-endian fixed32. */
  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian double. */
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * Reads a length prefix and returns where the field ends (the cursor stays at its start). Throws unless the
   * field fits inside its enclosing message, which ends at `limit`.
   */
  len(limit = this.buf.length): number {
    const n = this.varint();
    if (n > limit - this.pos) this.fail('truncated message');
    return this.pos + n;
  }

  /** Throws unless the cursor stopped exactly at the end of the message just read (no field ran past it). */
  end(end: number): void {
    if (this.pos !== end) this.fail('a field runs past the end of its message');
  }

  /** Reads a length-delimited UTF-8 string (invalid sequences become U+FFFD, as protobufjs and Go do). */
  string(limit?: number): string {
    const end = this.len(limit);
    const start = this.pos;
    this.pos = end;
    return this.buf.toString('utf8', start, end);
  }

  /** Reads a length-delimited string through a key cache (attribute keys). */
  key(cache: KeyCache, limit?: number): string {
    const end = this.len(limit);
    const start = this.pos;
    this.pos = end;
    return cache.get(this.buf, start, end);
  }

  /** Reads length-delimited bytes as lower-case hex (trace and span ids). */
  hex(limit?: number): string {
    const end = this.len(limit);
    const start = this.pos;
    this.pos = end;
    return this.buf.toString('hex', start, end);
  }

  /** Skips one field of the given wire type (unknown fields, and fields we do not read) inside a message ending at `limit`. */
  skip(wire: number, limit?: number): void {
    switch (wire) {
      case WIRE.VARINT:
        this.varint();
        return;
      case WIRE.I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.LEN:
        this.pos = this.len(limit);
        return;
      case WIRE.I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        // Groups (3, 4) are proto2-only and never used by OTLP; anything else is not protobuf.
        this.fail(`unsupported wire type ${wire}`);
    }
  }

  /** Throws unless `n` more bytes are there. */
  need(n: number): void {
    if (n > this.buf.length - this.pos) this.fail('truncated message');
  }

  /** Throws an OtlpDecodeError (the decoder adds where in the export it happened). */
  fail(message: string): never {
    throw new OtlpDecodeError('(body)', message);
  }
}

/** Most distinct keys the key cache holds; beyond it (random keys from a hostile sender) keys are decoded afresh. */
const KEY_CACHE_SIZE = 2048;
/** Keys longer than this are never cached. */
const KEY_CACHE_MAX_LENGTH = 64;

/**
 * Attribute keys repeat in every span (`http.request.method`, `url.path`, …): decoding them through this cache
 * returns the same string object each time, found by an FNV-1a hash of the bytes and checked byte by byte, so a
 * key costs a short loop instead of a new string (and its hash, computed once, is reused by every lookup).
 */
export class KeyCache {
  private readonly entries = new Map<number, { bytes: Uint8Array; value: string }>();

  /** The string of `buf[start, end)`. */
  get(buf: Buffer, start: number, end: number): string {
    const n = end - start;
    if (n > KEY_CACHE_MAX_LENGTH) return buf.toString('utf8', start, end);
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const hit = this.entries.get(h);
    if (hit && hit.bytes.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = hit.bytes[i] === buf[start + i];
      if (same) return hit.value;
    }
    const value = buf.toString('utf8', start, end);
    if (!hit && this.entries.size < KEY_CACHE_SIZE)
      this.entries.set(h, { bytes: new Uint8Array(buf.subarray(start, end)), value });
    return value;
  }
}
