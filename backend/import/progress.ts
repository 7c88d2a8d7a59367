/**
 * The progress line on stderr. On a terminal it is redrawn in place (`\r`, at most every `ttyIntervalMs`);
 * otherwise (CI logs, `2> file`) one line is written every `intervalMs`. Formatting is pure (`formatProgress`).
 */

/** What the progress line shows. */
export interface ProgressState {
  lines: number;
  accepted: number;
  rejected: number;
  unparseable: number;
  bytesRead: number;
  /** File size for the percentage and ETA; undefined for stdin. */
  size?: number;
  /** `--limit`: when it ends the import before the end of the file, the percentage follows it instead. */
  limit?: number;
  elapsedMs: number;
}

const nf = new Intl.NumberFormat('en-US');

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * One progress line.
 * @example formatProgress({lines:5000, accepted:4000, rejected:2, unparseable:1, bytesRead:50, size:100, elapsedMs:2000})
 *   → '5,000 lines · 4,000 accepted · 2 rejected · 1 unparseable · 2,500 lines/s · 50% · ETA 0:02'
 */
export function formatProgress(s: ProgressState): string {
  const rate = s.elapsedMs > 0 ? Math.round((s.lines * 1000) / s.elapsedMs) : 0;
  const parts = [
    `${nf.format(s.lines)} lines`,
    `${nf.format(s.accepted)} accepted`,
    `${nf.format(s.rejected)} rejected`,
    `${nf.format(s.unparseable)} unparseable`,
    `${nf.format(rate)} lines/s`,
  ];
  const byBytes = s.size !== undefined && s.size > 0 ? s.bytesRead / s.size : undefined;
  const byLimit = s.limit !== undefined ? s.lines / s.limit : undefined;
  if (byBytes !== undefined || byLimit !== undefined) {
    const done = Math.min(1, Math.max(byBytes ?? 0, byLimit ?? 0));
    parts.push(`${Math.floor(done * 100)}%`);
    if (done > 0 && done < 1 && s.elapsedMs > 0) parts.push(`ETA ${formatDuration((s.elapsedMs * (1 - done)) / done)}`);
  }
  return parts.join(' · ');
}

/** Where and how often progress is written. */
export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  /** Non-TTY: one line per interval (default 5 s). */
  intervalMs?: number;
  /** TTY: redraw at most this often (default 200 ms). */
  ttyIntervalMs?: number;
  now?: () => number;
}

/** A progress reporter: call `update` as often as you like; `done` ends the line on a terminal. */
export interface ProgressReporter {
  update(state: ProgressState, force?: boolean): void;
  done(state: ProgressState): void;
}

/** Creates the reporter (see the module comment). */
export function createProgress(opts: ProgressOptions): ProgressReporter {
  const now = opts.now ?? Date.now;
  const interval = opts.isTTY ? (opts.ttyIntervalMs ?? 200) : (opts.intervalMs ?? 5000);
  let last = now();
  let drawn = false;
  const draw = (state: ProgressState) => {
    const line = formatProgress(state);
    if (opts.isTTY) opts.write(`\r${line}\x1b[K`);
    else opts.write(`import: ${line}\n`);
    drawn = true;
  };
  return {
    update(state, force = false) {
      const t = now();
      if (!force && t - last < interval) return;
      last = t;
      draw(state);
    },
    done(state) {
      if (opts.isTTY) {
        draw(state);
        opts.write('\n');
      } else if (drawn) {
        draw(state);
      }
    },
  };
}
