import { createHash } from 'node:crypto';
import type { ApiStatus, StoredRequest } from '../storage/mappings';
import type { SessionRules } from '../session/rules';
import { createIdentityExtractor } from '../session/identity';
import { zodProblems } from '../http/errors';
import { recordSchema, type IngestRecord } from './schema';
import { splitPath } from './stages/path';
import { compileTemplates, deriveEndpoint, type HostTemplate } from './stages/endpoint-template';
import type { PipelineResult, PreparedRecord, RawItem, RecordError } from './records';
import { createStaticInventory, type Inventory } from '../inventory/inventory';
import { DAY_MS, FUTURE_SKEW_MS, MINUTE_MS } from '../durations';

const FUTURE_MESSAGE = `is more than ${FUTURE_SKEW_MS / MINUTE_MS} minutes in the future`;

/** Settings of the pipeline, fixed at start-up. */
export interface PipelineOptions {
  rules: SessionRules;
  secret: string;
  retentionDays: number;
  /** Specs and flow rules (api_status, spec endpoint, flows); default: no specs, built-in flows. */
  inventory?: Inventory;
}

/** The ingest pipeline: validate → window check → identify session → enrich → stored document (no raw identifiers). */
export interface Pipeline {
  run(items: RawItem[], now: number): PipelineResult;
}

/** Creates the pipeline once (compiles rules and templates). */
export function createPipeline(opts: PipelineOptions): Pipeline {
  const identity = createIdentityExtractor(opts.rules, opts.secret);
  const templates = new Map<string, HostTemplate[]>(
    Object.entries(opts.rules.endpoint_templates).map(([host, list]) => [host.toLowerCase(), compileTemplates(list)]),
  );
  const retentionMs = opts.retentionDays * DAY_MS;
  const inventory = opts.inventory ?? createStaticInventory();

  function prepare(value: unknown, index: number, now: number): PreparedRecord | RecordError[] {
    const shape = checkShape(value, index);
    if (shape) return shape;
    const parsed = validate(value);
    if (parsed === undefined)
      return [{ index, field: '(record)', message: 'record could not be validated (unsupported structure)' }];
    if (!parsed.success)
      return zodProblems(parsed.error).map((p) => ({
        index,
        ...p,
        field: p.field === '(body)' ? '(record)' : p.field,
      }));
    const r = parsed.data;
    if (Number.isNaN(r.ts)) return [{ index, field: 'ts', message: 'is not a valid date-time' }];
    if (r.ts < now - retentionMs)
      return [{ index, field: 'ts', message: `is older than the retention window (${opts.retentionDays} days)` }];
    if (r.ts > now + FUTURE_SKEW_MS) return [{ index, field: 'ts', message: FUTURE_MESSAGE }];

    const split = splitPath(r.path);
    const id = identity.identifyRequest({
      identifiers: r.identifiers,
      pathQuery: split.query,
      sessionId: r.session_id,
      clientIp: r.client_ip,
      userAgent: r.user_agent,
      pathParams: split.pathParams,
      explicit: { user: r.user, role: r.role, context: r.context },
    });
    const host = r.host.toLowerCase();
    const method = r.method.toUpperCase();
    // A matched spec operation gives the endpoint template and its flows; otherwise derive them.
    const api = inventory.classify(host, r.app, method, split.path);
    const endpoint = api.endpoint ?? deriveEndpointFor(r, host, split.path);
    const flows = api.flows ?? inventory.flowsFor(method, endpoint);
    return {
      index,
      doc: toStoredDoc(r, host, split.path, split.queryParamNames, { endpoint, apiStatus: api.status, flows }, id, now),
    };
  }

  function deriveEndpointFor(r: IngestRecord, host: string, path: string): string {
    if (r.endpoint) return splitPath(r.endpoint).path;
    return deriveEndpoint(path, templates.get(host));
  }

  return {
    run(items, now) {
      const docs: PreparedRecord[] = [];
      const errors: RecordError[] = [];
      for (const item of items) {
        if ('error' in item) {
          errors.push(item.error);
          continue;
        }
        const out = prepare(item.value, item.index, now);
        if (Array.isArray(out)) errors.push(...out);
        else docs.push(out);
      }
      return { docs, errors };
    },
  };
}

