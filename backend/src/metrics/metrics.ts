import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DecisionCounts } from '../blocks/decision';
import type { BulkOutcome } from '../ingest/sink';
import type { ReplayReport } from '../ingest/spool';
import type { StoreOutcome } from '../ingest/store';

/**
 * The service's Prometheus metrics, in one registry per app (never prom-client's global one, so tests that create
 * several apps do not collide). Every metric is documented in docs/operations.md ("Metrics"); a test checks that.
 * Label values are closed sets (never a value from a request), so series stay few.
 */
export interface Metrics {
  registry: Registry;
  /** Records of ingest bodies by where they went: stored, duplicate (already stored), spooled. */
  recordsAccepted: Counter<'destination'>;
  /** Records refused: invalid (the record or body), storage_rejected (an item's 4xx), storage_refused (a bulk 4xx). */
  recordsRejected: Counter<'reason'>;
  /** Records answered 503 "not stored, retry". */
  recordsNotStored: Counter;
  /** Ingest requests by HTTP status. */
  ingestRequests: Counter<'status'>;
  bulkDuration: Histogram<'outcome'>;
  replayRecords: Counter<'outcome'>;
  replayErrors: Counter;
  quarantinedSegments: Counter<'why'>;
  queryDuration: Histogram<'query_type' | 'status'>;
  queriesInFlight: Gauge;
  queryRefusals: Counter<'query_type' | 'reason'>;
  /** Ingest bodies refused (429 overloaded) by the in-flight budget they would exceed: bytes or records. */
  ingestRefusals: Counter<'budget'>;
  /** Sets what the ingest in-flight gauges read at scrape time (the ingest router's budget counters). */
  watchIngest(read: () => IngestFigures): void;
  /** Sets what the decision metrics read at scrape time (the blocking counters and block sync). */
  watchDecisions(read: () => DecisionFigures): void;
}

/** What the decision and block metrics read at scrape time. */
export interface DecisionFigures {
  /** Decisions since start, by outcome (monotonic: DecisionCounters.snapshot()). */
  decisions: DecisionCounts;
  /** Blocks held in memory for decisions (active and monitor). */
  activeBlocks: number;
  /** Epoch ms of the last successful block sync, undefined before the first one or when the endpoint is off. */
  lastSyncedAt: number | undefined;
}

/** The outcomes of `GET /v1/decision` (the `outcome` label). */
const DECISION_OUTCOMES: ReadonlyArray<keyof DecisionCounts> = ['allowed', 'blocked', 'monitored', 'fail_open'];

/** What the ingest in-flight gauges read at scrape time. */
export interface IngestFigures {
  /** Bytes reserved by ingest bodies being read or processed (MAX_BODY_BYTES × 4 is the budget). */
  bytes: number;
  /** Records being stored (MAX_INFLIGHT_RECORDS is the budget). */
  records: number;
}

/** What the spool gauges read at scrape time. */
export interface SpoolFigures {
  pendingBytes: number;
  pendingSegments: number;
}

