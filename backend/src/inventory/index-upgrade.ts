import type { Client } from '@opensearch-project/opensearch';
import { requestMappings } from '../storage/mappings';
import { requestIndexPattern } from '../storage/indices';

/**
 * Adds the inventory fields (`api_status`, `flows`) to the mapping of request indices created before they existed.
 * The template only shapes new indices and the mapping is `dynamic: false`, so without this the fields of today's
 * index would be stored but not searchable until tomorrow. Idempotent; no-op when there is no index yet.
 */
export async function addInventoryFieldsToIndices(client: Client, prefix: string): Promise<void> {
  const { api_status, flows } = requestMappings.properties;
  await client.indices.putMapping({
    index: requestIndexPattern(prefix),
    allow_no_indices: true,
    ignore_unavailable: true,
    body: { properties: { api_status, flows } },
  } as never);
}