const REQUIRED = ['ts', 'host', 'method', 'path', 'status', 'client_ip'] as const;

/**
 * Cheap checks before the schema: not an object, or required fields missing. These are the common garbage cases
 * (a flood of `{}`), answered without the cost of a failed schema parse.
 */
function checkShape(value: unknown, index: number): RecordError[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      {
        index,
        field: '(record)',
        message: `must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
      },
    ];
  }
  const v = value as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => v[k] === undefined || v[k] === null);
  return missing.length > 0 ? missing.map((field) => ({ index, field, message: 'is required' })) : undefined;
}

/** Validates one record; undefined when the validator itself fails on a hostile structure (never a 500). */
function validate(value: unknown): ReturnType<typeof recordSchema.safeParse> | undefined {
  try {
    return recordSchema.safeParse(value);
  } catch {
    return undefined;
  }
}

/** Builds the stored document: an allow-list of fields, so identifiers and unknown fields never reach storage. */
function toStoredDoc(
  r: IngestRecord,
  host: string,
  path: string,
  queryParams: string[],
  api: { endpoint: string; apiStatus: ApiStatus; flows: readonly string[] },
  id: { key: string; keySource: string; user?: string; role?: string; context?: Record<string, string> },
  now: number,
): StoredRequest {
  const attackTypes = r.attacks ? [...new Set(r.attacks.map((a) => a.type.toLowerCase()))] : [];
  const blocked = r.blocked === true || (r.attacks?.some((a) => a.blocked === true) ?? false);
  const doc: StoredRequest = {
    id: r.id ?? contentId(r),
    ts: r.ts,
    received_at: now,
    host,
    method: r.method.toUpperCase(),
    path,
    endpoint: api.endpoint,
    api_status: api.apiStatus,
    flows: api.flows.slice(),
    status: r.status,
    status_class: r.status === 0 ? 'none' : `${Math.floor(r.status / 100)}xx`,
    client_ip: r.client_ip,
    session: { key: id.key, key_source: id.keySource },
    attack_count: r.attacks?.length ?? 0,
    attacked: attackTypes.length > 0,
    blocked,
    is_error: r.status >= 500 ? 1 : 0,
  };
  if (queryParams.length > 0) doc.query_params = queryParams;
  if (r.app !== undefined) doc.app = r.app;
  if (r.node !== undefined) doc.node = r.node;
  if (r.protocol !== undefined) doc.protocol = r.protocol;
  if (r.user_agent !== undefined) doc.user_agent = r.user_agent;
  if (r.duration_ms !== undefined) doc.duration_ms = r.duration_ms;
  if (r.request_bytes !== undefined) doc.request_bytes = r.request_bytes;
  if (r.response_bytes !== undefined) doc.response_bytes = r.response_bytes;
  if (id.user !== undefined) doc.user = id.user;
  if (id.role !== undefined) doc.role = id.role;
  if (id.context !== undefined) doc.context = id.context;
  if (r.attacks && r.attacks.length > 0) {
    doc.attacks = r.attacks.map((a) => ({
      type: a.type.toLowerCase(),
      ...(a.blocked !== undefined ? { blocked: a.blocked } : {}),
      ...(a.rule ? { rule: a.rule } : {}),
    }));
    doc.attack_types = attackTypes;
  }
  if (r.bot) doc.bot = { type: r.bot.type.toLowerCase(), ...(r.bot.score !== undefined ? { score: r.bot.score } : {}) };
  return doc;
}

/**
 * Id for a record sent without one: a hash of its validated content, so posting the same body again
 * stores it once (identical records in the same millisecond collapse into one; send `id` to keep both).
 */
function contentId(r: IngestRecord): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      r.ts,
      r.host,
      r.method,
      r.path,
      r.status,
      r.client_ip,
      r.duration_ms,
      r.request_bytes,
      r.response_bytes,
      r.user_agent,
      r.node,
      r.session_id,
    ]),
  );
  if (r.identifiers) h.update(JSON.stringify(r.identifiers));
  return `auto-${h.digest('hex').slice(0, 40)}`;
}
