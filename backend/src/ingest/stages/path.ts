import { forEachPair, MAX_PAIRS, parseQueryString } from '../../session/tokens';

/** A request path split into its parts. Query and path-parameter values are only for identity; never stored. */
export interface SplitPath {
  path: string;
  queryParamNames: string[];
  query: Record<string, string>;
  /** Path (matrix) parameters cut out of the segments: `;jsessionid=ABC` → { jsessionid: 'ABC' }. */
  pathParams: Record<string, string>;
}

/** Most query parameter names kept in a stored document. */
export const MAX_QUERY_PARAM_NAMES = 50;

/**
 * Cuts the query string (and any fragment) off a path, keeping parameter names, and removes path parameters
 * (`;name=value` up to the next `/`), which carry session ids (`;jsessionid=…`) and other secrets.
 * An absolute URL (`https://h/x?y=1`) is reduced to its path. Linear in the length of `raw`.
 * Example: `/shop;jsessionid=A1/cart?q=secret&page=2` →
 *   { path: '/shop/cart', queryParamNames: ['q','page'], pathParams: { jsessionid: 'A1' } }.
 */
export function splitPath(raw: string): SplitPath {
  let p = raw;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(p);
  if (abs) p = p.slice(abs[0].length) || '/';
  const hash = p.indexOf('#');
  if (hash !== -1) p = p.slice(0, hash);
  const q = p.indexOf('?');
  const query = q === -1 ? {} : parseQueryString(p.slice(q + 1));
  if (q !== -1) p = p.slice(0, q) || '/';
  const pathParams: Record<string, string> = Object.create(null);
  if (p.includes(';')) p = cutPathParams(p, pathParams) || '/';
  return { path: p, queryParamNames: Object.keys(query).slice(0, MAX_QUERY_PARAM_NAMES), query, pathParams };
}

/** `/a;x=1;y/b;z=2` → `/a/b`, collecting the first MAX_PAIRS parameters into `into`. */
function cutPathParams(path: string, into: Record<string, string>): string {
  let out = '';
  let kept = 0;
  for (let i = 0; i < path.length;) {
    const semi = path.indexOf(';', i);
    if (semi === -1) return out + path.slice(i);
    out += path.slice(i, semi);
    let slash = path.indexOf('/', semi);
    if (slash === -1) slash = path.length;
    if (kept < MAX_PAIRS) {
      forEachPair(path.slice(semi + 1, slash), ';', MAX_PAIRS - kept, (name, value) => {
        kept++;
        if (name && value && !(name in into)) into[name] = value;
      });
    }
    i = slash;
  }
  return out;
}
