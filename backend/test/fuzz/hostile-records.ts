/**
 * Records for the ingest cost test (cost.test.ts): ordinary ones, and hostile ones whose headers, cookies, user
 * agent and path are the strings that once made matching super-linear (issue 13). Each hostile value stays within the
 * record limits (8 KB identifier values and paths, 1 KB user agents), so the service must accept and store it.
 */
import { record } from '../service';

const SP = ' ';

/** Hostile variations of one field each, applied to an ordinary record (round robin). */
export const HOSTILE_VARIANTS: { name: string; apply: (r: Record<string, any>) => void }[] = [
  // The reproducer: the Authorization header's scheme stripping backtracked quadratically.
  {
    name: 'bearer-spaces-u2028',
    apply: (r) => (r.identifiers.headers.authorization = `Bearer${SP.repeat(8000)}\u2028a\u2028b`),
  },
  { name: 'token-tabs', apply: (r) => (r.identifiers.headers['x-auth-token'] = `token${'\t'.repeat(8000)}x\u2028y`) },
  { name: 'jwt-ish', apply: (r) => (r.identifiers.headers.authorization = `Bearer a.${'A'.repeat(7990)}=!.c`) },
  { name: 'cookie-semicolons', apply: (r) => (r.identifiers.headers.cookie = ';'.repeat(8000)) },
  { name: 'cookie-many-pairs', apply: (r) => (r.identifiers.headers.cookie = 'a=b; '.repeat(1600)) },
  { name: 'cookie-spaces', apply: (r) => (r.identifiers.headers.cookie = `sid=${SP.repeat(8000)}x`) },
  { name: 'user-agent-spaces', apply: (r) => (r.user_agent = `${SP.repeat(1000)}\u2028`) },
  { name: 'path-slashes', apply: (r) => (r.path = `${'/'.repeat(8000)}\u2028`) },
  { name: 'path-segments', apply: (r) => (r.path = '/a'.repeat(4000)) },
  { name: 'path-digits', apply: (r) => (r.path = `/${'1'.repeat(8000)}x`) },
  { name: 'path-hex-ish', apply: (r) => (r.path = `/${'a1'.repeat(4000)}!`) },
  { name: 'path-email-ish', apply: (r) => (r.path = `/a@${'.aa'.repeat(2600)}!`) },
  { name: 'path-dots', apply: (r) => (r.path = `/f/${'.'.repeat(8000)}`) },
  { name: 'path-percent', apply: (r) => (r.path = `/${'%'.repeat(8000)}`) },
  { name: 'path-params', apply: (r) => (r.path = `/a;${'k=v;'.repeat(2000)}`) },
  { name: 'path-query-pairs', apply: (r) => (r.path = `/a?${'a=1&'.repeat(2000)}`) },
  { name: 'path-absolute-ish', apply: (r) => (r.path = `a${'a'.repeat(8000)}:/`) },
  { name: 'endpoint-stars', apply: (r) => (r.endpoint = `/${'*a'.repeat(4000)}`) },
];

/** An ordinary record with typical identifiers (a bearer token, a few cookies, a query string). */
export function ordinaryRecord(id: string, i: number): Record<string, any> {
  return record({
    id,
    path: `/api/v1/items/${i % 500}?page=${i % 7}&sort=asc`,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    identifiers: {
      headers: {
        authorization: `Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1${i % 50}In0.sig${i % 13}`,
        cookie: `theme=dark; lang=en; _ga=GA1.2.${i}`,
      },
    },
  });
}

/** The ordinary record `i` with hostile variant `i mod n` applied. */
export function hostileRecord(id: string, i: number): Record<string, any> {
  const r = ordinaryRecord(id, i);
  HOSTILE_VARIANTS[i % HOSTILE_VARIANTS.length].apply(r);
  return r;
}
