import fc from 'fast-check';
import { splitLines } from './lines';

async function collect(chunks: (string | Buffer)[], max?: number): Promise<string[]> {
  const out: string[] = [];
  async function* src() {
    yield* chunks;
  }
  for await (const l of splitLines(src(), max)) out.push(l);
  return out;
}

describe('splitLines', () => {
  it('splits across chunks, strips \\r\\n, keeps a last line without newline and empty lines', async () => {
    expect(await collect(['a\r\nb', '\nc\n\nd'])).toEqual(['a', 'b', 'c', '', 'd']);
    expect(await collect(['x\n'])).toEqual(['x']);
    expect(await collect([])).toEqual([]);
  });
  it('decodes UTF-8 split inside a character', async () => {
    const bytes = Buffer.from('café\n', 'utf8');
    expect(await collect([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual(['café']);
  });
  it('cuts an overlong line and skips the rest of it', async () => {
    expect(await collect(['abcdef', 'gh\nok\n'], 4)).toEqual(['abcd', 'ok']);
  });
  it('yields the same lines however the input is chunked (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1 }),
        async (lines, cuts) => {
          const text = lines.map((l) => l.replace(/[\r\n]/g, '') + '\n').join('');
          const chunks: string[] = [];
          for (let i = 0, k = 0; i < text.length; k++) {
            const n = cuts[k % cuts.length];
            chunks.push(text.slice(i, i + n));
            i += n;
          }
          expect(await collect(chunks)).toEqual(lines.map((l) => l.replace(/[\r\n]/g, '')));
        },
      ),
    );
  });
});
