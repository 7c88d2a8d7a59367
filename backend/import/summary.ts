/** The final summary and exit status of an import (pure). */
import type { PostError } from '../client/post';
import type { PosterTotals, Rejection } from './batch-poster';
import type { ImportOptions } from './options';
import { formatDuration } from './progress';
import type { PassStats } from './read-pass';

/** Everything the summary is made of. */
export interface ImportSummary {
  opts: Pick<ImportOptions, 'url' | 'dryRun'>;
  stats: PassStats;
  /** Undefined for --dry-run. */
  totals?: PosterTotals;
  rejections: Rejection[];
  fatal?: PostError;
  inputFailed: boolean;
  elapsedMs: number;
}

const nf = new Intl.NumberFormat('en-US');

/**
 * The summary lines (without the `import: ` prefix). Unparseable and rejected lines are listed by line number with
 * the reason; no value from the input is repeated.
 */
export function formatSummary(s: ImportSummary): string[] {
  const out: string[] = [];
  const { stats, totals } = s;
  const fmt = stats.format ? ` (${stats.format})` : '';
  const head = `${nf.format(stats.lines)} lines read${fmt}, ${nf.format(stats.records)} records, ${nf.format(stats.unparseable)} unparseable`;
  if (s.opts.dryRun || !totals) {
    out.push(`done in ${formatDuration(s.elapsedMs)}: ${head}; --dry-run: nothing posted`);
  } else {
    const retries = totals.retries > 0 ? `, ${nf.format(totals.retries)} retries` : '';
    out.push(
      `done in ${formatDuration(s.elapsedMs)}: ${head}; ${nf.format(totals.accepted)} accepted, ${nf.format(totals.rejected)} rejected${retries}`,
    );
  }
  if (stats.samples.length > 0) {
    out.push(`unparseable lines (first ${stats.samples.length} of ${nf.format(stats.unparseable)}):`);
    for (const u of stats.samples) out.push(`  line ${u.line}: ${u.reason}`);
  }
  if (s.rejections.length > 0 && totals) {
    const sorted = [...s.rejections].sort((a, b) => a.line - b.line);
    out.push(`rejected by the service (first ${sorted.length} of ${nf.format(totals.rejected)}):`);
    for (const r of sorted) out.push(`  line ${r.line}: ${r.field ? `${r.field}: ` : ''}${r.message}`);
  }
  const problem = problemOf(s);
  if (problem) out.push(...problem);
  return out;
}

/** 0 when something was accepted (or printed) or the input was empty; 1 otherwise (see cli.ts). */
export function exitStatus(s: ImportSummary): number {
  return problemOf(s) ? 1 : 0;
}

function problemOf(s: ImportSummary): string[] | undefined {
  const { stats, totals, fatal } = s;
  if (fatal) {
    const partial =
      totals && totals.accepted > 0 ? [`${nf.format(totals.accepted)} records were accepted before that`] : [];
    if (fatal.code === 'unauthorized') {
      return [
        `error: ${s.opts.url} refused the ingest token (401): INGEST_TOKEN / --token-file must hold one of the service's INGEST_TOKENS (not a query token)`,
        ...partial,
      ];
    }
    if (fatal.code === 'unreachable') {
      return [
        `error: ${fatal.message}`,
        'is the service running? Start it with `npm run service` (or `npm start`), or set --url / SERVICE_URL',
        ...partial,
      ];
    }
    return [`error: ${fatal.message}; try again later or with a lower --concurrency`, ...partial];
  }
  if (s.inputFailed) return ['error: the input could not be read to the end (see above)'];
  if (stats.records === 0) {
    if (stats.unparseable === 0) return undefined; // empty input: nothing to do
    return [`error: no line could be parsed${stats.format ? ` as ${stats.format}` : ''}; check --format`];
  }
  if (totals && totals.accepted === 0) {
    const statuses = totals.failedStatuses.length > 0 ? ` (HTTP ${totals.failedStatuses.join(', ')})` : '';
    return [`error: the service rejected every record${statuses}; nothing was imported`];
  }
  return undefined;
}
