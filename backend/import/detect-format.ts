/** Recognises the input format from a log line (used for `--format auto`). Pure. */

/** The input formats the importer reads. */
export const FORMATS = ['combined', 'nginx-json', 'ndjson'] as const;
/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];

// "client ident user [" or "vhost:port client ident user [", then a quoted request line.
const CLF_SHAPE = /^(?:\S+ ){3,4}\[[^\]]*\] "/;

/**
 * Returns the format a line is written in, or undefined when it is empty or not recognised.
 * JSON objects with nginx variable names (`remote_addr`, `request_uri`, `msec`) are `nginx-json`; other JSON objects
 * with `path` or `client_ip` are `ndjson`; `… [date] "…` lines are `combined` (structure only: a line with a bad date
 * is still recognised and then reported as unparseable).
 * @example detectFormat('::1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "curl"') → 'combined'
 */
export function detectFormat(line: string): Format | undefined {
  const t = line.trim();
  if (t === '') return undefined;
  if (t.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch {
      return undefined;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
    if ('remote_addr' in o || 'request_uri' in o || 'msec' in o) return 'nginx-json';
    if ('path' in o || 'client_ip' in o) return 'ndjson';
    return undefined;
  }
  return CLF_SHAPE.test(t) ? 'combined' : undefined;
}
