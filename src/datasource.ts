import {
  type AnnotationSupport,
  type CoreApp,
  type DataFrame,
  type DataSourceInstanceSettings,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { of } from 'rxjs';
import { DEFAULT_ANNOTATION_QUERY, framesToAnnotations } from './data/annotations';
import { DEFAULT_QUERY, incompleteReason, withDefaults } from './data/defaults';
import { interpolateQuery } from './data/interpolate';
import type { ApiSessionsOptions, ApiSessionsQuery, VariableQuery } from './types';
import type { ValuesResponse } from './variables';
import { ApiSessionsVariableSupport } from './variables';

/**
 * The API Sessions data source. Queries go to the plugin backend (Go), which forwards them to the service's
 * `POST /v1/query`; this class only prepares them (defaults, template variables) and wires variables and annotations.
 */
export class DataSource extends DataSourceWithBackend<ApiSessionsQuery, ApiSessionsOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<ApiSessionsOptions>) {
    super(instanceSettings);
    this.variables = new ApiSessionsVariableSupport(this);
  }

  annotations: AnnotationSupport<ApiSessionsQuery> = {
    getDefaultQuery: () => DEFAULT_ANNOTATION_QUERY,
    prepareQuery: (anno) =>
      anno.target ? withDefaults({ ...DEFAULT_ANNOTATION_QUERY, ...anno.target } as ApiSessionsQuery) : undefined,
    processEvents: (_anno, frames: DataFrame[]) => of(framesToAnnotations(frames)),
  };

  getDefaultQuery(_app: CoreApp): Partial<ApiSessionsQuery> {
    return { ...DEFAULT_QUERY };
  }

  /** Skips hidden queries and queries that cannot run yet (e.g. a timeline whose session variable is empty). */
  filterQuery(query: ApiSessionsQuery): boolean {
    if (query.hide) {
      return false;
    }
    return incompleteReason(interpolateQuery(query, (v) => getTemplateSrv().replace(v))) === undefined;
  }

  /**
   * Interpolates every string field. (The data source's default idle timeout is applied by the plugin backend, so
   * alert rules, which never pass through here, get it too.)
   */
  applyTemplateVariables(query: ApiSessionsQuery, scopedVars: ScopedVars): ApiSessionsQuery {
    return interpolateQuery(query, (v) => getTemplateSrv().replace(v, scopedVars));
  }

  /** Fetches the values of one field for a template variable (plugin resource `values/<field>`). */
  fetchValues(query: VariableQuery, from: number, to: number): Promise<ValuesResponse> {
    const prefix = query.prefix ? getTemplateSrv().replace(query.prefix) : undefined;
    return this.getResource<ValuesResponse>(`values/${encodeURIComponent(query.field)}`, {
      from,
      to,
      ...(prefix ? { prefix } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
  }
}
