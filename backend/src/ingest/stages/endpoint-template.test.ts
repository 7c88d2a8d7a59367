import { compileTemplates, deriveEndpoint, templateSegment } from './endpoint-template';
import { splitPath } from './path';

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
  it('keeps ordinary words', () => {
    expect(templateSegment('products')).toBe('products');
    expect(templateSegment('deadbeef')).toBe('deadbeef');
  });
  it('prefers configured templates of the host', () => {
    const t = compileTemplates(['/shops/{shop}/items/{item}']);
    expect(deriveEndpoint('/shops/acme/items/x1', t)).toBe('/shops/{shop}/items/{item}');
    expect(deriveEndpoint('/shops/acme/items', t)).toBe('/shops/acme/items');
  });
});

describe('splitPath', () => {
  it('cuts the query string, keeping only parameter names', () => {
    expect(splitPath('/search?q=secret&page=2')).toEqual({
      path: '/search',
      queryParamNames: ['q', 'page'],
      query: { q: 'secret', page: '2' },
    });
    expect(splitPath('https://h.example/x/y?z=1#frag')).toMatchObject({ path: '/x/y', queryParamNames: ['z'] });
    expect(splitPath('/a#b')).toMatchObject({ path: '/a', queryParamNames: [] });
    expect(splitPath('?x=1').path).toBe('/');
  });
});
