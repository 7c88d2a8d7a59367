/**
 * `sessions`: the session list — parts grouped at query time, exact rows; the total exact, or an estimate flagged
 * as such when counting every part would exceed the query budget (docs/sessions.md).
 */
import { z } from 'zod';
import { baseShape, type QueryContext } from '../../context';
import { boolParam, filterShape } from '../../filters';
import type { DataFrame } from '../../frames';
import { searchIndices } from '../../indices';
import { searchAggs } from '../../search';
import { SORTS, type SessionPart } from '../../../session/grouping';
import { buildPartDetailsBody } from './body';
import { toPartDetails, toSessionsFrame, type PartDetails } from './frame';
import { fetchParts } from './parts';

/** How requests of one key are split into parts: the same parameters wherever parts are computed (sessions, sequences). */
export const partShape = {
  idle_timeout_minutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 1440)
    .refine((v) => v === 0 || v >= 1, 'must be 0 (no split) or at least 1')
    .default(30),
  split_by_day: boolParam.default(true),
};

/** Parameters of the `sessions` query. */
export const sessionsParams = z.object({
  queryType: z.literal('sessions'),
  ...baseShape,
  ...filterShape,
  ...partShape,
  sort: z.enum(SORTS).default('last_activity'),
  limit: z.number().int().min(1).max(1000).default(100),
  min_requests: z.number().int().min(0).optional(),
  min_attacks: z.number().int().min(0).optional(),
  with_total: boolParam
    .default(true)
    .describe(
      'count all matching parts into meta.custom.total (costs one more aggregation; an estimate, flagged by ' +
        'meta.custom.total_is_estimate, when the exact count would exceed the query budget)',
    ),
});
/** Parsed `sessions` parameters. */
export type SessionsParams = z.infer<typeof sessionsParams>;

/**
 * Runs the session list: candidates (when filtered) → streamed bucket scan → top N → details (descriptive columns
 * and the additive metrics of exactly the chosen parts).
 */
export async function runSessions(p: SessionsParams, ctx: QueryContext): Promise<DataFrame[]> {
  const { parts, total } = await fetchParts(p, ctx);
  const details = parts.length > 0 ? await fetchPartDetails(parts, ctx) : [];
  const rows = parts.map((part, i) => ({ ...part, ...details[i].metrics }));
  return [toSessionsFrame(rows, details, total, p)];
}

/** Above this many parts, the details are read by two searches side by side (one search thread each). */
const DETAILS_SPLIT = 50;

/** The details of the chosen parts, from the indices of their own days only. */
async function fetchPartDetails(parts: SessionPart[], ctx: QueryContext): Promise<PartDetails[]> {
  const half = parts.length > DETAILS_SPLIT ? Math.ceil(parts.length / 2) : parts.length;
  const chunks = [parts.slice(0, half), parts.slice(half)].filter((c) => c.length > 0);
  const found = await Promise.all(
    chunks.map(async (chunk) => {
      const from = Math.min(...chunk.map((p) => p.start));
      const to = Math.max(...chunk.map((p) => p.end));
      const index = searchIndices(ctx.config.indexPrefix, from, to);
      const res = await searchAggs({ ...ctx, index }, buildPartDetailsBody(chunk));
      const buckets = res.aggregations?.parts?.buckets ?? {};
      return chunk.map((_, i) => toPartDetails(buckets[`p${i}`]));
    }),
  );
  return found.flat();
}
