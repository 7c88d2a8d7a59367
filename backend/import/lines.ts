import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole (1 MiB); a longer one is cut there (and will not parse), the rest of it skipped. */
const MAX_LINE_CHARS = 1 << 20;

/**
 * Splits a stream of byte chunks into UTF-8 lines without their `\n` / `\r\n`. Streams: memory stays at one chunk
 * plus one line. A last line without a newline is yielded too.
 * @example splitLines(['a\r\nb', '\nc']) yields 'a', 'b', 'c'
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  maxLine = MAX_LINE_CHARS,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    while (text.length > 0) {
      const nl = text.indexOf('\n');
      if (nl < 0) {
        if (!skipping) pending += text;
        if (pending.length > maxLine) {
          yield pending.slice(0, maxLine);
          pending = '';
          skipping = true;
        }
        break;
      }
      if (!skipping) yield stripCr(pending + text.slice(0, nl));
      pending = '';
      skipping = false;
      text = text.slice(nl + 1);
    }
  }
  pending += decoder.end();
  if (pending.length > 0 && !skipping) yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
