import {
  CustomVariableSupport,
  type DataQueryRequest,
  type DataQueryResponse,
  type MetricFindValue,
} from '@grafana/data';
import { from, map, type Observable } from 'rxjs';
import type { DataSource } from './datasource';
import type { VariableQuery } from './types';
import { VariableQueryEditor } from './views/VariableQueryEditor';

/** Answer of the plugin resource `values/{field}` (passed through from the service's `GET /v1/values/{field}`). */
export interface ValuesResponse {
  values: Array<{ value: string; count: number }>;
}

/** Returns variable options from a values answer: text and value are the field value. */
export function toMetricFindValues(response: ValuesResponse | undefined): MetricFindValue[] {
  return (response?.values ?? []).map((v) => ({ text: String(v.value), value: String(v.value) }));
}

/** Template variables: "values of a field" via the plugin resource `values/<field>`. */
export class ApiSessionsVariableSupport extends CustomVariableSupport<DataSource, VariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const [query] = request.targets;
    if (!query?.field) {
      return from([{ data: [] }]);
    }
    return from(this.datasource.fetchValues(query, request.range.from.valueOf(), request.range.to.valueOf())).pipe(
      map((response) => ({ data: toMetricFindValues(response) })),
    );
  }
}
