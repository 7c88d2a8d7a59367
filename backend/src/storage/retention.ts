import type { Client } from '@opensearch-project/opensearch';
import { DAY_MS } from '../durations';
import { dayOfIndex, ismPolicyName, requestIndexPattern } from './indices';
import ismPolicy from './ism-policy.json';

/**
 * Daily indices whose whole day lies before the retention cutoff (now − days). Pure.
 * Example: days=7, now=2026-11-28T10:00Z → cutoff 2026-11-21T10:00Z → 2026.11.20 and older are expired;
 * 2026.11.21 stays (part of it is still inside the window).
 */
export function expiredIndices(prefix: string, indices: string[], now: number, days: number): string[] {
  const cutoff = now - days * DAY_MS;
  return indices.filter((name) => {
    const day = dayOfIndex(prefix, name);
    return day !== null && day + DAY_MS <= cutoff;
  });
}

/** Deletes expired daily indices by explicit name (never a wildcard delete). Returns the names deleted. */
export async function deleteExpiredIndices(
  client: Client,
  prefix: string,
  now: number,
  days: number,
): Promise<string[]> {
  const res = await client.cat.indices({ index: requestIndexPattern(prefix), format: 'json', h: 'index' } as never);
  const names = (res.body as { index: string }[]).map((r) => r.index);
  const expired = expiredIndices(prefix, names, now, days);
  for (let i = 0; i < expired.length; i += 20) {
    await client.indices.delete({ index: expired.slice(i, i + 20).join(',') });
  }
  return expired;
}

/** The ISM policy document for clusters with the index-management plugin (deletes after `days`). */
export function buildIsmPolicy(prefix: string, days: number): object {
  const policy = JSON.parse(JSON.stringify(ismPolicy)) as {
    policy: {
      states: { transitions?: { conditions: { min_index_age: string } }[] }[];
      ism_template: { index_patterns: string[] }[];
    };
  };
  policy.policy.states[0].transitions![0].conditions.min_index_age = `${days}d`;
  policy.policy.ism_template[0].index_patterns = [requestIndexPattern(prefix)];
  return policy;
}

/**
 * Applies the ISM policy when the cluster has the ISM plugin. Returns 'applied', or 'absent' when the plugin
 * is not installed (core OpenSearch: the service's timer does retention alone).
 */
export async function applyIsmPolicyIfAvailable(
  client: Client,
  prefix: string,
  days: number,
): Promise<'applied' | 'absent'> {
  const plugins = await client.cat.plugins({ format: 'json' } as never);
  const hasIsm = (plugins.body as { component: string }[]).some((p) => p.component === 'opensearch-index-management');
  if (!hasIsm) return 'absent';
  await client.transport.request({
    method: 'PUT',
    path: `/_plugins/_ism/policies/${ismPolicyName(prefix)}`,
    body: buildIsmPolicy(prefix, days),
  });
  return 'applied';
}
