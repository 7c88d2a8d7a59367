/**
 * Grafana's dashboard-variable syntax for what the bundled dashboards use — `$x`, `${x}`, `${x:csv}`,
 * `${x:percentencode}` and `${__url_time_range}` — plus a hook for the variables of a data link's clicked row. No
 * Grafana package here: the Node side of the harness interpolates the panels' queries with it too.
 */

/** Resolves a variable the dashboard does not define (e.g. `__value.raw` in a data link), or returns undefined. */
export type ResolveScoped = (name: string) => unknown;

/**
 * Replaces the variables in `text`. A variable that neither `vars` nor `scoped` resolves stays as written, so a
 * broken query or link shows it.
 * @example replaceVariables('${host}/${list:csv}', { host: 'a', list: 'x,y' }, range) → 'a/x,y'
 */
export function replaceVariables(
  text: string,
  vars: Record<string, string>,
  range: { from: number; to: number },
  scoped: ResolveScoped = () => undefined,
  defaultFormat?: string,
): string {
  return text.replace(/\$\{([^}:]+)(?::([^}]+))?\}|\$(\w+)/g, (whole, path: string, fmt: string, simple: string) => {
    const name = path ?? simple;
    if (name === '__url_time_range') {
      return `from=${range.from}&to=${range.to}`;
    }
    const value = scoped(name) ?? (Object.hasOwn(vars, name) ? vars[name] : undefined);
    if (value === undefined) {
      return whole;
    }
    const asText = Array.isArray(value) ? value.join(',') : String(value);
    const format = fmt ?? defaultFormat;
    return format === 'percentencode' || format === 'uriencode' ? encodeURIComponent(asText) : asText;
  });
}
