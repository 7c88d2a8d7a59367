import { ClientClosedError, QueryTimeoutError } from '../http/errors';
import { QueryBudget, unlimitedBudget } from './budget';

test('cells: spend answers false once past the limit', () => {
  const b = new QueryBudget({ maxCells: 10, timeoutMs: 60_000 });
  expect(b.spend(6)).toBe(true);
  expect(b.cellsLeft).toBe(4);
  expect(b.spend(4)).toBe(true);
  expect(b.spend(1)).toBe(false);
  expect(b.cellsLeft).toBe(0);
  b.dispose();
});

test('the deadline aborts with a query_timeout', async () => {
  const b = new QueryBudget({ maxCells: 10, timeoutMs: 30 });
  await new Promise((r) => b.signal.addEventListener('abort', r));
  expect(b.signal.reason).toBeInstanceOf(QueryTimeoutError);
  expect(b.signal.reason).toMatchObject({ status: 504, code: 'query_timeout' });
  expect(() => b.throwIfAborted()).toThrow(QueryTimeoutError);
});

test('abort: the first reason wins; remainingMs never below 1', () => {
  const b = new QueryBudget({ maxCells: 10, timeoutMs: 60_000 }, Date.now() - 70_000);
  expect(b.remainingMs()).toBe(1);
  b.abort();
  b.abort(new QueryTimeoutError(1));
  expect(b.signal.reason).toBeInstanceOf(ClientClosedError);
});

test('unlimited budget has no timer and no cell limit', () => {
  const b = unlimitedBudget();
  expect(b.spend(1e12)).toBe(true);
  expect(b.remainingMs()).toBe(Number.POSITIVE_INFINITY);
});

test('a fork has cells of its own, counted in the parent too, and shares the abort', () => {
  const b = new QueryBudget({ maxCells: 10, timeoutMs: 60_000 });
  const f = b.fork();
  expect(f.spend(8)).toBe(true);
  expect(b.spend(8)).toBe(true);
  expect(b.cells).toBe(8);
  expect(b.totalCells).toBe(16);
  expect(f.cellsLeft).toBe(2);
  f.abort(new QueryTimeoutError(5));
  expect(b.signal.aborted).toBe(true);
  expect(b.signal.reason).toBeInstanceOf(QueryTimeoutError);
});

test('every search of a query, its forks too, asks for the same shard copies; other queries for others', () => {
  const b = new QueryBudget({ maxCells: 10, timeoutMs: 60_000 });
  expect(b.preference).toMatch(/^q[0-9a-f]{12}$/);
  expect(b.fork().preference).toBe(b.preference);
  expect(new QueryBudget({ maxCells: 10, timeoutMs: 60_000 }).preference).not.toBe(b.preference);
});
