/** Runs the import CLI's `main` in-process with captured output (for the import tests). */
import { Readable } from 'node:stream';
import { main } from '../../import/cli';

/** What one run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main(argv)` with `env`, stdin (default: empty) and a non-TTY stderr; network retries kept short. */
export async function runCli(
  argv: string[],
  env: Record<string, string>,
  stdin: NodeJS.ReadableStream = Readable.from([]),
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    env,
    stdin,
    stdout: { write: (t: string) => ((stdout += t), true) },
    stderr: { write: (t: string) => ((stderr += t), true), isTTY: false },
    now: Date.now,
    progressIntervalMs: 1000,
    post: { maxNetworkRetries: 1 },
  });
  return { code, stdout, stderr };
}

/** Data-frame JSON → row objects. */
export function frameRows(frame: {
  schema: { fields: { name: string }[] };
  data: { values: unknown[][] };
}): Record<string, any>[] {
  const names = frame.schema.fields.map((f) => f.name);
  const n = frame.data.values[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((name, c) => [name, frame.data.values[c][i]])),
  );
}
