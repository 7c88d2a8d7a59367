import { isDecisionPath } from './decision-route';

describe('isDecisionPath', () => {
  it('is the decision endpoint, its query string and its Envoy sub-paths only', () => {
    for (const url of ['/v1/decision', '/v1/decision?x=1', '/v1/decision/', '/v1/decision/orders/7?id=1'])
      expect(isDecisionPath(url)).toBe(true);
    for (const url of [
      undefined,
      '',
      '/',
      '/v1/decisions',
      '/v1/decisionx',
      '/v2/decision',
      '/v1/Decision',
      '/v1/blocks',
    ])
      expect(isDecisionPath(url)).toBe(false);
  });
});
