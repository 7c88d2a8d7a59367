/** The service process (`main.ts`) with the inventory settings: a bad FLOWS_CONFIG stops the start-up, naming it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

it('refuses to start with an invalid FLOWS_CONFIG, naming the file and the field', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flows-'));
  const file = path.join(dir, 'flows.yaml');
  writeFileSync(file, 'flows:\n  - flow: billing\n');
  let out = '';
  let status = 0;
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        INGEST_TOKENS: 'ingest-token-0123456789',
        QUERY_TOKENS: 'query-token-0123456789',
        SESSION_SECRET: 'secret-0123456789abcdef',
        FLOWS_CONFIG: file,
        SPECS_DIR: path.join(dir, 'specs'),
      },
      stdio: 'pipe',
    });
  } catch (err) {
    out = String((err as { stderr: Buffer }).stderr);
    status = (err as { status: number }).status;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(status).toBe(2);
  expect(out).toContain('refusing to start');
  expect(out).toContain(`FLOWS_CONFIG (${file}): invalid flow rules`);
  expect(out).toContain('flows.0: a rule needs at least one of endpoints, tags, operation_ids');
}, 60_000);
