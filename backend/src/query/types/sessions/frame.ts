/** The `sessions` frame (pure): part rows, their descriptive columns, links, the total and its notice. */
import {
  buildFrame,
  floatColumn,
  intColumn,
  stringColumn,
  timeColumn,
  type DataFrame,
  type FrameMeta,
} from '../../frames';
import type { SessionPart } from '../../../session/grouping';
import { toMetrics } from './body';
import type { PartTotal } from './parts';
import type { SessionsParams } from './sessions';
import { sessionLinks } from '../../../grafana';

/** Descriptive columns of a part, from the details search. */
export interface PartDetails {
  endpoints: number;
  topEndpoints: string;
  attackTypes: string;
  user: string | null;
  role: string | null;
  clientIps: string;
  userAgent: string | null;
  host: string | null;
  app: string | null;
  keySource: string | null;
  shadowRequests: number;
  zombieRequests: number;
  /** The part's flows with their request counts, most requests first. */
  flows: { flow: string; requests: number }[];
  /** The part's additive metrics, counted over exactly its requests (cells carry only what ranking needs). */
  metrics: ReturnType<typeof toMetrics>;
}

type TermsAgg = { buckets: { key: string | number; key_as_string?: string; doc_count: number }[] } | undefined;

const keysOf = (agg: TermsAgg): string[] => (agg?.buckets ?? []).map((b) => String(b.key_as_string ?? b.key));
const firstOf = (agg: TermsAgg): string | null => keysOf(agg)[0] ?? null;
const joined = (agg: TermsAgg): string | null => keysOf(agg).join(', ') || null;
const countOf = (agg: TermsAgg, key: string): number => agg?.buckets.find((b) => b.key === key)?.doc_count ?? 0;

/** Maps one `filters` bucket of the details search to the descriptive columns. */
export function toPartDetails(b: Record<string, any> | undefined): PartDetails {
  const top = (b?.top_endpoints as TermsAgg)?.buckets ?? [];
  return {
    endpoints: b?.endpoints?.value ?? 0,
    topEndpoints: top.map((t) => `${t.key} (${t.doc_count})`).join(', '),
    attackTypes: keysOf(b?.attack_types).join(', '),
    user: joined(b?.user),
    role: joined(b?.role),
    clientIps: keysOf(b?.client_ips).join(', '),
    userAgent: firstOf(b?.user_agent),
    host: joined(b?.host),
    app: joined(b?.app),
    keySource: firstOf(b?.key_source),
    shadowRequests: countOf(b?.api_status, 'shadow'),
    zombieRequests: countOf(b?.api_status, 'zombie'),
    flows: ((b?.flows as TermsAgg)?.buckets ?? []).map((f) => ({ flow: String(f.key), requests: f.doc_count })),
    metrics: toMetrics(b ?? {}),
  };
}

/**
 * The flows column: each flow with its share of the part's requests, most first (pure).
 * @example formatFlows([{flow:'authentication', requests:2}, {flow:'billing', requests:1}], 4) → 'authentication 50%, billing 25%'
 */
export function formatFlows(flows: PartDetails['flows'], requests: number): string {
  const pct = (n: number) => {
    const share = requests > 0 ? (100 * n) / requests : 0;
    return share > 0 && share < 1 ? '<1%' : `${Math.round(share)}%`;
  };
  return flows.map((f) => `${f.flow} ${pct(f.requests)}`).join(', ');
}

/**
 * Frame metadata of the list: `custom.total` (null when not asked for), `custom.total_is_estimate`, and for an
 * estimate its ~95% error and a notice Grafana shows on the panel.
 * @example totalMeta({value: 120_400, estimate: true, error: 900}) → { custom:{total:120400, total_is_estimate:true,
 *   total_error:900}, notices:[{severity:'info', text:'The total, 120,400 sessions, is an estimate (±0.7%) …'}] }
 */
