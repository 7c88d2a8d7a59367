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

/** Classifies one path segment; returns the placeholder or the segment unchanged. */
export function templateSegment(segment: string): string {
  if (segment === '') return segment;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    /* keep raw */
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
 * The endpoint template of a path: the first configured template of its host that matches segment by segment,
 * else the automatic one.
 */
export function deriveEndpoint(path: string, hostTemplates: HostTemplate[] | undefined): string {
  const segments = path.split('/');
  if (hostTemplates) {
    for (const t of hostTemplates) {
      if (t.parts.length === segments.length && t.parts.every((p, i) => p === null || p === segments[i]))
        return t.template;
    }
  }
  return segments.map(templateSegment).join('/');
}
