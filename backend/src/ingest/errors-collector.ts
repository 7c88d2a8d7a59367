import type { RecordError } from './records';

/** How many errors an answer lists at most (`rejected` still counts every rejected record). */
const MAX_LISTED_ERRORS = 1000;

/**
 * Collects per-record errors with bounded memory: counts rejected records (not errors) and keeps only the first
 * MAX_LISTED_ERRORS errors in body order. Records must be added in increasing index order per call site.
 */
export class ErrorCollector {
  private readonly listed: RecordError[] = [];
  private readonly rejectedIndexes = new Set<number>();
  private overflow = false;

  /** Adds errors (any number, any records). */
  add(errors: Iterable<RecordError>): void {
    for (const e of errors) {
      this.rejectedIndexes.add(e.index);
      if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(e);
      else this.overflow = true;
    }
  }

  /** Number of rejected records. */
  get rejected(): number {
    return this.rejectedIndexes.size;
  }

  /** The listed errors, sorted by record index (at most MAX_LISTED_ERRORS). */
  errors(): RecordError[] {
    return [...this.listed].sort((a, b) => a.index - b.index);
  }

  /** True when some errors were counted but not listed. */
  get truncated(): boolean {
    return this.overflow;
  }
}
