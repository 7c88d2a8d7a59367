/**
 * The shape of one stored request document and its OpenSearch mapping.
 *
 * This file is the contract between the ingest path (which writes `StoredRequest`)
 * and the query engine (which aggregates over these field names). Nothing else is
 * stored: `dynamic: false` keeps unknown fields out of the mapping.
 */

/** `documented` (in the current spec), `zombie` (only in earlier versions), `shadow` (in none), `unknown` (no spec). */
export const API_STATUSES = ['documented', 'zombie', 'shadow', 'unknown'] as const;
/** One of API_STATUSES. */
export type ApiStatus = (typeof API_STATUSES)[number];

/** A request as stored in `<prefix>-requests-YYYY.MM.DD`. Raw identifier values never appear here. */
export interface StoredRequest {
  id: string;
  /** Request time, epoch milliseconds (UTC). */
  ts: number;
  /** When the service accepted the record, epoch milliseconds. */
  received_at: number;
  host: string;
  app?: string;
  node?: string;
  protocol?: string;
  method: string;
  /** Path without its query string. */
  path: string;
  /** Endpoint template such as `/users/{int}`, or the matched spec path with its base path (`/v2/users/{id}`). */
  endpoint: string;
  /**
   * Against the OpenAPI specs of the host/app (docs/inventory.md): documented, zombie, shadow, or unknown (no spec).
   * Always set by ingest; absent only on documents stored before the inventory existed.
   */
  api_status?: ApiStatus;
  /** Business flows of the endpoint (`authentication`, `billing`, …), sorted; `[]` when none (then unindexed). */
  flows?: string[];
  /** Names (never values) of the query parameters that were in the path. */
  query_params?: string[];
  status: number;
  /** `1xx` … `5xx`, or `none` for status 0. */
  status_class: string;
  client_ip: string;
  user_agent?: string;
  duration_ms?: number;
  request_bytes?: number;
  response_bytes?: number;
  session: {
    /** HMAC-SHA256(SESSION_SECRET, identifier value), hex. Also the session id. */
    key: string;
    /** Which rule produced the key, e.g. `cookie:PHPSESSID`, `jwt:authorization.sub`, `ip+ua`. */
    key_source: string;
  };
  user?: string;
  role?: string;
  /** Extra session context, name → value (hashed where the rule says so). */
  context?: Record<string, string>;
  /** Attacks as the node reported them. */
  attacks?: { type: string; blocked?: boolean; rule?: string }[];
  /** Distinct attack types, flattened for aggregations. */
  attack_types?: string[];
  /** Number of attacks reported on this request. */
  attack_count: number;
  attacked: boolean;
  blocked: boolean;
  bot?: { type: string; score?: number };
  /** 1 when status ≥ 500, else 0 (summable). */
  is_error: number;
}

const keyword = { type: 'keyword' } as const;
const longText = { type: 'keyword', ignore_above: 1024 } as const;

/** The `mappings` block of the index template. */
export const requestMappings = {
  dynamic: false,
  properties: {
    id: keyword,
    ts: { type: 'date', format: 'epoch_millis||strict_date_optional_time' },
    received_at: { type: 'date', format: 'epoch_millis||strict_date_optional_time' },
    host: keyword,
    app: keyword,
    node: keyword,
    protocol: keyword,
    method: keyword,
    path: longText,
    endpoint: longText,
    api_status: keyword,
    flows: keyword,
    query_params: keyword,
    status: { type: 'short' },
    status_class: keyword,
    client_ip: { type: 'ip' },
    user_agent: { type: 'keyword', ignore_above: 512 },
    duration_ms: { type: 'float' },
    request_bytes: { type: 'long' },
    response_bytes: { type: 'long' },
    session: {
      properties: {
        key: keyword,
        key_source: keyword,
      },
    },
    user: keyword,
    role: keyword,
    context: { type: 'flat_object' },
    attacks: { type: 'object', enabled: false },
    attack_types: keyword,
    attack_count: { type: 'short' },
    attacked: { type: 'boolean' },
    blocked: { type: 'boolean' },
    bot: {
      properties: {
        type: keyword,
        score: { type: 'float' },
      },
    },
    is_error: { type: 'byte' },
  },
} as const;
