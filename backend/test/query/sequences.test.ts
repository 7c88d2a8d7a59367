/**
 * `sequences` on the real node (issue 16): exact transitions of hand-built sessions — repeated endpoints, equal
 * timestamps, part boundaries at the idle timeout and at UTC midnight, precedence on a known set, one part's path
 * with median gaps, Node Graph frames, and the budget flag.
 */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, MIN, NOW, framesOf, makeRequest, rows, useQueryServer } from './fixtures';

const T0 = NOW - 3 * 3600_000; // 09:00 UTC on the pinned day
const MIDNIGHT = Math.floor(NOW / DAY) * DAY;

let n = 0;
/** A request of `key` at `ts` on `endpoint`; ids grow with creation, so equal timestamps keep creation order. */
const req = (key: string, ts: number, endpoint: string, status = 200): StoredRequest =>
  makeRequest(key, ts, { endpoint, status, id: `seq-${String(n++).padStart(4, '0')}` });

function docs(): StoredRequest[] {
  return [
    // shop-1: cart, cart (repeat), checkout, pay — and a 45-minute pause (≥ the 30-minute idle timeout), then checkout.
    req('shop-1', T0, '/cart'),
    req('shop-1', T0 + 1000, '/cart'),
    req('shop-1', T0 + 4000, '/checkout'),
    req('shop-1', T0 + 10_000, '/pay', 402),
    req('shop-1', T0 + 10_000 + 45 * MIN, '/checkout'),
    // shop-2: equal timestamps, ordered by request id: cart → checkout → pay at one millisecond.
    req('shop-2', T0 + 5000, '/cart'),
    req('shop-2', T0 + 5000, '/checkout'),
    req('shop-2', T0 + 5000, '/pay'),
    // shop-3: checkout without a cart.
    req('shop-3', T0 + 7000, '/checkout', 500),
    // night: cart at 23:59 UTC the day before, checkout at 00:01: two parts when split by day.
    req('night', MIDNIGHT - MIN, '/cart'),
    req('night', MIDNIGHT + MIN, '/checkout'),
  ];
}

const server = useQueryServer('sequences', docs);
const FROM = NOW - DAY;
const table = async (body: Record<string, unknown>) =>
  rows(framesOf(await server.query({ queryType: 'sequences', from: FROM, to: NOW, format: 'table', ...body }))[0]);
const edge = (r: Record<string, any>[], from: string, to: string) =>
  r.find((x) => x.from_endpoint === from && x.to_endpoint === to);

describe('sequences across sessions', () => {
  it('counts exact transitions, sessions and precedence; repeats, equal timestamps and boundaries included', async () => {
    const r = await table({ idle_timeout_minutes: 30 });
    const key = (x: Record<string, any>) => `${x.from_endpoint}>${x.to_endpoint}`;
    expect(r.map(key).sort()).toEqual(['/cart>/cart', '/cart>/checkout', '/checkout>/pay'].sort());
    // cart→checkout: shop-1 and shop-2 (equal timestamps, in id order); not night (split at midnight).
    expect(edge(r, '/cart', '/checkout')).toMatchObject({ transitions: 2, sessions: 2 });
    // /checkout was requested 5 times (shop-1 twice, shop-2, shop-3, night); 2 right after /cart.
    expect(edge(r, '/cart', '/checkout')!.precedence).toBeCloseTo(2 / 5);
    expect(edge(r, '/checkout', '/pay')).toMatchObject({ transitions: 2, sessions: 2, precedence: 1 });
    expect(edge(r, '/cart', '/cart')).toMatchObject({ transitions: 1, sessions: 1, median_gap_ms: 1000 });
    // Equal timestamps: a gap of 0.
    expect(edge(r, '/checkout', '/pay')!.median_gap_ms).toBe((0 + 6000) / 2);
  });

  it('joins what the boundaries split when they are off: no idle split, no midnight split', async () => {
    const r = await table({ idle_timeout_minutes: 0, split_by_day: false });
    expect(edge(r, '/pay', '/checkout')).toMatchObject({ transitions: 1 }); // shop-1 across its 45-minute pause
    expect(edge(r, '/cart', '/checkout')).toMatchObject({ transitions: 3, sessions: 3 }); // night joined
  });

  it('narrows to the requests matching the filters', async () => {
    const r = await table({ session_id: 'shop-2' });
    expect(r.map((x) => [x.from_endpoint, x.to_endpoint, x.transitions])).toEqual([
      ['/cart', '/checkout', 1],
      ['/checkout', '/pay', 1],
    ]);
  });

  it('answers Node Graph frames: nodes with status arcs, edges with precedence', async () => {
    const frames = framesOf(await server.query({ queryType: 'sequences', from: FROM, to: NOW }));
    expect(frames.map((f: any) => f.schema.name)).toEqual(['nodes', 'edges']);
    expect(frames[0].schema.meta.preferredVisualisationType).toBe('nodeGraph');
    const nodes = rows(frames[0]);
    const checkout = nodes.find((x) => x.id === '/checkout')!;
    expect(checkout.mainstat).toBe(5);
    expect(checkout.arc__5xx).toBeCloseTo(1 / 5);
    const edges = rows(frames[1]);
    expect(edges.every((e) => nodes.some((x) => x.id === e.source) && nodes.some((x) => x.id === e.target))).toBe(true);
  });

  it('flags a walk cut by the query budget', async () => {
    const frames = framesOf(await tinyBudget.query({ queryType: 'sequences', from: FROM, to: NOW, format: 'table' }));
    expect(frames[0].schema.meta.custom.truncated).toBe(true);
    expect(frames[0].schema.meta.notices[0].severity).toBe('warning');
    const full = framesOf(await server.query({ queryType: 'sequences', from: FROM, to: NOW, format: 'table' }));
    expect(full[0].schema.meta.custom.truncated).toBe(false);
  });
});

describe('sequences of one session part', () => {
  it("gives the part's exact path with median gaps, no idle split inside the given part", async () => {
    const frames = framesOf(
      await server.query({
        queryType: 'sequences',
        from: FROM,
        to: NOW,
        session_id: 'shop-1',
        start: T0,
        end: T0 + 10_000,
      }),
    );
    const nodes = rows(frames[0]);
    expect(nodes.map((x) => [x.id, x.mainstat])).toEqual([
      ['/cart', 2],
      ['/checkout', 1],
      ['/pay', 1],
    ]);
    const edges = rows(frames[1]);
    expect(edges.map((e) => [e.source, e.target, e.mainstat, e.secondarystat])).toEqual([
      ['/cart', '/cart', 1, 1000],
      ['/cart', '/checkout', 1, 3000],
      ['/checkout', '/pay', 1, 6000],
    ]);
    expect(frames[1].schema.fields.find((f: any) => f.name === 'secondarystat').config.unit).toBe('ms');
  });

  it('refuses start or end without the rest of the part, naming what is missing', async () => {
    const res = await server.query({ queryType: 'sequences', from: FROM, to: NOW, start: T0 });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('session_id');
  });
});

const tinyBudget = useQueryServer('sequences-budget', docs, 120_000, { query: { maxCells: 4 } });
