import { parseQueryString } from '../../session/tokens';

/** A request path split into its parts. Query values are only for identity; never stored. */
export interface SplitPath {
  path: string;
  queryParamNames: string[];
  query: Record<string, string>;
}

/**
 * Cuts the query string (and any fragment) off a path, keeping parameter names.
 * An absolute URL (`https://h/x?y=1`) is reduced to its path.
 * Example: `/search?q=secret&page=2` → { path: '/search', queryParamNames: ['q','page'] }.
 */
export function splitPath(raw: string): SplitPath {
  let p = raw;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(p);
  if (abs) p = p.slice(abs[0].length) || '/';
  const hash = p.indexOf('#');
  if (hash !== -1) p = p.slice(0, hash);
  const q = p.indexOf('?');
  if (q === -1) return { path: p, queryParamNames: [], query: {} };
  const query = parseQueryString(p.slice(q + 1));
  return { path: p.slice(0, q) || '/', queryParamNames: Object.keys(query).slice(0, 50), query };
}
