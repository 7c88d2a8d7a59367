import { isLabel, LabelledTokenSet, parseLabelledToken } from './labels';

describe('labelled tokens', () => {
  it('splits label:token and derives a hash label otherwise', () => {
    expect(parseLabelledToken('soc-grafana:abcdefghijklmnop')).toEqual({
      label: 'soc-grafana',
      token: 'abcdefghijklmnop',
    });
    const plain = parseLabelledToken('abcdefghijklmnop');
    expect(plain.token).toBe('abcdefghijklmnop');
    expect(plain.label).toMatch(/^token-[0-9a-f]{8}$/);
    expect(plain.label).not.toContain('abcdefgh');
    // Text before the colon that is not a label is part of the token.
    expect(parseLabelledToken('a b:abcdefghijklmnop').token).toBe('a b:abcdefghijklmnop');
    expect(parseLabelledToken(':abcdefghijklmnop').token).toBe(':abcdefghijklmnop');
  });

  it('accepts 1–64 letters, digits, . _ -', () => {
    expect(isLabel('alerts.grafana_01-x')).toBe(true);
    expect(isLabel('')).toBe(false);
    expect(isLabel('a'.repeat(65))).toBe(false);
    expect(isLabel('née')).toBe(false);
  });

  it('answers the label of a known token only', () => {
    const set = new LabelledTokenSet([
      { label: 'soc', token: 'token-one-0123456789' },
      { label: 'alerts', token: 'token-two-0123456789' },
    ]);
    expect(set.labelOf('token-two-0123456789')).toBe('alerts');
    expect(set.labelOf('token-three-012345678')).toBeUndefined();
    expect(set.labelOf(undefined)).toBeUndefined();
    expect(set.empty).toBe(false);
    expect(new LabelledTokenSet([]).empty).toBe(true);
  });
});
