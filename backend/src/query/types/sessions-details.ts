/**
 * Part details computed from per-cell term lists (pure), so the pruned session list needs no separate details
 * search. Exact as long as every cell's term lists are complete (`sum_other_doc_count` 0); otherwise the caller
 * falls back to the `filters` details search.
 */
import type { SessionPart } from '../sessionize';
import type { PartDetails } from './sessions';

/** Per-cell term sub-aggregations: name → [field, size]. Sizes are large enough for a cell's distinct values. */
export const CELL_TERMS: Record<string, [string, number]> = {
  d_endpoint: ['endpoint', 500],
  d_attack_types: ['attack_types', 50],
  d_user: ['user', 50],
  d_role: ['role', 50],
  d_client_ip: ['client_ip', 100],
  d_user_agent: ['user_agent', 50],
  d_host: ['host', 50],
  d_app: ['app', 50],
  d_key_source: ['session.key_source', 20],
};

/** The per-cell sub-aggregations. */
export function cellDetailAggs(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(CELL_TERMS).map(([name, [field, size]]) => [name, { terms: { field, size } }]));
}

type Terms = { buckets: { key: string | number; key_as_string?: string; doc_count: number }[]; sum_other_doc_count?: number };
/** A cell with its detail term lists. */
export type DetailCell = { key: { k: string }; start: { value: number }; end: { value: number } } & Partial<Record<string, Terms | unknown>>;

/** Merged counts, ordered like a terms aggregation: count desc, then value asc. */
function ranked(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Merges the cells of each part into its details; null when some cell's term list was truncated. */
export function mergeCellDetails(parts: SessionPart[], cells: DetailCell[]): PartDetails[] | null {
  const byKey = new Map<string, DetailCell[]>();
  for (const c of cells) {
    if (!byKey.has(c.key.k)) byKey.set(c.key.k, []);
    byKey.get(c.key.k)!.push(c);
  }
  const out: PartDetails[] = [];
  for (const part of parts) {
    const inPart = (byKey.get(part.key) ?? []).filter((c) => c.start.value >= part.start && c.end.value <= part.end);
    const counts: Record<string, Map<string, number>> = {};
    for (const name of Object.keys(CELL_TERMS)) {
      const m = new Map<string, number>();
      for (const c of inPart) {
        const t = c[name] as Terms | undefined;
        if (!t) continue;
        if ((t.sum_other_doc_count ?? 0) > 0) return null;
        for (const b of t.buckets ?? []) {
          const v = String(b.key_as_string ?? b.key);
          m.set(v, (m.get(v) ?? 0) + b.doc_count);
        }
      }
      counts[name] = m;
    }
    const top = (name: string, n: number) => ranked(counts[name]).slice(0, n).map(([v]) => v);
    const joined = (name: string, n: number) => top(name, n).join(', ') || null;
    out.push({
      endpoints: counts.d_endpoint.size,
      topEndpoints: ranked(counts.d_endpoint).slice(0, 5).map(([v, c]) => `${v} (${c})`).join(', '),
      attackTypes: top('d_attack_types', 10).join(', '),
      user: joined('d_user', 3),
      role: joined('d_role', 3),
      clientIps: top('d_client_ip', 5).join(', '),
      userAgent: top('d_user_agent', 1)[0] ?? null,
      host: joined('d_host', 3),
      app: joined('d_app', 3),
      keySource: top('d_key_source', 1)[0] ?? null,
    });
  }
  return out;
}
