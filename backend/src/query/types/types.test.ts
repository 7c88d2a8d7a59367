/** Pure unit tests of the body builders and frame shapers of every query type. */
import { buildBreakdownBody, toBreakdownFrame } from './breakdown';
import {
  CONDITIONS,
  CONDITION_SPECS,
  MAX_PATTERN_SERIES,
  PatternCounter,
  buildPatternsBody,
  intervalGrid,
  toPatternFrames,
} from './patterns';
import { buildPerformanceBody, toPerformanceFrames } from './performance';
import { PeakHistogram, PeakTracker, toSessionRatesFrame, toSlowestFrame, toSlowestRows } from './performance-tables';
import { buildRequestsQuery, toRequestsFrame } from './requests';
import { buildPartDetailsBody, buildSessionBucketsBody, toSessionBucket } from './sessions/body';
import { formatFlows, toPartDetails, toSessionsFrame, totalMeta } from './sessions/frame';
import { buildTimelineQuery, toTimelineFrame } from './timeline';
import { buildValuesBody, toValues } from '../values';
import type { StoredRequest } from '../../storage/mappings';
import { requestSessionLink, sessionListLink } from '../../grafana';
import { bucketOf } from '../../session/bucket.fixture';

/** A stored request for pure unit tests. */
function makeDoc(over: Partial<StoredRequest> = {}): StoredRequest {
  const status = over.status ?? 200;
  return {
    id: 'r',
    ts: 0,
    received_at: 0,
    host: 'h',
    method: 'GET',
    path: '/p',
    endpoint: '/p',
    status,
    status_class: `${Math.floor(status / 100)}xx`,
    client_ip: '10.0.0.1',
    session: { key: 'sess', key_source: 'ip' },
    attack_count: 0,
    attacked: false,
    blocked: false,
    is_error: status >= 500 ? 1 : 0,
    ...over,
  };
}

const range = { from: 0, to: 3_600_000 };
const values = (frame: { data: { values: unknown[][] } }, i: number) => frame.data.values[i];

