import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import type { ApiSessionsOptions, ApiSessionsQuery, ApiSessionsSecureJsonData } from './types';
import { ConfigEditor } from './views/ConfigEditor';
import { QueryEditor } from './views/QueryEditor';

/** Plugin entry point: wiring only. Variables and annotations are set up by the DataSource itself. */
export const plugin = new DataSourcePlugin<DataSource, ApiSessionsQuery, ApiSessionsOptions, ApiSessionsSecureJsonData>(
  DataSource,
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
