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
import {
  SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES,
  type ApiSessionsOptions,
  type ApiSessionsQuery,
  type VariableQuery,
} from './types';
import type { ValuesResponse } from './variables';
import { ApiSessionsVariableSupport } from './variables';

/**
 * The API Sessions data source. Queries go to the plugin backend (Go), which forwards them to the service's
 * `POST /v1/query`; this class only prepares them (defaults, template variables) and wires variables and annotations.
 */
export class DataSource extends DataSourceWithBackend<ApiSessionsQuery, ApiSessionsOptions> {
  private readonly defaultIdleTimeout: number;

  constructor(instanceSettings: DataSourceInstanceSettings<ApiSessionsOptions>) {
    super(instanceSettings);
    this.defaultIdleTimeout = instanceSettings.jsonData.defaultIdleTimeoutMinutes ?? SERVICE_DEFAULT_IDLE_TIMEOUT_MINUTES;
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

  /** Interpolates every string field; sessions queries get the configured idle timeout when they set none. */
  applyTemplateVariables(query: ApiSessionsQuery, scopedVars: ScopedVars): ApiSessionsQuery {
    const interpolated = interpolateQuery(query, (v) => getTemplateSrv().replace(v, scopedVars));
    if (interpolated.queryType === 'sessions' && interpolated.idle_timeout_minutes === undefined) {
      return { ...interpolated, idle_timeout_minutes: this.defaultIdleTimeout };
    }
    return interpolated;
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