describe('sessions', () => {
  test('bucket composite: key + W histogram, lean cells (only the metrics asked for), matched only when filtered', () => {
    const body = buildSessionBucketsBody(
      {
        ...range,
        widthMs: 1_800_000,
        filterClauses: [{ term: { host: { value: 'h' } } }],
        keys: ['k'],
        metrics: { attacks: true, errors: true },
      },
      { k: 'a', t: 0 },
    );
    expect(body.query.bool.filter).toEqual([
      { range: { ts: { gte: 0, lte: 3_600_000, format: 'epoch_millis' } } },
      { terms: { 'session.key': ['k'] } },
    ]);
    const cells = body.aggs.cells as any;
    expect(cells.composite.sources[1]).toEqual({ t: { date_histogram: { field: 'ts', fixed_interval: '30m' } } });
    expect(cells.composite.after).toEqual({ k: 'a', t: 0 });
    expect(Object.keys(cells.aggs)).toEqual(['start', 'end', 'attacks', 's4xx', 's5xx', 'matched']);
    const plain = buildSessionBucketsBody({ ...range, widthMs: 60_000, filterClauses: [] }, undefined).aggs
      .cells as any;
    expect(Object.keys(plain.aggs)).toEqual(['start', 'end']);
  });

  test('toSessionBucket', () => {
    expect(
      toSessionBucket({
        key: { k: 'a', t: 0 },
        doc_count: 3,
        start: { value: 1 },
        end: { value: 9 },
        attacks: { value: 2 },
        blocked: { doc_count: 1 },
        s4xx: { doc_count: 1 },
        s5xx: { value: 0 },
        lat: { count: 0, sum: 0, max: null },
      }),
    ).toMatchObject({ key: 'a', start: 1, end: 9, requests: 3, attacks: 2, durMax: null, matched: 3 });
  });

  test('details body: one filter per part, with the additive metrics of exactly its requests', () => {
    const body = buildPartDetailsBody([
      { key: 'a', start: 5, end: 9 },
      { key: 'b', start: 1, end: 2 },
    ]);
    expect(Object.keys((body.aggs.parts.filters as any).filters)).toEqual(['p0', 'p1']);
    expect(Object.keys(body.aggs.parts.aggs)).toEqual(
      expect.arrayContaining(['attacks', 'blocked', 's4xx', 's5xx', 'lat', 'endpoints']),
    );
    expect(body.query.bool.filter[0]).toEqual({ range: { ts: { gte: 1, lte: 9, format: 'epoch_millis' } } });
  });

  test('frame', () => {
    const part = {
      key: 'a',
      start: 1,
      end: 11,
      requests: 2,
      attacks: 1,
      blocked: 0,
      status4xx: 1,
      status5xx: 0,
      durCount: 2,
      durSum: 30,
      durMax: 20,
      matched: 2,
    };
    const details = toPartDetails({
      endpoints: { value: 2 },
      top_endpoints: { buckets: [{ key: '/a', doc_count: 2 }] },
      user: { buckets: [{ key: 'u', doc_count: 2 }] },
    });
    const frame = toSessionsFrame(
      [part],
      [details],
      { value: 7, estimate: false, error: 0 },
      {
        refId: 'A',
        sort: 'last_activity',
        idle_timeout_minutes: 30,
      },
    );
    expect(frame.schema.meta?.custom).toMatchObject({ total: 7, total_is_estimate: false });
    expect(frame.schema.meta?.notices).toBeUndefined();
    const names = frame.schema.fields.map((f) => f.name);
    expect(values(frame, names.indexOf('duration_ms'))).toEqual([10]);
    expect(values(frame, names.indexOf('latency_mean_ms'))).toEqual([15]);
    expect(values(frame, names.indexOf('top_endpoints'))).toEqual(['/a (2)']);
    expect(values(frame, names.indexOf('user'))).toEqual(['u']);
    expect(values(frame, names.indexOf('shadow_requests'))).toEqual([0]);
    expect(values(frame, names.indexOf('flows'))).toEqual(['']);
  });

  test('an estimated total is flagged and explained in a panel notice', () => {
    expect(totalMeta(null)).toEqual({ custom: { total: null, total_is_estimate: false } });
    const meta = totalMeta({ value: 120_400, estimate: true, error: 900 });
    expect(meta.custom).toEqual({ total: 120_400, total_is_estimate: true, total_error: 900 });
    expect(meta.notices).toEqual([
      {
        severity: 'info',
        text: expect.stringMatching(/^The total, 120,400 sessions, is an estimate \(±0\.7%\).*The rows are exact\.$/),
      },
    ]);
  });

  test('inventory columns: shadow and zombie counts, flows with their shares of the part', () => {
    const part = bucketOf('a', 1, 11, 400);
    const details = toPartDetails({
      api_status: {
        buckets: [
          { key: 'documented', doc_count: 396 },
          { key: 'shadow', doc_count: 3 },
          { key: 'zombie', doc_count: 1 },
        ],
      },
      flows: {
        buckets: [
          { key: 'authentication', doc_count: 200 },
          { key: 'billing', doc_count: 1 },
        ],
      },
    });
    const frame = toSessionsFrame(
      [part],
      [details],
      { value: 1, estimate: false, error: 0 },
      {
        refId: 'A',
        sort: 'last_activity',
        idle_timeout_minutes: 30,
      },
    );
    const names = frame.schema.fields.map((f) => f.name);
    expect(values(frame, names.indexOf('shadow_requests'))).toEqual([3]);
    expect(values(frame, names.indexOf('zombie_requests'))).toEqual([1]);
    expect(values(frame, names.indexOf('flows'))).toEqual(['authentication 50%, billing <1%']);
    expect(formatFlows([{ flow: 'admin', requests: 1 }], 1)).toBe('admin 100%');
    expect(formatFlows([], 5)).toBe('');
  });
});

