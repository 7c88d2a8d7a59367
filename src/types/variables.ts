import type { DataQuery } from '@grafana/schema';

/** Fields that `GET /v1/values/{field}` can list. */
export const VALUE_FIELDS = [
  'host',
  'app',
  'endpoint',
  'method',
  'user',
  'role',
  'attack_type',
  'status',
  'api_status',
  'flow',
] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/** A template-variable query: list the values of one field. */
export interface VariableQuery extends DataQuery {
  field: ValueField;
  /** Only values starting with this prefix. */
  prefix?: string;
  /** At most this many values (service default 100). */
  limit?: number;
}
