import {
  compileTemplates,
  deriveEndpoint,
  MAX_ENDPOINT_SEGMENTS,
  MAX_SEGMENT_CHARS,
  templateSegment,
} from './endpoint-template';

describe('endpoint templates', () => {
  it.each([
    ['/users/42', '/users/{int}'],
    ['/orders/3f2a8c9e-1b2c-4d5e-8f90-123456789abc/items', '/orders/{uuid}/items'],
    ['/blobs/a3f9c2e1d4b5a6978877', '/blobs/{hex}'],
    ['/users/jane.doe@example.com/profile', '/users/{email}/profile'],
    ['/reports/2026-11-28', '/reports/{date}'],
    ['/reset/eyJhbGciOiJIUzI1NiJ9abcdef123456', '/reset/{token}'],
    ['/api/v1/login', '/api/v1/login'],
    ['/', '/'],
    ['/static/app.css', '/static/app.css'],
  ])('%s → %s', (path, expected) => {
    expect(deriveEndpoint(path, undefined)).toBe(expected);
  });
  it('calls a segment over MAX_SEGMENT_CHARS {long}, whatever it holds', () => {
    expect(templateSegment('7'.repeat(MAX_SEGMENT_CHARS))).toBe('{int}');
    expect(templateSegment('7'.repeat(MAX_SEGMENT_CHARS + 1))).toBe('{long}');
    expect(deriveEndpoint(`/files/${'a'.repeat(8000)}/raw`, undefined)).toBe('/files/{long}/raw');
  });
  it('keeps ordinary words', () => {
    expect(templateSegment('products')).toBe('products');
    expect(templateSegment('deadbeef')).toBe('deadbeef');
  });
  it('prefers configured templates of the host', () => {
    const t = compileTemplates(['/shops/{shop}/items/{item}']);
    expect(deriveEndpoint('/shops/acme/items/x1', t)).toBe('/shops/{shop}/items/{item}');
    expect(deriveEndpoint('/shops/acme/items', t)).toBe('/shops/acme/items');
  });
  it('templates at most MAX_ENDPOINT_SEGMENTS segments; the rest of a longer path becomes {rest} (issue 13)', () => {
    const head = '/a/17'.repeat(MAX_ENDPOINT_SEGMENTS / 2);
    expect(deriveEndpoint(head, undefined)).toBe('/a/{int}'.repeat(MAX_ENDPOINT_SEGMENTS / 2));
    expect(deriveEndpoint(`${head}/x`, undefined)).toBe(`${'/a/{int}'.repeat(MAX_ENDPOINT_SEGMENTS / 2)}/{rest}`);
    expect(deriveEndpoint(`${head}${'/1'.repeat(100_000)}`, undefined)).toMatch(/\/\{int\}\/\{rest\}$/);
    expect(deriveEndpoint('/'.repeat(100_000), undefined)).toBe(`${'/'.repeat(MAX_ENDPOINT_SEGMENTS)}/{rest}`);
  });
});
