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
 * replayed oldest first; a replayed segment is deleted only after OpenSearch acknowledged (or rejected for good)
 * every document. Replays write with `op_type=create` under the record's id, so replaying a segment twice (a crash
 * between the write and the delete) stores nothing twice. Only records OpenSearch cannot take *now* are appended
 * (storeRecords); see `replay` for what happens to those it will never take.
 */
/** Documents per replay write (several small segments are written together). */
const REPLAY_BATCH_DOCS = 5000;

export class Spool {
  private seq = 0;
  private bytes = 0;
  private segmentCount = 0;
  private replaying: Promise<ReplayReport> | undefined;

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
    spool.segmentCount = segments.length;
    const last = segments.at(-1);
    spool.seq = last ? Number(last.slice(4, 20)) + 1 : 0;
    return spool;
  }

  /** Bytes waiting to be replayed. */
  get pendingBytes(): number {
    return this.bytes;
  }

  /** Segment files waiting to be replayed (quarantined ones excluded). */
  get pendingSegments(): number {
    return this.segmentCount;
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
      this.segmentCount++;
    } catch (err) {
      this.bytes -= size;
      await fs.rm(tmp, { force: true });
      throw new StorageUnavailableError(
        `storage is unavailable and the spool cannot be written: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Replays pending segments in order through the sink, one run at a time. A run stops at the first group
   * OpenSearch cannot take now (transport error, 429/5xx) and leaves it for the next run. Unlike those, what can
   * never be stored does not block the spool (issue 13): records OpenSearch rejects one by one are reported and
   * dropped with their segment; a group it refuses as a whole (a 4xx to the `_bulk` request), and a segment with
   * unreadable lines (after its readable records are replayed), are moved to `quarantine/` and reported.
   */
  replay(sink: Sink): Promise<ReplayReport> {
    this.replaying ??= this.replayAll(sink).finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  /** Folder of segments moved aside (corrupt, or refused for good); never replayed automatically. */
  get quarantineDir(): string {
    return path.join(this.dir, QUARANTINE);
  }

  private async replayAll(sink: Sink): Promise<ReplayReport> {
    const report: ReplayReport = { replayed: 0, rejected: [], refused: [], quarantined: [] };
    const names = await this.segments();
    // Coalesce small segments into bulk-sized writes; delete them only after the write is acknowledged.
    for (let i = 0; i < names.length;) {
      const group: SegmentRead[] = [];
      const docs: PreparedRecord[] = [];
      while (i < names.length && docs.length < REPLAY_BATCH_DOCS) {
        const segment = await readSegment(path.join(this.dir, names[i++]));
        for (const doc of segment.docs) docs.push({ index: docs.length, doc });
        group.push(segment);
      }
      const result = await sink.write(docs);
      if (result.unstored.length > 0) {
        // OpenSearch cannot take them now: keep the group (what was stored of it is deduplicated next time).
        report.waiting = result.unavailable ?? 'storage is unavailable';
        return report;
      }
      report.replayed += result.stored + result.duplicates;
      report.rejected.push(...result.rejected.map((e) => e.message));
      if (result.refused.length > 0) {
        report.refused.push(...result.refused.map((e) => e.message));
        for (const g of group) report.quarantined.push(await this.moveAside(g, 'refused'));
        continue;
      }
      for (const g of group) {
        if (g.unreadableLines > 0) report.quarantined.push(await this.moveAside(g, 'unreadable'));
        else await this.remove(g);
      }
    }
    return report;
  }

  private async remove(g: SegmentRead): Promise<void> {
    await fs.rm(g.file);
    this.bytes -= g.bytes;
    this.segmentCount--;
  }

  /** Moves a segment into quarantine/ (kept as it is, for an operator); it no longer counts as pending. */
  private async moveAside(g: SegmentRead, why: QuarantinedSegment['why']): Promise<QuarantinedSegment> {
    await fs.mkdir(this.quarantineDir, { recursive: true });
    const to = path.join(this.quarantineDir, path.basename(g.file));
    await fs.rename(g.file, to);
    await syncDir(this.dir);
    this.bytes -= g.bytes;
    this.segmentCount--;
    return { segment: path.basename(g.file), to, why, records: g.docs.length, unreadableLines: g.unreadableLines };
  }
}

/** Sub-folder of the spool holding segments moved aside. */
const QUARANTINE = 'quarantine';

/** What one replay run did; the app logs it and counts it in the metrics. */
export interface ReplayReport {
  /** Records stored (or found already stored). */
  replayed: number;
  /** Messages of records OpenSearch rejected one by one (dropped: they would be rejected again). */
  rejected: string[];
  /** Messages of records whose whole `_bulk` request was refused (their segments are quarantined). */
  refused: string[];
  /** Segments moved aside. */
  quarantined: QuarantinedSegment[];
  /** Set when the run stopped because storage is unavailable (the rest waits for the next run). */
  waiting?: string;
}

/** A segment moved into quarantine/. */
export interface QuarantinedSegment {
  segment: string;
  to: string;
  why: 'unreadable' | 'refused';
  records: number;
  unreadableLines: number;
}

interface SegmentRead {
  file: string;
  bytes: number;
  docs: StoredRequest[];
  unreadableLines: number;
}

/** Reads a segment: every line that is a stored document (an object with a string id and a numeric ts). */
async function readSegment(file: string): Promise<SegmentRead> {
  const buf = await fs.readFile(file);
  const docs: StoredRequest[] = [];
  let unreadableLines = 0;
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line) continue;
    const doc = parseDoc(line);
    if (doc) docs.push(doc);
    else unreadableLines++;
  }
  return { file, bytes: buf.length, docs, unreadableLines };
}

function parseDoc(line: string): StoredRequest | undefined {
  try {
    const v = JSON.parse(line) as Partial<StoredRequest> | null;
    return v && typeof v === 'object' && typeof v.id === 'string' && Number.isFinite(v.ts)
      ? (v as StoredRequest)
      : undefined;
  } catch {
    return undefined;
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
