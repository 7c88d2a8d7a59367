/**
 * Opens the input of an import: a file or stdin (`-`), plain or gzip (recognised by its magic bytes 1f 8b, not by
 * the file name). Streams; counts the raw bytes read so progress can show a percentage and an ETA for files.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** An opened input. */
export interface Input {
  /** Decompressed content, chunk by chunk. Iterate once. Throws on unreadable files or broken gzip. */
  chunks: AsyncIterable<Buffer>;
  /** Raw (possibly compressed) bytes read so far. */
  bytesRead(): number;
  /** Size in bytes of a regular file; undefined for stdin and pipes. */
  size?: number;
  gzip: boolean;
}

/** True when the bytes start with the gzip magic number. */
function isGzipMagic(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Opens `path` (`-` = `stdin`). Throws an Error with a readable message when the file cannot be opened. */
export async function openInput(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Input> {
  let raw: NodeJS.ReadableStream;
  let size: number | undefined;
  if (path === '-') {
    raw = stdin;
  } else {
    const st = await fsp.stat(path).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
    if (st.isDirectory()) throw new Error(`cannot read ${path}: is a directory`);
    if (st.isFile()) size = st.size;
    raw = createReadStream(path);
  }
  let bytes = 0;
  const it = (raw as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    if (r.done) return undefined;
    const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    bytes += buf.length;
    return buf;
  };
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2) {
    const chunk = await next();
    if (!chunk) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, chunk]);
  }
  async function* rawChunks(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    try {
      for (let c = await next(); c; c = await next()) yield c;
    } finally {
      // Stopped early (--limit): close the file now rather than when it is garbage-collected.
      await it.return?.();
    }
  }
  const gzip = isGzipMagic(head);
  const source = Readable.from(rawChunks(), { objectMode: false });
  let chunks: AsyncIterable<Buffer> = source;
  if (gzip) {
    const gunzip = createGunzip();
    // pipeline forwards a read error to gunzip, so iterating `chunks` throws it.
    pipeline(source, gunzip).catch(() => undefined);
    chunks = gunzip;
  }
  return { chunks, bytesRead: () => bytes, size, gzip };
}

/**
 * Copies stdin to a temporary file (for `--shift-to-now`, which reads its input twice). Returns the path and a
 * cleanup function.
 */
export async function spoolToTempFile(
  stdin: NodeJS.ReadableStream,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'api-sessions-import-'));
  const path = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(path));
  return { path, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}
