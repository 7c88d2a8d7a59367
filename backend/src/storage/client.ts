import { readFileSync } from 'node:fs';
import { Client } from '@opensearch-project/opensearch';
import type { Config } from '../config';

/** Creates the OpenSearch client from the config (basic auth and a CA file when set). */
export function createOpenSearchClient(config: Pick<Config, 'opensearch'>): Client {
  const { url, username, password, caFile } = config.opensearch;
  return new Client({
    node: url,
    ...(username ? { auth: { username, password: password ?? '' } } : {}),
    ...(caFile ? { ssl: { ca: readFileSync(caFile) } } : {}),
    requestTimeout: 30_000,
    maxRetries: 0,
  });
}

export type { Client };