describe('timeline', () => {
  test('query clamps the part to the range and sorts by ts, id', () => {
    const q = buildTimelineQuery({ session_id: 'k', start: -5, end: 100 }, range);
    expect(q.filter).toEqual([
      { term: { 'session.key': { value: 'k' } } },
      { range: { ts: { gte: 0, lte: 100, format: 'epoch_millis' } } },
    ]);
    expect(q.sort).toEqual([{ ts: 'asc' }, { id: 'asc' }]);
  });

  test('table frame of a known part: the session id reopens exactly that part', () => {
    const frame = toTimelineFrame(
      [makeDoc({ id: 'r1', ts: 1000 })],
      { session_id: 'sess', format: 'table', page: 0, page_size: 10, start: 1000, end: 2000 },
      { total: 1, first: 1000, last: 1000 },
    );
    const sessionField = frame.schema.fields.find((f) => f.name === 'session_id');
    expect(sessionField?.config.links).toEqual([requestSessionLink({ start: 1000, end: 2000 })]);
  });

  test('trace frame', () => {
    const docs = [
      makeDoc({ id: 'r1', ts: 1000, duration_ms: 5 }),
      makeDoc({ id: 'r2', ts: 2000, status: 503, duration_ms: 50 }),
    ];
    const frame = toTimelineFrame(
      docs,
      { session_id: 'sess', format: 'trace', page: 0, page_size: 10 },
      { total: 2, first: 1000, last: 2000 },
    );
    const names = frame.schema.fields.map((f) => f.name);
    expect(names).toEqual([
      'traceID',
      'spanID',
      'parentSpanID',
      'operationName',
      'serviceName',
      'startTime',
      'duration',
      'tags',
      'serviceTags',
      'statusCode',
    ]);
    expect(values(frame, 1)).toEqual(['session-sess', 'r1', 'r2']);
    expect(values(frame, 6)).toEqual([1050, 5, 50]);
    expect(values(frame, 9)).toEqual([2, 0, 2]);
  });
});

describe('requests', () => {
  test('newest first with filters', () => {
    expect(buildRequestsQuery({ method: 'GET' }, range)).toEqual({
      filter: [
        { range: { ts: { gte: 0, lte: 3_600_000, format: 'epoch_millis' } } },
        { term: { method: { value: 'GET' } } },
      ],
      sort: [{ ts: 'desc' }, { id: 'desc' }],
    });
  });
  test('table frame: the session id links to its session, the IP and endpoint to the session list', () => {
    const frame = toRequestsFrame([makeDoc({})], 1, { format: 'table', page: 0, page_size: 10 });
    const links = Object.fromEntries(frame.schema.fields.map((f) => [f.name, f.config.links?.[0]?.url]));
    expect(links.session_id).toBe(requestSessionLink().url);
    expect(links.client_ip).toBe(sessionListLink('client_ip').url);
    expect(links.user).toBeUndefined();
    expect(links.endpoint).toBe(sessionListLink('endpoint').url);
    expect(links.status).toBeUndefined();
  });
  test('logs frame', () => {
    const frame = toRequestsFrame([makeDoc({ status: 404 })], 1, { format: 'logs', page: 0, page_size: 10 });
    expect(values(frame, 2)).toEqual(['warning']);
    expect(frame.schema.meta?.type).toBe('log-lines');
  });
});

describe('breakdown', () => {
  test('body and frame', () => {
    const body = buildBreakdownBody({ by: 'attack_type', limit: 5, session_id: 's', start: 10, end: 20 }, range);
    expect(body.aggs.values).toEqual({ terms: { field: 'attack_types', size: 5 } });
    expect(body.query.bool.filter[0]).toEqual({ range: { ts: { gte: 10, lte: 20, format: 'epoch_millis' } } });
    const frame = toBreakdownFrame(
      { values: { buckets: [{ key: 'GET', doc_count: 3 }] }, with_field: { doc_count: 4 } },
      { by: 'method' },
    );
    expect(frame.data.values).toEqual([['GET'], [3], [0.75]]);
  });
  test('frame: values of a filter (and their counts, the bars) link to the session list filtered to them', () => {
    const aggs = { values: { buckets: [{ key: 'sqli', doc_count: 1 }] }, with_field: { doc_count: 1 } };
    expect(toBreakdownFrame(aggs, { by: 'attack_type' }).schema.fields[0].config.links).toEqual([
      sessionListLink('attack_type'),
    ]);
    expect(toBreakdownFrame(aggs, { by: 'method' }).schema.fields[0].config.links).toBeUndefined();
    // A bar gauge draws `count`: its bars link the same, reading the value from the row.
    expect(toBreakdownFrame(aggs, { by: 'client_ip' }).schema.fields[1].config.links?.map((l) => l.url)).toEqual([
      '/d/api-sessions-overview/api-sessions?var-client_ip=${__data.fields.value:percentencode}&${__url_time_range}',
    ]);
    expect(toBreakdownFrame(aggs, { by: 'method' }).schema.fields[1].config.links).toBeUndefined();
  });
});

