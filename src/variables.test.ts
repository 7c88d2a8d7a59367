import './test/setup';
import { toMetricFindValues } from './variables';

describe('toMetricFindValues', () => {
  it('maps service values to variable options', () => {
    expect(
      toMetricFindValues({
        values: [
          { value: 'api.example.com', count: 3 },
          { value: '404', count: 1 },
        ],
      }),
    ).toEqual([
      { text: 'api.example.com', value: 'api.example.com' },
      { text: '404', value: '404' },
    ]);
  });

  it('returns nothing for an empty answer', () => {
    expect(toMetricFindValues(undefined)).toEqual([]);
  });
});
