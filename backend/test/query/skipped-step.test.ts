/**
 * The patterns condition `skipped_step` on the real node (issue 16): hand-built sessions around a cart → checkout
 * step — a checkout after a cart, a checkout without one, a cart in an earlier part (idle timeout, UTC midnight),
 * a cart at the same millisecond — and the interval each skipped part is counted in.
 */
import type { StoredRequest } from '../../src/storage/mappings';
import { DAY, MIN, NOW, framesOf, makeRequest, rows, useQueryServer } from './fixtures';

const HOUR = 60 * MIN;
const MIDNIGHT = Math.floor(NOW / DAY) * DAY; // 00:00 UTC on the pinned day (NOW is 12:00)
const at = (h: number, m: number) => MIDNIGHT + h * HOUR + m * MIN;
const CART = '/api/cart/items';
const CHECKOUT = '/api/checkout';

const req = (key: string, ts: number, endpoint: string, over: Partial<StoredRequest> = {}) =>
  makeRequest(key, ts, { endpoint, method: 'POST', ...over });

function docs(): StoredRequest[] {
  return [
    // cart → checkout: not counted.
    req('ok', at(9, 0), CART),
    req('ok', at(9, 1), CHECKOUT),
    // A cart and a checkout 20 minutes apart, in two 30-minute buckets of one part: not counted.
    req('ok-across-buckets', at(11, 20), CART),
    req('ok-across-buckets', at(11, 40), CHECKOUT),
    // Checkout without any cart, from its own host and IP: counted at 09:00.
    req('direct', at(9, 10), CHECKOUT, { host: 'shop.example.com', client_ip: '10.0.0.5' }),
    // Cart, then 45 minutes idle (≥ the 30-minute timeout), then checkout: two parts, counted at 10:00.
    req('split', at(9, 30), CART),
    req('split', at(10, 15), CHECKOUT),
    // Cart at 23:59 the day before, checkout at 00:01: split at UTC midnight, counted at 00:00.
    req('night', MIDNIGHT - MIN, CART),
    req('night', MIDNIGHT + MIN, CHECKOUT),
    // Cart and checkout at the same millisecond: the cart counts as earlier, not counted.
    req('same-ms', at(9, 20), CART),
    req('same-ms', at(9, 20), CHECKOUT),
    // Checkout, cart, checkout again in one part: counted once, where it first checked out (10:00).
    req('twice', at(10, 40), CHECKOUT),
    req('twice', at(10, 41), CART),
    req('twice', at(10, 42), CHECKOUT),
    // Viewing the cart (GET /api/cart) is not adding to it: counted at 10:00.
    req('viewer', at(10, 50), '/api/cart', { method: 'GET' }),
    req('viewer', at(10, 52), CHECKOUT),
  ];
}

const server = useQueryServer('skipped-step', docs);
const skippedStep = { condition: 'skipped_step', endpoint_pattern: CHECKOUT, predecessor_pattern: '/api/cart/items*' };
const query = (body: Record<string, unknown>) =>
  server.query({ queryType: 'patterns', from: NOW - DAY, to: NOW, interval_ms: HOUR, ...skippedStep, ...body });

/** The non-zero points of a series, as { 'HH:MM': value } (UTC). */
const points = (frame: any) =>
  Object.fromEntries(
    rows(frame)
      .filter((r) => r.value > 0)
      .map((r) => [new Date(r.time).toISOString().slice(11, 16), r.value]),
  );

describe('patterns skipped_step', () => {
  it('counts the parts that reached the checkout without a cart, in the interval of their first checkout', async () => {
    const frames = framesOf(await query({}));
    expect(frames).toHaveLength(1);
    expect(frames[0].schema.fields[1]).toMatchObject({ name: 'value', typeInfo: { frame: 'int64' } });
    // 00:00 night (midnight split); 09:00 direct; 10:00 split (idle timeout), twice, viewer.
    expect(points(frames[0])).toEqual({ '00:00': 1, '09:00': 1, '10:00': 3 });
    // Every interval of the range is there, zero-filled.
    expect(rows(frames[0])).toHaveLength(25);
  });

  it('takes the idle timeout and the day split of the session list', async () => {
    // 60 minutes: the 45-minute pause no longer splits `split`.
    expect(points(framesOf(await query({ idle_timeout_minutes: 60 }))[0])).toEqual({
      '00:00': 1,
      '09:00': 1,
      '10:00': 2,
    });
    // No midnight split: the 23:59 cart covers the 00:01 checkout.
    expect(points(framesOf(await query({ split_by_day: false }))[0])).toEqual({ '09:00': 1, '10:00': 3 });
  });

  it('sees a predecessor before the range: parts reaching into it are read from their start', async () => {
    // From 09:00:30: `ok` added to the cart at 09:00, before the range, and checked out at 09:01 — not counted.
    const from = at(9, 0) + 30_000;
    expect(points(framesOf(await query({ from }))[0])).toEqual({ '09:00': 1, '10:00': 3 });
    // Without the day split, the lookback is 24 h: the same answer.
    expect(points(framesOf(await query({ from, split_by_day: false }))[0])).toEqual({ '09:00': 1, '10:00': 3 });
  });

  it('filters the guarded requests and groups by their label', async () => {
    expect(points(framesOf(await query({ host: 'shop.example.com' }))[0])).toEqual({ '09:00': 1 });
    const frames = framesOf(await query({ group_by: 'client_ip' }));
    const byIp = Object.fromEntries(frames.map((f: any) => [f.schema.fields[1].labels.client_ip, points(f)]));
    expect(byIp).toEqual({ '10.0.0.5': { '09:00': 1 }, '10.0.0.1': { '00:00': 1, '10:00': 3 } });
  });

  it('answers 400 naming a missing predecessor_pattern, and the part parameters given to another condition', async () => {
    const missing = await server.query({
      queryType: 'patterns',
      condition: 'skipped_step',
      endpoint_pattern: CHECKOUT,
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details).toEqual([{ field: 'predecessor_pattern', message: 'required by skipped_step' }]);
    const other = await server.query({ queryType: 'patterns', condition: 'endpoint', predecessor_pattern: '/a' });
    expect(other.status).toBe(400);
    expect(other.json.error.details.map((d: { field: string }) => d.field)).toEqual(['predecessor_pattern']);
  });
});
