/** queryType → parameter schema + handler (docs/development.md "Adding a query type"). */
import { z } from 'zod';
import { InputError, inputErrorFromZod } from '../http/errors';
import type { QueryContext } from './context';
import { unknownParams } from './unknown-params';
import type { DataFrame } from './frames';
import { breakdownParams, runBreakdown } from './types/breakdown';
import { inventoryParams, runInventory } from './types/inventory';
import { patternsParams, runPatterns } from './types/patterns';
import { performanceParams, runPerformance } from './types/performance';
import { requestsParams, runRequests } from './types/requests';
import { runSequences, sequencesParams } from './types/sequences';
import { runSessions, sessionsParams } from './types/sessions/sessions';
import { runTimeline, timelineParams } from './types/timeline';
import { blocksParams, runBlocks } from '../blocks/query-type';

/** A registered query type. */
export interface QueryHandler<S extends z.ZodType = z.ZodType> {
  params: S;
  run(params: z.infer<S>, ctx: QueryContext): Promise<DataFrame[]>;
}

const handler = <S extends z.ZodType>(
  params: S,
  run: (p: z.infer<S>, ctx: QueryContext) => Promise<DataFrame[]>,
): QueryHandler => ({
  params,
  run: run as QueryHandler['run'],
});

/** The registry. */
export const QUERY_TYPES = {
  sessions: handler(sessionsParams, runSessions),
  timeline: handler(timelineParams, runTimeline),
  requests: handler(requestsParams, runRequests),
  breakdown: handler(breakdownParams, runBreakdown),
  performance: handler(performanceParams, runPerformance),
  patterns: handler(patternsParams, runPatterns),
  inventory: handler(inventoryParams, runInventory),
  blocks: handler(blocksParams, runBlocks),
  sequences: handler(sequencesParams, runSequences),
} as const;

/** A query type name. */
export type QueryType = keyof typeof QUERY_TYPES;

/**
 * The body of `POST /v1/query`: a union discriminated by `queryType` of the registry's parameter schemas (feeds
 * /v1/openapi.json via `z.toJSONSchema`).
 */
export const queryRequestSchema = z.discriminatedUnion(
  'queryType',
  Object.values(QUERY_TYPES).map((h) => h.params) as [z.ZodObject, ...z.ZodObject[]],
);

/** The parameter names a query type accepts (its schema's keys, with the shared ones). */
export function paramNames(h: QueryHandler): string[] {
  return Object.keys((h.params as unknown as z.ZodObject).shape);
}

/**
 * Finds the handler and validates the body against its schema.
 * Throws InputError naming `queryType` when it is missing or unknown, each unknown parameter (never dropped
 * silently: a misspelled filter would return everything), or each invalid field.
 */
export function parseQuery(body: unknown): {
  handler: QueryHandler;
  params: Record<string, unknown> & { from?: unknown; to?: unknown };
} {
  const type = (body as { queryType?: unknown } | null)?.queryType;
  if (typeof type !== 'string' || !Object.hasOwn(QUERY_TYPES, type)) {
    const message = `must be one of ${Object.keys(QUERY_TYPES).join(', ')}`;
    throw new InputError(`queryType: ${message}`, [{ field: 'queryType', message }]);
  }
  const h = QUERY_TYPES[type as QueryType];
  const unknown = unknownParams(body as Record<string, unknown>, paramNames(h), type);
  if (unknown.length > 0) throw new InputError(unknown.map((d) => `${d.field}: ${d.message}`).join('; '), unknown);
  const parsed = h.params.safeParse(body);
  if (!parsed.success) throw inputErrorFromZod(parsed.error);
  return { handler: h, params: parsed.data as Record<string, unknown> };
}
