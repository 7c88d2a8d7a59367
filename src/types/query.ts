import type { QueryType } from './query-types';
import type { ApiSessionsQuery, BOOLEAN_FILTER_NAMES, Filters } from './contract.gen';

export * from './contract.gen';

/** A filter that is a text input (all but the on/off switches). */
export type TextFilter = Exclude<keyof Filters, (typeof BOOLEAN_FILTER_NAMES)[number]>;

/** The query model of one query type. */
export type QueryOf<T extends QueryType> = Extract<ApiSessionsQuery, { queryType: T }>;
