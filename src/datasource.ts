import {
  type AdHocVariableFilter,
  type AnnotationSupport,
  type CoreApp,
  type DataFrame,
  type DataSourceGetTagKeysOptions,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { of } from 'rxjs';
import { DEFAULT_ANNOTATION_QUERY, framesToAnnotations } from './data/annotations';
import { DEFAULT_QUERY, incompleteReason, withDefaults } from './data/defaults';
import { interpolateQuery } from './data/interpolate';
import { applyAdHocFilters, migrateQuery } from './data/query-model';
import {
  BOOLEAN_FILTER_NAMES,
  FILTER_NAMES,
  VALUE_FIELDS,
  type ApiSessionsOptions,
  type ApiSessionsQuery,
  type VariableQuery,
} from './types';
import type { ValuesResponse } from './variables';
import { ApiSessionsVariableSupport, toMetricFindValues } from './variables';

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
   * Migrates a saved query (query-model.ts), interpolates every string field and folds the dashboard's ad-hoc
   * filters in as the service's filters. (The data source's default idle timeout is applied by the plugin backend,
   * so alert rules, which never pass through here and have no dashboard filters, get it too.)
   */
  applyTemplateVariables(
    query: ApiSessionsQuery,
    scopedVars: ScopedVars,
    filters?: AdHocVariableFilter[],
  ): ApiSessionsQuery {
    const interpolated = interpolateQuery(migrateQuery(query), (v) => getTemplateSrv().replace(v, scopedVars));
    return applyAdHocFilters(interpolated, filters);
  }

  /** Ad-hoc filter keys: every filter of the service's queries. */
  async getTagKeys(_options?: DataSourceGetTagKeysOptions<ApiSessionsQuery>): Promise<MetricFindValue[]> {
    return FILTER_NAMES.map((name) => ({ text: name, value: name }));
  }

  /**
   * Ad-hoc filter values: the top values in the dashboard's time range (`/v1/values/<key>`, as template variables
   * list them); `true`/`false` for the on/off filters; none to choose from for the rest (type the value).
   */
  async getTagValues(options: DataSourceGetTagValuesOptions<ApiSessionsQuery>): Promise<MetricFindValue[]> {
    const { key } = options;
    if ((BOOLEAN_FILTER_NAMES as readonly string[]).includes(key)) {
      return ['true', 'false'].map((v) => ({ text: v, value: v }));
    }
    if (!(VALUE_FIELDS as readonly string[]).includes(key)) {
      return [];
    }
    const range = options.timeRange;
    const now = Date.now();
    const answer = await this.fetchValues(
      { refId: 'adhoc', field: key as VariableQuery['field'] },
      range?.from.valueOf() ?? now - 24 * 3600_000,
      range?.to.valueOf() ?? now,
    );
    return toMetricFindValues(answer);
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
