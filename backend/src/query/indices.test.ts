import { MAX_DAY_NAMES, searchIndices } from './indices';

const DAY = 86_400_000;

test('short ranges list their days', () => {
  expect(searchIndices('p', Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 0, 3, 1))).toBe(
    'p-requests-2026.01.01,p-requests-2026.01.02,p-requests-2026.01.03',
  );
  const to = Date.UTC(2026, 2, 1);
  expect(searchIndices('p', to - (MAX_DAY_NAMES - 1) * DAY, to).split(',')).toHaveLength(MAX_DAY_NAMES);
});

test('long ranges use one wildcard per month, across a year boundary', () => {
  expect(searchIndices('p', Date.UTC(2025, 11, 20), Date.UTC(2026, 1, 3))).toBe(
    'p-requests-2025.12.*,p-requests-2026.01.*,p-requests-2026.02.*',
  );
});

test('a year of retention stays a short URL: 13 month patterns', () => {
  const now = Date.UTC(2026, 6, 15, 10);
  const index = searchIndices('api-sessions', now - 365 * DAY, now);
  expect(index.split(',')).toHaveLength(13);
  expect(index.length).toBeLessThan(500);
});

test('beyond two years: the prefix-safe pattern of every daily index', () => {
  expect(searchIndices('p', Date.UTC(2020, 0, 1), Date.UTC(2026, 0, 1))).toBe('p-requests-2*');
});
