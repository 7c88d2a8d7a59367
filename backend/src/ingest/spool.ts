import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { StorageUnavailableError } from '../http/errors';
import type { StoredRequest } from '../storage/mappings';
import type { PreparedRecord } from './records';
import type { Sink } from './sink';

/**
 * A local write-ahead spool for accepted records that OpenSearch could not take.
 *
 * Each append is one segment file, written under a `.tmp` name, fsynced, then renamed (and the directory fsynced),
 * so a segment is either complete or absent even after `kill -9`. Segments are named by a zero-padded sequence and
 * replayed oldest first; a replayed segment is deleted only after OpenSearch acknowledged every document. Replays
 * write with `op_type=create` under the record's id, so replaying a segment twice (a crash between the write and
 * the delete) stores nothing twice.
 */
/** Documents per replay write (several small segments are written together). */
const REPLAY_BATCH_DOCS = 5000;

export class Spool {
  private seq = 0;
  private bytes = 0;
  private replaying: Promise<number> | undefined;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating) the spool directory, removes incomplete `.tmp` segments and counts what is pending. */
  static async open(dir: string, maxBytes: number): Promise<Spool> {
    await fs.mkdir(dir, { recursive: true });
    const spool = new Spool(dir, maxBytes);
    for (const name of await fs.readdir(dir)) {
      if (name.endsWith('.tmp')) await fs.rm(path.join(dir, name), { force: true });
    }
    const segments = await spool.segments();
    for (const name of segments) spool.bytes += (await fs.stat(path.join(dir, name))).size;
    const last = segments.at(-1);
    spool.seq = last ? Number(last.slice(4, 20)) + 1 : 0;
    return spool;
  }

  /** Bytes waiting to be replayed. */
  get pendingBytes(): number {
    return this.bytes;
  }

  /** Segment file names, oldest first. */
  async segments(): Promise<string[]> {
    return (await fs.readdir(this.dir)).filter((n) => /^seg-\d{16}\.ndjson$/.test(n)).sort();
  }

  /** Appends documents durably (fsync) before returning. Throws 503 when the spool would exceed its cap. */
  async append(records: PreparedRecord[]): Promise<void> {
    const text = records.map((r) => JSON.stringify(r.doc)).join('\n') + '\n';
    const size = Buffer.byteLength(text);
    if (this.bytes + size > this.maxBytes)
      throw new StorageUnavailableError('storage is unavailable and the local spool is full; retry later', 30);
    this.bytes += size;
    const name = `seg-${String(this.seq++).padStart(16, '0')}.ndjson`;
    const tmp = path.join(this.dir, `${name}.tmp`);
    try {
      const fh = await fs.open(tmp, fsConstants.O_CREAT | fsConstants.O_WRONLY | fsConstants.O_EXCL);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, path.join(this.dir, name));
      await syncDir(this.dir);
    } catch (err) {
      this.bytes -= size;
      await fs.rm(tmp, { force: true });
      throw new StorageUnavailableError(
        `storage is unavailable and the spool cannot be written: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Replays pending segments in order through the sink; stops at the first failure (OpenSearch still down) and
   * leaves that segment for the next run. Returns the number of documents replayed. Runs one at a time.
   */
  replay(sink: Sink): Promise<number> {
    this.replaying ??= this.replayAll(sink).finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  private async replayAll(sink: Sink): Promise<number> {
    let replayed = 0;
    const names = await this.segments();
    // Coalesce small segments into bulk-sized writes; delete them only after the write is acknowledged.
    for (let i = 0; i < names.length;) {
      const group: { file: string; bytes: number }[] = [];
      const docs: PreparedRecord[] = [];
      while (i < names.length && docs.length < REPLAY_BATCH_DOCS) {
        const file = path.join(this.dir, names[i++]);
        const text = await fs.readFile(file, 'utf8');
        for (const line of text.split('\n'))
          if (line) docs.push({ index: docs.length, doc: JSON.parse(line) as StoredRequest });
        group.push({ file, bytes: Buffer.byteLength(text) });
      }
      await sink.write(docs); // throws while storage is down: the segments stay for the next run
      for (const g of group) {
        await fs.rm(g.file);
        this.bytes -= g.bytes;
      }
      replayed += docs.length;
    }
    return replayed;
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