export function totalMeta(total: PartTotal | null): Pick<FrameMeta, 'custom' | 'notices'> {
  if (!total) return { custom: { total: null, total_is_estimate: false } };
  if (!total.estimate) return { custom: { total: total.value, total_is_estimate: false } };
  const pct = total.value > 0 ? (100 * total.error) / total.value : 0;
  const text =
    `The total, ${total.value.toLocaleString('en-US')} sessions, is an estimate (±${pct < 0.1 ? '<0.1' : pct.toFixed(1)}%): ` +
    'counting every session of this range exactly would exceed the query budget. The rows are exact.';
  return {
    custom: { total: total.value, total_is_estimate: true, total_error: total.error },
    notices: [{ severity: 'info', text }],
  };
}

/**
 * Builds the `sessions` table frame (pure).
 * @example toSessionsFrame([part], [details], {value:1, estimate:false, error:0}, params) → frame 'sessions' with one row, meta.custom.total = 1
 */
export function toSessionsFrame(
  parts: SessionPart[],
  details: PartDetails[],
  total: PartTotal | null,
  p: Pick<SessionsParams, 'refId' | 'datasource_uid' | 'sort' | 'idle_timeout_minutes'>,
): DataFrame {
  const d = (i: number) => details[i] ?? toPartDetails(undefined);
  const meta = totalMeta(total);
  const col = <T>(f: (part: SessionPart, i: number) => T) => parts.map(f);
  return buildFrame(
    'sessions',
    p.refId,
    [
      stringColumn(
        'session_id',
        col((x) => x.key),
        { config: { links: sessionLinks(p.idle_timeout_minutes, p.datasource_uid) } },
      ),
      timeColumn(
        'start',
        col((x) => x.start),
      ),
      timeColumn(
        'end',
        col((x) => x.end),
      ),
      intColumn(
        'duration_ms',
        col((x) => x.end - x.start),
        { config: { unit: 'ms' } },
      ),
      intColumn(
        'requests',
        col((x) => x.requests),
      ),
      intColumn(
        'attacks',
        col((x) => x.attacks),
      ),
      stringColumn(
        'attack_types',
        col((_, i) => d(i).attackTypes),
      ),
      intColumn(
        'blocked',
        col((x) => x.blocked),
      ),
      intColumn(
        'status_4xx',
        col((x) => x.status4xx),
      ),
      intColumn(
        'status_5xx',
        col((x) => x.status5xx),
      ),
      intColumn(
        'endpoints',
        col((_, i) => d(i).endpoints),
      ),
      stringColumn(
        'top_endpoints',
        col((_, i) => d(i).topEndpoints),
      ),
      stringColumn(
        'user',
        col((_, i) => d(i).user),
      ),
      stringColumn(
        'role',
        col((_, i) => d(i).role),
      ),
      stringColumn(
        'client_ips',
        col((_, i) => d(i).clientIps),
      ),
      stringColumn(
        'user_agent',
        col((_, i) => d(i).userAgent),
      ),
      stringColumn(
        'host',
        col((_, i) => d(i).host),
      ),
      stringColumn(
        'app',
        col((_, i) => d(i).app),
      ),
      stringColumn(
        'key_source',
        col((_, i) => d(i).keySource),
      ),
      intColumn(
        'shadow_requests',
        col((_, i) => d(i).shadowRequests),
      ),
      intColumn(
        'zombie_requests',
        col((_, i) => d(i).zombieRequests),
      ),
      stringColumn(
        'flows',
        col((x, i) => formatFlows(d(i).flows, x.requests)),
      ),
      floatColumn(
        'latency_mean_ms',
        col((x) => (x.durCount > 0 ? x.durSum / x.durCount : null)),
        { config: { unit: 'ms' } },
      ),
      floatColumn(
        'latency_max_ms',
        col((x) => x.durMax),
        { config: { unit: 'ms' } },
      ),
    ],
    {
      preferredVisualisationType: 'table',
      ...meta,
      custom: { ...meta.custom, sort: p.sort, idle_timeout_minutes: p.idle_timeout_minutes },
    },
  );
}
