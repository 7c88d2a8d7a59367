import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';
import { requestMappings } from './mappings';
import { requestIndexPattern, templateName } from './indices';

/** How soon a written request is searchable (the daily indices' refresh interval). */
export const REFRESH_INTERVAL = '1s';

/** The composable index template body for the daily request indices. */
function buildTemplateBody(config: Pick<Config, 'indexPrefix' | 'indexReplicas' | 'indexShards'>) {
  return {
    index_patterns: [requestIndexPattern(config.indexPrefix)],
    priority: 200,
    template: {
      settings: {
        number_of_shards: config.indexShards,
        number_of_replicas: config.indexReplicas,
        refresh_interval: REFRESH_INTERVAL,
        'index.mapping.total_fields.limit': 200,
        'index.sort.field': ['session.key', 'ts'],
        'index.sort.order': ['asc', 'asc'],
      },
      mappings: requestMappings,
    },
    _meta: { managed_by: 'api-sessions', schema_version: 1 },
  };
}

/** Installs (or updates) the index template. Idempotent. */
export async function installTemplate(
  client: Client,
  config: Pick<Config, 'indexPrefix' | 'indexReplicas' | 'indexShards'>,
): Promise<void> {
  await client.indices.putIndexTemplate({
    name: templateName(config.indexPrefix),
    body: buildTemplateBody(config) as never,
  });
}

/** True when the template exists. */
export async function templateInstalled(client: Client, prefix: string): Promise<boolean> {
  const res = await client.indices.existsIndexTemplate({ name: templateName(prefix) });
  return res.body === true;
}
