import type { DataQuery } from '@grafana/schema';
import type { VALUE_FIELDS } from './contract.gen';

/** A field whose values a template variable can list. */
type ValueField = (typeof VALUE_FIELDS)[number];

/** A template-variable query: list the values of one field. */
export interface VariableQuery extends DataQuery {
  field: ValueField;
  /** Only values starting with this prefix. */
  prefix?: string;
  /** At most this many values (service default 100). */
  limit?: number;
}
