import type { Client } from '@opensearch-project/opensearch';
import { DAY_MS } from '../durations';
import { StorageUnavailableError } from '../http/errors';
import { requestIndexPattern } from './indices';
import { installTemplate, templateInstalled } from './template';
import type { Config } from '../config';

/**
 * OpenSearch refused to install the index template with a 4xx (other than 429): a permission or a conflicting
 * template. Records written now would not get the mapping, so they are rejected, not spooled (issue 13).
 */
export class StorageRefusedError extends Error {}

/**
 * Installs the index template once (retried on the next call after a failure). Throws StorageUnavailableError when
 * OpenSearch cannot be reached or answers 429/5xx, StorageRefusedError when it refuses the template.
 */
export function createTemplateGuard(client: Client, config: Config): () => Promise<void> {
  let done = false;
  let inflight: Promise<void> | undefined;
  return async () => {
    if (done) return;
    inflight ??= installTemplate(client, config)
      .then(() => {
        done = true;
      })
      .catch((err: Error) => {
        const status = (err as { meta?: { statusCode?: unknown } }).meta?.statusCode;
        if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429)
          throw new StorageRefusedError(`storage refused the index template: ${err.message.slice(0, 200)}`);
        throw new StorageUnavailableError(`storage is unavailable: ${err.message.slice(0, 200)}; retry later`);
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/** What `/readyz` reports. */
export interface Readiness {
  status: 'ok' | 'unavailable';
  opensearch: string;
  template?: boolean;
  requests_24h?: number;
  message?: string;
}

/** Checks OpenSearch health, the template, and counts the requests of the last 24 h. Never throws. */
export async function checkReadiness(client: Client, prefix: string, now = Date.now()): Promise<Readiness> {
  try {
    const health = await client.cluster.health({ timeout: '5s' } as never);
    const status = (health.body as { status: string }).status;
    if (status === 'red')
      return { status: 'unavailable', opensearch: 'red', message: 'OpenSearch cluster status is red' };
    const template = await templateInstalled(client, prefix);
    const count = await client.count({
      index: requestIndexPattern(prefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { query: { range: { ts: { gte: now - DAY_MS, lte: now } } } },
    } as never);
    return {
      status: template ? 'ok' : 'unavailable',
      opensearch: status,
      template,
      requests_24h: (count.body as { count: number }).count,
      ...(template ? {} : { message: 'index template not installed yet' }),
    };
  } catch (err) {
    return {
      status: 'unavailable',
      opensearch: 'unreachable',
      message: `OpenSearch is unreachable: ${(err as Error).message.slice(0, 200)}`,
    };
  }
}

/** How long one answer of the load-balancer probe is reused (probes from many balancers cost one check). */
export const PROBE_CACHE_MS = 1000;

/**
 * Wraps a readiness check so that it runs at most once per `ttlMs`, and never twice at once: every caller within
 * the window (or while a check runs) gets the same answer. A check that throws counts as not ready. This keeps the
 * unauthenticated `GET /healthz/ready` from turning probe floods into OpenSearch load.
 */
export function cachedProbe(
  check: () => Promise<boolean>,
  ttlMs = PROBE_CACHE_MS,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let last: { at: number; ready: boolean } | undefined;
  let inflight: Promise<boolean> | undefined;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.ready);
    inflight ??= check()
      .catch(() => false)
      .then((ready) => {
        last = { at: now(), ready };
        inflight = undefined;
        return ready;
      });
    return inflight;
  };
}

/**
 * The load balancer's readiness check: OpenSearch answers, its cluster is not red, and the index template is
 * installed (what ingest needs to store records). Cheaper than checkReadiness: no count.
 */
export async function isReadyForTraffic(client: Client, prefix: string): Promise<boolean> {
  const health = await client.cluster.health({ timeout: '5s' } as never);
  if ((health.body as { status: string }).status === 'red') return false;
  return templateInstalled(client, prefix);
}
