/** `sessions`: the session list (parts grouped at query time, exact). */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../context';
import { boolParam, filterShape } from '../filters';
import { buildFrame, floatColumn, intColumn, stringColumn, timeColumn, type DataFrame, type DataLink } from '../frames';
import { searchAggs } from '../search';
import { SORTS, type SessionPart } from '../../session/grouping';
import { buildPartDetailsBody } from './sessions-body';
import { fetchParts } from './sessions-parts';

/** Parameters of the `sessions` query. */
export const sessionsParams = z.object({
  queryType: z.literal('sessions'),
  ...baseShape,
  ...filterShape,
  idle_timeout_minutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 1440)
    .refine((v) => v === 0 || v >= 1, 'must be 0 (no split) or at least 1')
    .default(30),
  split_by_day: boolParam.default(true),
  sort: z.enum(SORTS).default('last_activity'),
  limit: z.number().int().min(1).max(1000).default(100),
  min_requests: z.number().int().min(0).optional(),
  min_attacks: z.number().int().min(0).optional(),
  with_total: boolParam
    .default(true)
    .describe('count all matching parts into meta.custom.total (costs one more aggregation)'),
});
/** Parsed `sessions` parameters. */
export type SessionsParams = z.infer<typeof sessionsParams>;

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
}

/** Runs the session list: candidates (when filtered) → bucket composite → parts → top N → details. */
export async function runSessions(p: SessionsParams, ctx: QueryContext): Promise<DataFrame[]> {
  const { parts, total } = await fetchParts(p, ctx);
  const details = parts.length > 0 ? await fetchPartDetails(parts, ctx) : [];
  return [toSessionsFrame(parts, details, total, p)];
}

async function fetchPartDetails(parts: SessionPart[], ctx: QueryContext): Promise<PartDetails[]> {
  const res = await searchAggs(ctx, buildPartDetailsBody(parts));
  const buckets = res.aggregations?.parts?.buckets ?? {};
  return parts.map((_, i) => toPartDetails(buckets[`p${i}`]));
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

/** Data links on `session_id`: the session-details dashboard, and Explore when the data source uid is known. */
export function sessionLinks(datasourceUid?: string): DataLink[] {
  const links: DataLink[] = [
    {
      title: 'Session details',
      url:
        '/d/api-sessions-details?var-session=${__value.raw}' +
        '&var-start=${__data.fields.start.numeric}&var-end=${__data.fields.end.numeric}&${__url_time_range}',
    },
  ];
  if (datasourceUid) {
    links.push({
      title: 'Explore requests',
      url: '',
      internal: {
        datasourceUid,
        datasourceName: 'API Sessions',
        query: { queryType: 'timeline', session_id: '${__value.raw}', format: 'table' },
      },
    });
  }
  return links;
}

/**
 * Builds the `sessions` table frame (pure).
 * @example toSessionsFrame([part], [details], 1, params) → frame 'sessions' with one row, meta.custom.total = 1
 */
export function toSessionsFrame(
  parts: SessionPart[],
  details: PartDetails[],
  total: number | null,
  p: Pick<SessionsParams, 'refId' | 'datasource_uid' | 'sort' | 'idle_timeout_minutes'>,
): DataFrame {
  const d = (i: number) => details[i] ?? toPartDetails(undefined);
  const col = <T>(f: (part: SessionPart, i: number) => T) => parts.map(f);
  return buildFrame(
    'sessions',
    p.refId,
    [
      stringColumn(
        'session_id',
        col((x) => x.key),
        { config: { links: sessionLinks(p.datasource_uid) } },
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
      custom: { total, sort: p.sort, idle_timeout_minutes: p.idle_timeout_minutes },
    },
  );
}