describe('performance', () => {
  test('body: zero-filled histogram, per endpoint when asked', () => {
    const body = buildPerformanceBody({ by_endpoint: true, limit: 3 }, { from: 1500, to: 9000 }, 1000) as any;
    expect(body.aggs.endpoints.terms).toEqual({ field: 'endpoint', size: 3 });
    expect(body.aggs.endpoints.aggs.over_time.date_histogram).toMatchObject({
      fixed_interval: '1000ms',
      min_doc_count: 0,
      extended_bounds: { min: 1000, max: 9000 },
    });
  });
  test('frames', () => {
    const frames = toPerformanceFrames(
      [
        { key: 0, doc_count: 4, lat: { values: { '50.0': 10, '95.0': 20, '99.0': 30 } }, errors: { value: 1 } },
        {
          key: 2000,
          doc_count: 0,
          lat: { values: { '50.0': null, '95.0': null, '99.0': null } },
          errors: { value: 0 },
        },
      ],
      2000,
      {},
    );
    expect(frames.map((f) => values(f, 1))).toEqual([
      [10, null],
      [20, null],
      [30, null],
      [2, 0],
      [0.25, null],
    ]);
  });
  test('slowest rows and percentiles', () => {
    const cell = (endpoint: string, p95: number) => ({
      key: { endpoint, method: 'GET' },
      doc_count: 2,
      lat: { values: { '50.0': 1, '95.0': p95, '99.0': p95 } },
      errors: { value: 1 },
    });
    expect(toSlowestRows([cell('/a', 5), cell('/b', 50)], 1)).toEqual([
      { endpoint: '/b', method: 'GET', requests: 2, p50: 1, p95: 50, p99: 50, errorRate: 0.5 },
    ]);
    expect(toSlowestFrame(toSlowestRows([cell('/a', 5)], 1), 'A').schema.fields.map((f) => f.name)).toEqual([
      'endpoint',
      'method',
      'requests',
      'p50_ms',
      'p95_ms',
      'p99_ms',
      'error_rate',
    ]);
  });

  test('session rates: peaks streamed per key (pages may split a key), exact nearest-rank percentiles', () => {
    const h = new PeakHistogram();
    const t = new PeakTracker(h);
    t.add([
      { key: { k: 'a', m: 0 }, doc_count: 2 },
      { key: { k: 'a', m: 1 }, doc_count: 5 },
    ]);
    t.add([
      { key: { k: 'a', m: 2 }, doc_count: 3 },
      { key: { k: 'b', m: 0 }, doc_count: 1 },
      { key: { k: 'c', m: 0 }, doc_count: 4 },
      { key: { k: 'd', m: 0 }, doc_count: 4 },
    ]);
    t.end();
    expect(h.sessions).toBe(4);
    // peaks 5, 1, 4, 4 → sorted 1, 4, 4, 5
    expect([50, 90, 99].map((q) => h.percentile(q))).toEqual([4, 5, 5]);
    expect(new PeakHistogram().percentile(50)).toBeNull();
    const frame = toSessionRatesFrame(h, 'A');
    expect(frame.data.values).toEqual([
      ['p50', 'p90', 'p99'],
      [4, 5, 5],
    ]);
    expect(frame.schema.meta?.custom).toEqual({ sessions: 4 });
  });
});

