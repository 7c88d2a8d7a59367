/**
 * A minimal protobuf wire-format reader (proto3 encoding: varint, fixed64, length-delimited, fixed32) over one
 * buffer. It never allocates for skipped fields and throws `OtlpDecodeError` on truncated or malformed input, so a
 * hostile body costs at most one pass over its bytes (nesting is bounded by the decoder's depth limit).
 */
import { OtlpDecodeError } from './model';

/** Wire types of the protobuf encoding. */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const TWO_32 = 4294967296;

/** Reads fields of one message between `pos` and `end`. Sub-messages are read with `sub()`. */
export class WireReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** True while fields remain. */
  more(): boolean {
    return this.pos < this.end;
  }

  /** Reads a field tag: `{field, wire}` (field 0 is invalid). */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) this.fail('invalid field number 0');
    return { field, wire: t % 8 };
  }

  /** Reads an unsigned varint up to 2^53 exactly; larger values lose precision (never needed here). */
  varint(): number {
    const { lo, hi } = this.varint64();
    return hi * TWO_32 + lo;
  }

  /** Reads a varint as an int64: negative values (10-byte two's complement) come out negative. */
  int64(): number {
    const { lo, hi } = this.varint64();
    if (hi >= 0x80000000) return -((~hi >>> 0) * TWO_32 + ((~lo >>> 0) + 1));
    return hi * TWO_32 + lo;
  }

  /** Reads a varint as two unsigned 32-bit halves. */
  varint64(): { lo: number; hi: number } {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) return { lo: lo >>> 0, hi: hi >>> 0 };
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** Reads a little-endian fixed64 as a number (Unix nanoseconds fit with ~256 ns of rounding). */
  fixed64(): number {
    const { lo, hi } = this.fixed64Parts();
    return hi * TWO_32 + lo;
  }

  /** Reads a little-endian fixed64 as two unsigned halves (for exact differences). */
  fixed64Parts(): { lo: number; hi: number } {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return { lo, hi };
  }

  /** Reads a little-endian double. */
  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the `[start, end)` of the bytes, advancing past them. */
  span(): { start: number; end: number } {
    const len = this.varint();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return { start, end: this.pos };
  }

  /** Reads a length-delimited UTF-8 string (invalid sequences become U+FFFD, as protobuf-js and Go do). */
  string(): string {
    const { start, end } = this.span();
    return this.buf.toString('utf8', start, end);
  }

  /** Reads length-delimited bytes as lower-case hex (trace and span ids). */
  hex(): string {
    const { start, end } = this.span();
    return this.buf.toString('hex', start, end);
  }

  /** A reader over the next length-delimited field (a sub-message). */
  sub(): WireReader {
    const { start, end } = this.span();
    return new WireReader(this.buf, start, end);
  }

  /** Skips one field of the given wire type (unknown fields, and fields we do not read). */
  skip(wire: number): void {
    switch (wire) {
      case WIRE.VARINT:
        this.varint64();
        return;
      case WIRE.I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.LEN:
        this.span();
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

  private need(n: number): void {
    if (n > this.end - this.pos) this.fail('truncated message');
  }

  /** Throws an OtlpDecodeError (the decoder adds where in the export it happened). */
  fail(message: string): never {
    throw new OtlpDecodeError('(body)', message);
  }
}
