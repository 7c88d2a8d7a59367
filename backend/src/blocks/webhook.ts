/**
 * Alert → block: reads a Grafana webhook contact-point payload (`alerts[]` with `status`, `labels`, `annotations`,
 * `startsAt`, `fingerprint`, …; docs/integrations/blocking.md) and plans one time-bound block per target label of
 * each firing alert. Pure: the service stores the plan.
 *
 * Labels read: `session_id`, `client_ip`, `user` (targets); `block_minutes`, `block_mode`, `block_host`,
 * `block_app` (optional tuning, labels or annotations). Resolved alerts never create blocks, and do not end them:
 * a block runs its time (an attacker who pauses should not be let back in by the pause).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { inputErrorFromZod } from '../http/errors';
import { formatRange, MIN_BLOCK_PREFIX, parseRange } from './ip';
import type { BlockMode, TargetType } from './model';
import { MAX_REASON, type CreateBlockInput } from './schema';

/** Most alerts read from one payload (Grafana sends one notification per alert group). */
export const MAX_ALERTS = 1000;

const labelMap = z.record(z.string().max(256), z.string().max(4096));

/** The parts of Grafana's webhook payload we read; other members are allowed and ignored. */
export const grafanaWebhookSchema = z.object({
  receiver: z.string().max(1024).optional(),
  status: z.string().max(32).optional(),
  alerts: z
    .array(
      z.object({
        status: z.string().max(32),
        labels: labelMap.default({}),
        annotations: labelMap.default({}),
        startsAt: z.string().max(64).optional(),
        fingerprint: z.string().max(128).optional(),
      }),
    )
    .max(MAX_ALERTS),
});

/** One block the payload asks for; `id` is derived from the alert, so a re-delivery maps to the same block. */
export interface PlannedBlock {
  id: string;
  input: CreateBlockInput;
  alert: { fingerprint: string; rule?: string; starts_at?: number };
}

/** An alert that creates no block, and why. */
export interface SkippedAlert {
  fingerprint: string;
  alertname?: string;
  reason: string;
}

/** What a payload asks for. */
export interface WebhookPlan {
  blocks: PlannedBlock[];
  skipped: SkippedAlert[];
}

const SESSION_ID = /^[0-9a-f]{64}$/;

/**
 * Plans the blocks of a Grafana webhook payload. Throws InputError (`invalid_webhook`) when the body is not one.
 * @example {alerts:[{status:'firing', labels:{alertname:'Brute force', client_ip:'203.0.113.7'}, fingerprint:'f1',
 *   startsAt:'2026-01-10T12:00:00Z'}]} → blocks [{id:'alert_…', input:{target:{type:'client_ip', value:'203.0.113.7'},
 *   reason:'alert "Brute force"', expiresInMinutes: default, mode:'block'}}]
 */
export function planWebhookBlocks(body: unknown, limits: { defaultMinutes: number; maxMinutes: number }): WebhookPlan {
  const parsed = grafanaWebhookSchema.safeParse(body);
  if (!parsed.success) throw inputErrorFromZod(parsed.error, 'invalid_webhook');
  const plan: WebhookPlan = { blocks: [], skipped: [] };
  for (const a of parsed.data.alerts) {
    const labels = a.labels;
    const fingerprint = a.fingerprint || fingerprintOf(labels);
    const skip = (reason: string) => plan.skipped.push({ fingerprint, alertname: labels.alertname, reason });
    if (a.status !== 'firing') {
      skip(`alert is ${a.status}: only firing alerts create blocks`);
      continue;
    }
    const tune = (name: string) => labels[name] ?? a.annotations[name];
    const minutes = tune('block_minutes') === undefined ? limits.defaultMinutes : Number(tune('block_minutes'));
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > limits.maxMinutes) {
      skip(`block_minutes must be a whole number from 1 to ${limits.maxMinutes}`);
      continue;
    }
    const mode = (tune('block_mode') ?? 'block') as BlockMode;
    if (mode !== 'block' && mode !== 'monitor') {
      skip('block_mode must be block or monitor');
      continue;
    }
    const targets = targetsOf(labels);
    if (typeof targets === 'string') {
      skip(targets);
      continue;
    }
    const startsAt = a.startsAt ? Date.parse(a.startsAt) : NaN;
    const summary = a.annotations.summary ? `: ${a.annotations.summary}` : '';
    const reason = `alert "${labels.alertname ?? 'unnamed'}"${summary}`.slice(0, MAX_REASON);
    for (const target of targets) {
      plan.blocks.push({
        id: blockIdOf(fingerprint, a.startsAt ?? '', target),
        input: {
          target,
          host: tune('block_host')?.toLowerCase(),
          app: tune('block_app'),
          reason,
          expiresInMinutes: minutes,
          mode,
        },
        alert: {
          fingerprint,
          ...(labels.alertname ? { rule: labels.alertname } : {}),
          ...(Number.isFinite(startsAt) ? { starts_at: startsAt } : {}),
        },
      });
    }
  }
  return plan;
}

/** The targets named by an alert's labels, or why there are none. */
function targetsOf(labels: Record<string, string>): { type: TargetType; value: string }[] | string {
  const out: { type: TargetType; value: string }[] = [];
  const sid = labels.session_id?.trim().toLowerCase();
  if (sid) {
    if (!SESSION_ID.test(sid)) return 'label session_id is not a session id (64 hex characters)';
    out.push({ type: 'session_id', value: sid });
  }
  const ip = labels.client_ip?.trim();
  if (ip) {
    const r = parseRange(ip);
    if (typeof r === 'string') return `label client_ip ${r}`;
    if (r.prefix < MIN_BLOCK_PREFIX[r.family])
      return `label client_ip: a range wider than /${MIN_BLOCK_PREFIX[r.family]}`;
    out.push({ type: 'client_ip', value: formatRange(r) });
  }
  const user = labels.user?.trim();
  if (user) out.push({ type: 'user', value: user.slice(0, 256) });
  return out.length > 0 ? out : 'no session_id, client_ip or user label';
}

/** One episode of one alert (fingerprint + start) and one target → one block id. */
function blockIdOf(fingerprint: string, startsAt: string, t: { type: TargetType; value: string }): string {
  const h = createHash('sha256').update(`${fingerprint}\n${startsAt}\n${t.type}\n${t.value}`).digest('hex');
  return `alert_${h.slice(0, 40)}`;
}

/** Grafana sends `fingerprint`; for payloads without one, a hash of the sorted labels. */
function fingerprintOf(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\n');
  return createHash('sha256').update(sorted).digest('hex').slice(0, 16);
}
