import { ClientClosedError, OverloadedError } from '../http/errors';
import { createQueryGate, type QueryGateEvent } from './gate';

const tick = () => new Promise((r) => setImmediate(r));

test('runs up to `concurrency` at once, the next waits for a release, in order', async () => {
  const gate = createQueryGate({ concurrency: 2, maxWaiting: 2, maxWaitMs: 1000 });
  const a = await gate.acquire();
  await gate.acquire();
  const order: string[] = [];
  const c = gate.acquire().then((r) => (order.push('c'), r));
  const d = gate.acquire().then((r) => (order.push('d'), r));
  await tick();
  expect(gate.stats()).toMatchObject({ running: 2, waiting: 2 });
  a();
  a(); // releasing twice frees one slot only
  await tick();
  expect(order).toEqual(['c']);
  expect(gate.stats()).toMatchObject({ running: 2, waiting: 1 });
  (await c)();
  (await d)();
  expect(order).toEqual(['c', 'd']);
});

test('a full line is refused at once with 429 + Retry-After; a long wait too', async () => {
  const events: QueryGateEvent[] = [];
  const gate = createQueryGate({ concurrency: 1, maxWaiting: 1, maxWaitMs: 30, onEvent: (e) => events.push(e) });
  await gate.acquire();
  const waiting = gate.acquire();
  await expect(gate.acquire()).rejects.toBeInstanceOf(OverloadedError);
  const err = await waiting.catch((e: OverloadedError) => e);
  expect(err).toMatchObject({ status: 429, code: 'overloaded', retryAfter: 2 });
  expect((err as Error).message).toMatch(/QUERY_CONCURRENCY=1/);
  expect(gate.stats()).toMatchObject({ running: 1, waiting: 0, admitted: 1, refused: 2 });
  expect(events).toEqual(['admitted', 'refused', 'refused']);
});

test('a client that leaves while waiting gives up its place', async () => {
  const gate = createQueryGate({ concurrency: 1 });
  const release = await gate.acquire();
  const ac = new AbortController();
  const waiting = gate.acquire(ac.signal);
  ac.abort(new ClientClosedError());
  await expect(waiting).rejects.toBeInstanceOf(ClientClosedError);
  expect(gate.stats().waiting).toBe(0);
  release();
  expect(gate.stats().running).toBe(0);
});
