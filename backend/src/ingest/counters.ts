/** Running totals of the ingest path, logged periodically instead of a line per record. */
export class IngestCounters {
  accepted = 0;
  duplicates = 0;
  rejected = 0;
  add(delta: { accepted: number; duplicates: number; rejected: number }): void {
    this.accepted += delta.accepted;
    this.duplicates += delta.duplicates;
    this.rejected += delta.rejected;
  }
  /** Returns the totals since the last call and resets them. */
  drain(): { accepted: number; duplicates: number; rejected: number } {
    const out = { accepted: this.accepted, duplicates: this.duplicates, rejected: this.rejected };
    this.accepted = this.duplicates = this.rejected = 0;
    return out;
  }
}
