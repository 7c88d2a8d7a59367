import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { openInput, spoolToTempFile } from './input';

const dir = mkdtempSync(join(tmpdir(), 'import-input-'));
async function readAll(input: Awaited<ReturnType<typeof openInput>>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of input.chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('openInput', () => {
  it('reads a plain file and reports its size and bytes read', async () => {
    const p = join(dir, 'plain.log');
    writeFileSync(p, 'line 1\nline 2\n');
    const input = await openInput(p);
    expect(input.gzip).toBe(false);
    expect(input.size).toBe(14);
    expect(await readAll(input)).toBe('line 1\nline 2\n');
    expect(input.bytesRead()).toBe(14);
  });
  it('recognises gzip by its magic bytes, whatever the name (also concatenated members)', async () => {
    const p = join(dir, 'no-extension');
    const gz = Buffer.concat([gzipSync('a\n'), gzipSync('b\n')]);
    writeFileSync(p, gz);
    const input = await openInput(p);
    expect(input.gzip).toBe(true);
    expect(await readAll(input)).toBe('a\nb\n');
    expect(input.bytesRead()).toBe(gz.length);
  });
  it('reads stdin, even when the first chunk is a single byte', async () => {
    const gz = gzipSync('x\ny\n');
    const stdin = Readable.from([gz.subarray(0, 1), gz.subarray(1)]);
    const input = await openInput('-', stdin);
    expect(input.gzip).toBe(true);
    expect(input.size).toBeUndefined();
    expect(await readAll(input)).toBe('x\ny\n');
  });
  it('handles empty input', async () => {
    const input = await openInput('-', Readable.from([]));
    expect(await readAll(input)).toBe('');
  });
  it('throws readable errors for a missing file, a directory and broken gzip', async () => {
    await expect(openInput(join(dir, 'missing.log'))).rejects.toThrow(/no such file/);
    await expect(openInput(dir)).rejects.toThrow(/is a directory/);
    const p = join(dir, 'broken.gz');
    writeFileSync(p, gzipSync('x'.repeat(10_000)).subarray(0, 30));
    await expect(readAll(await openInput(p))).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
  });
  it('spools stdin to a temporary file', async () => {
    const stdin = new PassThrough();
    stdin.end('hello\n');
    const { path, cleanup } = await spoolToTempFile(stdin);
    expect(await readAll(await openInput(path))).toBe('hello\n');
    await cleanup();
  });
});
