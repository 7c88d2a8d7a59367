/**
 * The Docker image and docker-compose.yml, read as data (no Docker engine here): the image runs the compiled bundle
 * that `npm run build:service` builds (the same esbuild command, so the two cannot drift), as the unprivileged user,
 * with a SPECS_DIR that user can write (spec uploads), and compose runs only entry points the bundle has.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const compose = YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string>; command?: string[]; volumes?: string[] }>;
};

/** Dockerfile instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));
const words = (s: string) => s.trim().split(/\s+/);
/** The entry points `npm run build:service` builds: `main=backend/src/main.ts` → `main`. */
const entries = words(packageJson.scripts['build:service'])
  .filter((w) => /^[a-z-]+=backend\//.test(w))
  .map((w) => w.split('=')[0]);
/** The final stage's `ENV` values. */
const lastFrom = instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
const lastStage = instructions.slice(lastFrom);
const env = Object.fromEntries(
  lastStage
    .filter((l) => l.startsWith('ENV '))
    .flatMap((l) => words(l).slice(1))
    .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
);

test('the image builds the service with the command of `npm run build:service`', () => {
  const build = instructions.find((l) => l.includes(' esbuild '));
  expect(build).toBeDefined();
  expect(words(build!.replace(/^RUN npx --no-install /, ''))).toEqual(words(packageJson.scripts['build:service']));
  expect(entries).toEqual(['main', 'demo', 'secrets']);
});

test('the image runs the compiled bundle with node, as the unprivileged user', () => {
  expect(lastStage.find((l) => l.startsWith('CMD '))).toBe(
    'CMD ["node", "--enable-source-maps", "dist-service/main.js"]',
  );
  expect(lastStage.filter((l) => l.startsWith('USER '))).toEqual(['USER node']);
  expect(dockerfile).not.toMatch(/\btsx\b.*backend\/src|install --global/);
});

test('SPECS_DIR is in a folder the unprivileged user owns, so spec uploads can write it', () => {
  expect(env.SPECS_DIR).toBeDefined();
  const owned = lastStage
    .filter((l) => l.startsWith('RUN ') && l.includes('chown'))
    .flatMap((l) => [...l.matchAll(/chown (?:-R )?node:node (\S+)/g)].map((m) => m[1]));
  expect(owned.some((dir) => env.SPECS_DIR === dir || env.SPECS_DIR.startsWith(`${dir}/`))).toBe(true);
  // A compose override must stay inside a volume mounted there (an image folder such as /app/backend is root's).
  const service = compose.services.service;
  const specsDir = service.environment?.SPECS_DIR ?? env.SPECS_DIR;
  const mounts = (service.volumes ?? []).map((v) => v.split(':')[1]);
  expect(mounts.some((m) => specsDir.startsWith(`${m}/`))).toBe(true);
});

test('compose runs only entry points of the bundle', () => {
  const commands = Object.entries(compose.services)
    .filter(([, s]) => s.command)
    .map(([name, s]) => [name, s.command!.join(' ')] as const);
  for (const [name, command] of commands) {
    if (!command.includes('dist-service/')) continue;
    const used = [...command.matchAll(/dist-service\/([a-z-]+)\.js/g)].map((m) => m[1]);
    expect({ name, missing: used.filter((e) => !entries.includes(e)) }).toEqual({ name, missing: [] });
  }
  expect(commands.filter(([, c]) => /\btsx\b/.test(c))).toEqual([]);
  expect(commands.map(([n]) => n).sort()).toEqual(['demo', 'secrets']);
});
