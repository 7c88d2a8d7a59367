import { parseInteger, parseNumberOrText, setField } from './update';

describe('setField', () => {
  it('sets a value without touching the original', () => {
    const q = { a: 1, b: 'x' as string | undefined };
    expect(setField(q, 'b', 'y')).toEqual({ a: 1, b: 'y' });
    expect(q.b).toBe('x');
  });

  it('removes the key when the value is undefined', () => {
    expect(Object.keys(setField({ a: 1, b: 'x' as string | undefined }, 'b', undefined))).toEqual(['a']);
  });
});

describe('parsers', () => {
  it('parses integers', () => {
    expect(parseInteger('12')).toBe(12);
    expect(parseInteger(' 7.9 ')).toBe(7);
    expect(parseInteger('')).toBeUndefined();
    expect(parseInteger('abc')).toBeUndefined();
  });

  it('parses numbers or text', () => {
    expect(parseNumberOrText('404')).toBe(404);
    expect(parseNumberOrText('4xx')).toBe('4xx');
    expect(parseNumberOrText('$start')).toBe('$start');
    expect(parseNumberOrText('  ')).toBeUndefined();
  });
});
