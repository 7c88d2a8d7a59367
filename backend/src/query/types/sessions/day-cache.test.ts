import { DayCountCache, dayCountKey } from './day-cache';

test('least recently used entries go first', () => {
  const c = new DayCountCache(2);
  c.set('a', 1);
  c.set('b', 2);
  expect(c.get('a')).toBe(1); // a is now the most recent
  c.set('c', 3);
  expect(c.get('b')).toBeUndefined();
  expect([c.get('a'), c.get('c'), c.size]).toEqual([1, 3, 2]);
});

test('the key changes with the index version, the timeout and the criteria', () => {
  const g = { idleMs: 1_800_000, widthMs: 1_800_000, splitByDay: true };
  const base = dayCountKey('p-requests-2026.01.19', { uuid: 'u', docs: 10 }, g, { requireMatch: false });
  expect(base).toBe('p-requests-2026.01.19|u|10|1800000|-|-');
  const variants = [
    dayCountKey('p-requests-2026.01.19', { uuid: 'u', docs: 11 }, g, { requireMatch: false }),
    dayCountKey('p-requests-2026.01.19', { uuid: 'v', docs: 10 }, g, { requireMatch: false }),
    dayCountKey('p-requests-2026.01.19', { uuid: 'u', docs: 10 }, { ...g, idleMs: 60_000 }, { requireMatch: false }),
    dayCountKey('p-requests-2026.01.19', { uuid: 'u', docs: 10 }, g, { requireMatch: false, minRequests: 2 }),
    dayCountKey('p-requests-2026.01.19', { uuid: 'u', docs: 10 }, g, { requireMatch: false, minAttacks: 2 }),
  ];
  expect(new Set([base, ...variants]).size).toBe(6);
});
