import { splitPath } from './path';

describe('splitPath', () => {
  it('cuts the query string and fragment, keeping parameter names', () => {
    expect(splitPath('/search?q=secret&page=2#top')).toEqual({
      path: '/search',
      queryParamNames: ['q', 'page'],
      query: { q: 'secret', page: '2' },
      pathParams: {},
    });
    expect(splitPath('https://h.example/x?y=1').path).toBe('/x');
    expect(splitPath('?a=1').path).toBe('/');
  });

  it('removes path parameters from every segment and hands their values to identity', () => {
    const s = splitPath('/shop;jsessionid=A1B2/cart;v=2;x/items?page=1');
    expect(s.path).toBe('/shop/cart/items');
    expect(s.pathParams).toEqual({ jsessionid: 'A1B2', v: '2' });
    expect(s.queryParamNames).toEqual(['page']);
    expect(splitPath('/;jsessionid=A1').path).toBe('/');
    expect(splitPath(';a=1').path).toBe('/');
    expect(splitPath('/a;b=1;').path).toBe('/a');
  });

  it('does bounded, linear work on hostile paths', () => {
    const started = performance.now();
    const semis = splitPath(`/a${';'.repeat(200_000)}/b`);
    expect(semis.path).toBe('/a/b');
    const many = splitPath(`/a;${'k=v;'.repeat(50_000)}?${'a=1&'.repeat(50_000)}`);
    expect(Object.keys(many.pathParams)).toEqual(['k']);
    expect(many.queryParamNames).toEqual(['a']);
    expect(splitPath(`/x?${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}`).queryParamNames).toHaveLength(
      50,
    );
    expect(performance.now() - started).toBeLessThan(500);
  });
});
