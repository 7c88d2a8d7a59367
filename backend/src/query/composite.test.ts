import { pageSizeFor } from './composite';

test('a page never asks for more cells than the budget has left, shared by the concurrent scans', () => {
  expect(pageSizeFor(10_000, 1_000_000, 2)).toBe(10_000);
  expect(pageSizeFor(10_000, 1_500, 2)).toBe(750);
  expect(pageSizeFor(10_000, 10, 2)).toBe(100); // never below 100
  expect(pageSizeFor(50, 10, 2)).toBe(50); // nor above the spec's own size
});