describe('patterns', () => {
  test('body: prefilter + composite sources per condition', () => {
    const body = buildPatternsBody(
      { condition: 'auth_failures', threshold: 5, group_by: 'user' },
      range,
      60_000,
      undefined,
    ) as any;
    expect(body.query.bool.filter.slice(1)).toEqual([
      { terms: { status: [401, 403] } },
      { wildcard: { endpoint: { value: '*login*' } } },
    ]);
    expect(body.aggs.cells.composite.sources.map((s: object) => Object.keys(s)[0])).toEqual(['t', 'g', 'k']);
    const rate = buildPatternsBody({ condition: 'rate', endpoint_pattern: undefined }, range, 60_000, undefined) as any;
    expect(rate.aggs.cells.composite.sources.map((s: object) => Object.keys(s)[0])).toEqual(['t', 'k', 'm']);
  });
  test('frames: distinct keys per interval, zero-filled', () => {
    const grid = intervalGrid(30_000, 150_000, 60_000);
    expect(grid).toEqual([0, 60_000, 120_000]);
    const cells = [
      { key: { t: 0, k: 'a', m: 0 }, doc_count: 5 },
      { key: { t: 0, k: 'a', m: 60_000 }, doc_count: 9 },
      { key: { t: 0, k: 'b', m: 0 }, doc_count: 1 },
      { key: { t: 120_000, k: 'b', m: 0 }, doc_count: 7 },
    ];
    const [frame] = toPatternFrames(cells, { condition: 'rate', threshold: 5 }, grid);
    expect(frame.data.values).toEqual([grid, [1, 0, 1]]);
  });
});

describe('patterns, streamed', () => {
  test('the condition table lists every condition', () => {
    // skipped_step is a property of a whole session part, not of one interval's cells (patterns-skipped-step.ts).
    expect([...Object.keys(CONDITION_SPECS), 'skipped_step'].sort()).toEqual([...CONDITIONS].sort());
  });
  test('a session counts once per interval even when its minutes span two pages', () => {
    const grid = [0, 60_000];
    const counter = new PatternCounter({ condition: 'rate', threshold: 2 }, grid);
    counter.add([{ key: { t: 0, k: 'a', m: 0 }, doc_count: 3 }]);
    counter.add([
      { key: { t: 0, k: 'a', m: 1 }, doc_count: 4 },
      { key: { t: 0, k: 'b', m: 0 }, doc_count: 2 },
      { key: { t: 60_000, k: 'a', m: 2 }, doc_count: 9 },
    ]);
    expect(counter.frames('A')[0].data.values).toEqual([grid, [2, 1]]);
  });
  test(`more than ${MAX_PATTERN_SERIES} label series is query_too_broad naming group_by`, () => {
    const counter = new PatternCounter({ condition: 'blocked', threshold: 1, group_by: 'client_ip' }, [0]);
    const cells = Array.from({ length: MAX_PATTERN_SERIES + 1 }, (_, i) => ({
      key: { t: 0, g: `10.0.${i >> 8}.${i & 255}`, k: 'k' },
      doc_count: 1,
    }));
    expect(() => counter.add(cells)).toThrow(
      expect.objectContaining({ code: 'query_too_broad', details: [expect.objectContaining({ field: 'group_by' })] }),
    );
  });
});

describe('values', () => {
  test('escaped prefix regex; status prefix filtered in Node', () => {
    expect(buildValuesBody('host', 'a.b*', 10, range).aggs.values.terms).toEqual({
      field: 'host',
      size: 10,
      include: 'a\\.b\\*.*',
    });
    expect(buildValuesBody('status', '4', 10, range).aggs.values.terms).toEqual({ field: 'status', size: 600 });
    expect(
      toValues(
        {
          values: {
            buckets: [
              { key: 401, doc_count: 2 },
              { key: 200, doc_count: 9 },
            ],
          },
        },
        'status',
        '4',
        10,
      ),
    ).toEqual([{ value: '401', count: 2 }]);
  });
});
