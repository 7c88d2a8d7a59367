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

/** What the service needs of a stored ISM policy (`GET _plugins/_ism/policies/<id>`). */
export interface StoredIsmPolicy {
  seqNo: number;
  primaryTerm: number;
  /** `min_index_age` of the transition to the delete state (`7d`), if the policy has one. */
  minIndexAge?: string;
  /** Index patterns of the policy's ISM templates. */
  indexPatterns: string[];
}

/**
 * Reads the answer of `GET _plugins/_ism/policies/<id>`: `{_id, _seq_no, _primary_term, policy: {states,
 * ism_template}}` → StoredIsmPolicy. Returns undefined when the answer is not such a policy (e.g. a 404 body).
 */
export function readStoredIsmPolicy(body: unknown): StoredIsmPolicy | undefined {
  const b = body as {
    _seq_no?: unknown;
    _primary_term?: unknown;
    policy?: {
      states?: { transitions?: { conditions?: { min_index_age?: unknown } }[] }[];
      ism_template?: { index_patterns?: unknown }[] | { index_patterns?: unknown } | null;
    };
  };
  if (!b || typeof b._seq_no !== 'number' || typeof b._primary_term !== 'number' || !b.policy) return undefined;
  // GET answers `policy: {...}`; the PUT's answer (same shape otherwise) nests it once more: `policy: {policy: {...}}`.
  const policy = (b.policy as { policy?: typeof b.policy }).policy ?? b.policy;
  const ages = (policy.states ?? [])
    .flatMap((st) => st.transitions ?? [])
    .map((t) => t.conditions?.min_index_age)
    .filter((a): a is string => typeof a === 'string');
  const templates = policy.ism_template;
  const list = Array.isArray(templates) ? templates : templates ? [templates] : [];
  const indexPatterns = list.flatMap((t) =>
    Array.isArray(t.index_patterns) ? t.index_patterns.filter((x): x is string => typeof x === 'string') : [],
  );
  return { seqNo: b._seq_no, primaryTerm: b._primary_term, minIndexAge: ages[0], indexPatterns };
}

/**
 * What to do with the ISM policy at start-up. Pure.
 * - no stored policy → `{action: 'create'}` (a plain PUT);
 * - stored with the same age and pattern → `{action: 'unchanged'}`;
 * - otherwise → `{action: 'update', if_seq_no, if_primary_term}`: OpenSearch refuses (409) a PUT over an existing
 *   policy without them, which is why every start after the first used to fail and kept the first retention.
 * Example: stored `7d`, RETENTION_DAYS=3 → update with the stored seq_no / primary_term.
 */
export function planIsmPolicy(
  stored: StoredIsmPolicy | undefined,
  prefix: string,
  days: number,
): { action: 'create' } | { action: 'unchanged' } | { action: 'update'; if_seq_no: number; if_primary_term: number } {
  if (!stored) return { action: 'create' };
  const samePatterns = stored.indexPatterns.length === 1 && stored.indexPatterns[0] === requestIndexPattern(prefix);
  if (stored.minIndexAge === `${days}d` && samePatterns) return { action: 'unchanged' };
  return { action: 'update', if_seq_no: stored.seqNo, if_primary_term: stored.primaryTerm };
}

/** What applyIsmPolicyIfAvailable did: `absent` = no ISM plugin (the timer does retention alone). */
export type IsmOutcome = 'created' | 'updated' | 'unchanged' | 'absent';

const statusOf = (err: unknown) => (err as { meta?: { statusCode?: unknown } }).meta?.statusCode;

/**
 * Installs or updates the ISM policy `<prefix>-retention` when the cluster has the ISM plugin, so a changed
 * RETENTION_DAYS reaches the policy. An update is conditional (`if_seq_no`/`if_primary_term`); when another
 * instance changed the policy in between (409), the policy is read again and the plan retried (3 attempts).
 * After an update, the indices the policy already manages are moved to the new version (`change_policy`): ISM
 * keeps a managed index on the policy version it started with otherwise.
 */
export async function applyIsmPolicyIfAvailable(client: Client, prefix: string, days: number): Promise<IsmOutcome> {
  const plugins = await client.cat.plugins({ format: 'json' } as never);
  const hasIsm = (plugins.body as { component: string }[]).some((p) => p.component === 'opensearch-index-management');
  if (!hasIsm) return 'absent';
  const path = `/_plugins/_ism/policies/${ismPolicyName(prefix)}`;
  for (let attempt = 1; ; attempt++) {
    const current = await client.transport.request({ method: 'GET', path }, { ignore: [404] });
    const plan = planIsmPolicy(
      current.statusCode === 404 ? undefined : readStoredIsmPolicy(current.body),
      prefix,
      days,
    );
    if (plan.action === 'unchanged') return 'unchanged';
    try {
      await client.transport.request({
        method: 'PUT',
        path,
        querystring:
          plan.action === 'update' ? { if_seq_no: plan.if_seq_no, if_primary_term: plan.if_primary_term } : {},
        body: buildIsmPolicy(prefix, days),
      });
    } catch (err) {
      if (statusOf(err) === 409 && attempt < 3) continue; // changed since we read it: read again
      throw err;
    }
    if (plan.action === 'create') return 'created';
    // 404: no daily index yet (nothing to move).
    await client.transport.request(
      {
        method: 'POST',
        path: `/_plugins/_ism/change_policy/${requestIndexPattern(prefix)}`,
        body: { policy_id: ismPolicyName(prefix) },
      },
      { ignore: [404] },
    );
    return 'updated';
  }
}
