/**
 * Derives an endpoint template from a concrete path: variable segments become placeholders.
 * Example: `/users/42/orders/3f2a…-…` → `/users/{int}/orders/{uuid}`.
 */

const SEGMENT_RULES: [RegExp, string][] = [
  [/^\d+$/, '{int}'],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '{uuid}'],
  [/^[^@/\s]+@[^@/\s]+\.[a-z]{2,}$/i, '{email}'],
  [/^\d{4}-\d{2}-\d{2}$/, '{date}'],
  [/^(?:\d{1,3}\.){3}\d{1,3}$/, '{ip}'],
  [/^(?=.*\d)[0-9a-f]{16,}$/i, '{hex}'],
  [/^-?\d+(?:\.\d+)?$/, '{num}'],
  // Long opaque tokens: base64/base64url-ish, with both letters and digits.
  [/^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-=+.~]{24,}$/, '{token}'],
];

/**
 * Longest segment classified by SEGMENT_RULES; a longer one is `{long}`. Such segments are opaque values (blobs,
 * tokens, attack payloads), never an endpoint's name, and eight regex passes over 8 KB cost ~200 µs a record.
 */
export const MAX_SEGMENT_CHARS = 256;

/** Classifies one path segment; returns the placeholder or the segment unchanged. */
export function templateSegment(segment: string): string {
  if (segment === '') return segment;
  if (segment.length > MAX_SEGMENT_CHARS) return '{long}';
  let decoded = segment;
  if (segment.includes('%')) {
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      /* keep raw */
    }
  }
  for (const [re, placeholder] of SEGMENT_RULES) if (re.test(decoded)) return placeholder;
  return segment;
}

/** A compiled host template such as `/orders/{order}/items/{item}`. */
export interface HostTemplate {
  template: string;
  parts: (string | null)[]; // null = variable segment
}

/** Compiles the `endpoint_templates` config for one host. */
export function compileTemplates(templates: string[]): HostTemplate[] {
  return templates.map((template) => ({
    template,
    parts: template.split('/').map((p) => (/^\{[^}]*\}$/.test(p) ? null : p)),
  }));
}

/**
 * Most path segments templated. A longer path keeps its first MAX_ENDPOINT_SEGMENTS (templated) and ends in
 * `/{rest}`: real endpoints are far shorter, and templating 4,000 segments cost ~2 ms a record (issue 13).
 */
export const MAX_ENDPOINT_SEGMENTS = 32;

/**
 * The endpoint template of a path: the first configured template of its host that matches segment by segment,
 * else the automatic one. Example: `/users/42/orders` → `/users/{int}/orders`.
 */
export function deriveEndpoint(path: string, hostTemplates: HostTemplate[] | undefined): string {
  const cut = nthSlash(path, MAX_ENDPOINT_SEGMENTS + 1);
  if (cut !== -1 && cut < path.length - 1) {
    return `${path.slice(0, cut).split('/').map(templateSegment).join('/')}/{rest}`;
  }
  const segments = path.split('/');
  if (hostTemplates) {
    for (const t of hostTemplates) {
      if (t.parts.length === segments.length && t.parts.every((p, i) => p === null || p === segments[i]))
        return t.template;
    }
  }
  return segments.map(templateSegment).join('/');
}

/** Index of the n-th `/` of `path` (1-based), or -1. */
function nthSlash(path: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = path.indexOf('/', at + 1);
    if (at === -1) return -1;
  }
  return at;
}
