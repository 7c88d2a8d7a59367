import fc from 'fast-check';
import { splitJsonArray } from './json-array';

const elements = (text: string) =>
  splitJsonArray(Buffer.from(text))?.map(([s, e]) => JSON.parse(Buffer.from(text).toString('utf8', s, e)));

describe('splitJsonArray', () => {
  it('gives the byte ranges of the top-level elements', () => {
    expect(splitJsonArray(Buffer.from('[{"a":1}, 2]'))).toEqual([
      [1, 8],
      [9, 11],
    ]);
    expect(elements(' [ "a,]\\"}" , [1,[2]] , {"b":{"c":[]}} ] \n')).toEqual(['a,]"}', [1, [2]], { b: { c: [] } }]);
    expect(elements('["\\\\", "x\\\\\\"y"]')).toEqual(['\\', 'x\\"y']);
    expect(elements('["\u2028é😀"]')).toEqual(['\u2028é😀']);
  });

  it('declines what is not one array, so the caller parses the whole body', () => {
    for (const text of ['{"a":1}', '1', '[]', '[ ]', '[1', '[1]]', '[1] x', '["a]', '', '   '])
      expect(splitJsonArray(Buffer.from(text))).toBeUndefined();
  });

  it('splits every JSON array into elements JSON.parse reads back as the whole parse does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', ' ', '\n\t '),
        (arr, ws) => {
          const text = `${ws}[${arr.map((v) => ws + JSON.stringify(v) + ws).join(',')}]${ws}`;
          expect(elements(text)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('scans in linear time (backslash runs, long strings, deep nesting)', () => {
    const started = performance.now();
    expect(splitJsonArray(Buffer.from(`["${'\\\\'.repeat(200_000)}"]`))).toHaveLength(1);
    expect(splitJsonArray(Buffer.from(`["${'\\"'.repeat(200_000)}"]`))).toHaveLength(1);
    expect(splitJsonArray(Buffer.from(`[${'['.repeat(100_000)}${']'.repeat(100_000)}]`))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