/** Creates the registry and every metric; `spool` feeds the spool gauges (0 without a spool). */
export function createMetrics(spool?: () => SpoolFigures): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  new Gauge({
    name: 'api_sessions_spool_bytes',
    help: 'Bytes of records waiting in the spool (SPOOL_DIR) to be replayed into OpenSearch.',
    registers: [registry],
    collect() {
      this.set(spool?.().pendingBytes ?? 0);
    },
  });
  new Gauge({
    name: 'api_sessions_spool_segments',
    help: 'Segment files waiting in the spool (the spool depth); quarantined ones excluded.',
    registers: [registry],
    collect() {
      this.set(spool?.().pendingSegments ?? 0);
    },
  });
  let ingest: () => IngestFigures = () => ({ bytes: 0, records: 0 });
  new Gauge({
    name: 'api_sessions_ingest_inflight_bytes',
    help: 'Bytes reserved now by ingest bodies being read or processed (the in-flight byte budget in use).',
    registers: [registry],
    collect() {
      this.set(ingest().bytes);
    },
  });
  new Gauge({
    name: 'api_sessions_ingest_inflight_records',
    help: 'Records of ingest bodies being stored now (MAX_INFLIGHT_RECORDS in use).',
    registers: [registry],
    collect() {
      this.set(ingest().records);
    },
  });
  let decisions: (() => DecisionFigures) | undefined;
  new Counter({
    name: 'api_sessions_decisions_total',
    help: 'GET /v1/decision answers by outcome: allowed, blocked (403), monitored (a monitor-mode block matched), fail_open.',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const counts = decisions?.().decisions;
      // Read from the decision path's own tallies at scrape time: no prom-client call per decision (the hot path).
      this.reset();
      for (const outcome of DECISION_OUTCOMES) this.inc({ outcome }, counts?.[outcome] ?? 0);
    },
  });
  new Gauge({
    name: 'api_sessions_blocks_active',
    help: 'Blocks held in memory for decisions by this instance (enforcing and monitor mode).',
    registers: [registry],
    collect() {
      this.set(decisions?.().activeBlocks ?? 0);
    },
  });
  new Gauge({
    name: 'api_sessions_blocks_sync_age_seconds',
    help: 'Seconds since the last successful block sync from OpenSearch (-1 before the first one or with decisions off).',
    registers: [registry],
    collect() {
      const at = decisions?.().lastSyncedAt;
      this.set(at === undefined ? -1 : (Date.now() - at) / 1000);
    },
  });
  return {
    registry,
    recordsAccepted: counter(
      'api_sessions_ingest_records_accepted_total',
      'Ingested records accepted, by destination: stored, duplicate (already stored), spooled.',
      ['destination'],
    ),
    recordsRejected: counter(
      'api_sessions_ingest_records_rejected_total',
      'Ingested records rejected, by reason: invalid, storage_rejected (OpenSearch refused the item), ' +
        'storage_refused (OpenSearch refused the bulk request or the index template).',
      ['reason'],
    ),
    recordsNotStored: counter(
      'api_sessions_ingest_records_not_stored_total',
      'Ingested records answered 503 "not stored, retry" (storage unavailable and no room in a spool).',
    ),
    ingestRequests: counter('api_sessions_ingest_requests_total', 'POST /v1/requests answers, by HTTP status.', [
      'status',
    ]),
    bulkDuration: new Histogram({
      name: 'api_sessions_bulk_duration_seconds',
      help: 'Duration of OpenSearch _bulk requests, by outcome: ok, retryable (429/5xx), refused (4xx), transport_error.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    replayRecords: counter(
      'api_sessions_spool_replay_records_total',
      'Spooled records replayed, by outcome: stored (or already stored), rejected (dropped), refused (quarantined).',
      ['outcome'],
    ),
    replayErrors: counter(
      'api_sessions_spool_replay_errors_total',
      'Spool replay runs that stopped because OpenSearch could not take the records (they wait for the next run).',
    ),
    quarantinedSegments: counter(
      'api_sessions_spool_quarantined_segments_total',
      'Spool segments moved to SPOOL_DIR/quarantine, by why: unreadable, refused.',
      ['why'],
    ),
    queryDuration: new Histogram({
      name: 'api_sessions_query_duration_seconds',
      help: 'Duration of POST /v1/query, by query type and HTTP status.',
      labelNames: ['query_type', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    queriesInFlight: new Gauge({
      name: 'api_sessions_queries_in_flight',
      help: 'POST /v1/query requests being answered now.',
      registers: [registry],
    }),
    queryRefusals: counter(
      'api_sessions_query_refusals_total',
      'Queries refused by a budget, by query type and reason (the error code: query_too_broad, query_timeout, or ' +
        'the code of a 429).',
      ['query_type', 'reason'],
    ),
    ingestRefusals: counter(
      'api_sessions_ingest_refusals_total',
      'Ingest bodies refused with 429 overloaded, by the in-flight budget they would exceed: bytes, records.',
      ['budget'],
    ),
    watchIngest(read) {
      ingest = read;
    },
    watchDecisions(read) {
      decisions = read;
    },
  };
}

/** Counts one `_bulk` request (the sink's `onBulk`). */
export function observeBulk(
  metrics: Metrics | undefined,
): ((seconds: number, outcome: BulkOutcome) => void) | undefined {
  return metrics && ((seconds, outcome) => metrics.bulkDuration.observe({ outcome }, seconds));
}

/** Counts where the records of one ingest body went; `invalid` records failed validation before storing. */
export function countStored(metrics: Metrics, out: StoreOutcome, invalid: number): void {
  const add = <L extends string>(c: Counter<L>, labels: Partial<Record<L, string>>, n: number) => {
    if (n > 0) c.inc(labels, n);
  };
  add(metrics.recordsAccepted, { destination: 'stored' }, out.stored);
  add(metrics.recordsAccepted, { destination: 'duplicate' }, out.duplicates);
  add(metrics.recordsAccepted, { destination: 'spooled' }, out.spooled);
  add(metrics.recordsRejected, { reason: 'invalid' }, invalid);
  add(metrics.recordsRejected, { reason: 'storage_rejected' }, out.rejected.length);
  add(metrics.recordsRejected, { reason: 'storage_refused' }, out.refused.length);
  if (out.unstored.length > 0) metrics.recordsNotStored.inc(out.unstored.length);
}

/** Counts one spool replay run. */
export function countReplay(metrics: Metrics, report: ReplayReport): void {
  if (report.replayed > 0) metrics.replayRecords.inc({ outcome: 'stored' }, report.replayed);
  if (report.rejected.length > 0) metrics.replayRecords.inc({ outcome: 'rejected' }, report.rejected.length);
  if (report.refused.length > 0) metrics.replayRecords.inc({ outcome: 'refused' }, report.refused.length);
  for (const q of report.quarantined) metrics.quarantinedSegments.inc({ why: q.why });
  if (report.waiting) metrics.replayErrors.inc();
}
