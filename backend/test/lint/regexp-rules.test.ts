/**
 * The lint step refuses regexes that can backtrack super-linearly anywhere in backend/ (issue 13): values we match
 * come from attackers. Runs ESLint with the repository's own config on small sources placed under backend/.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
jest.setTimeout(120_000);

/**
 * Rule ids of the errors ESLint (the CLI, with eslint.config.mjs) reports for `code` in a probe file at `file`
 * (written for the run, so the type-aware rules find it in the TypeScript project, then removed).
 */
function ruleIdsOf(code: string, file = 'backend/src/lint-probe.ts'): string[] {
  const probe = path.join(ROOT, file.replace(/\.ts$/, `-${process.pid}.ts`));
  writeFileSync(probe, code);
  try {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', probe], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; severity: number }[] }[];
    return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? '(parse)');
  } finally {
    rmSync(probe, { force: true });
  }
}

describe('eslint-plugin-regexp over backend/', () => {
  it('fails on a regex that backtracks polynomially', () => {
    const ids = ruleIdsOf('export const scheme = (v: string) => /^bearer\\s+(.+)$/i.exec(v)?.[1];\n');
    expect(ids).toContain('regexp/no-super-linear-backtracking');
  });
  it('fails on an unanchored regex that rescans on a rejecting suffix', () => {
    const ids = ruleIdsOf("export const trim = (v: string) => v.replace(/\\/+$/, '');\n", 'backend/import/x.ts');
    expect(ids).toContain('regexp/no-super-linear-move');
  });
  it('passes linear regexes', () => {
    expect(ruleIdsOf('export const digits = (v: string) => /^\\d+$/.test(v);\n')).toEqual([]);
  });
});
