import { compileFlows, compilePattern, parseFlowConfig } from './flows';

describe('flow rules', () => {
  const flows = compileFlows();

  it.each([
    ['POST', '/api/v1/login', ['authentication']],
    ['GET', '/oauth/token', ['authentication']],
    ['POST', '/api/users', ['account_creation']],
    ['GET', '/api/users', []],
    ['POST', '/signup', ['account_creation']],
    ['PUT', '/users/{int}/password', ['account_management']],
    ['GET', '/v1/billing/invoices/{int}', ['billing']],
    ['DELETE', '/admin/users/{int}', ['admin']],
    ['POST', '/sms/send', ['messaging_gateway']],
    ['POST', '/v1/chat/completions', ['ai_llm']],
    ['POST', '/v1/embeddings', ['ai_llm']],
    ['GET', '/api/v1/products/{int}', []],
  ])('defaults: %s %s → %j', (method, endpoint, expected) => {
    expect(flows.forEndpoint(method, endpoint)).toEqual(expected);
  });

  it('gives every matching flow, sorted and distinct; ignores case and a trailing slash', () => {
    expect(flows.forEndpoint('POST', '/Admin/Login/')).toEqual(['admin', 'authentication']);
  });

  it('returns the same frozen list for repeated lookups (memoised)', () => {
    const a = flows.forEndpoint('POST', '/login');
    expect(flows.forEndpoint('POST', '/login')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('matches operations by tag and operation id as well', () => {
    const custom = compileFlows(
      parseFlowConfig('flows:\n  - flow: reporting\n    tags: [Reports]\n    operation_ids: [exportCsv]\n'),
    );
    expect(custom.forOperation('GET', '/r/{id}', ['reports'], undefined)).toEqual(['reporting']);
    expect(custom.forOperation('GET', '/x', [], 'exportCsv')).toEqual(['reporting']);
    expect(custom.forOperation('POST', '/login', [], 'exportCsv')).toEqual(['authentication', 'reporting']);
  });

  it('lets the user disable built-in flows or all of them', () => {
    const noSms = compileFlows(
      parseFlowConfig(
        'disable_defaults: [messaging_gateway]\nflows:\n  - flow: messaging_gateway\n    endpoints: ["POST */sms/send"]',
      ),
    );
    expect(noSms.forEndpoint('GET', '/verify/email')).toEqual([]);
    expect(noSms.forEndpoint('POST', '/sms/send')).toEqual(['messaging_gateway']);
    const none = compileFlows(
      parseFlowConfig('defaults: false\nflows: [{flow: shop, endpoints: ["GET,PUT */cart*"]}]'),
    );
    expect(none.forEndpoint('POST', '/login')).toEqual([]);
    expect(none.forEndpoint('PUT', '/api/cart/1')).toEqual(['shop']);
    expect(none.forEndpoint('POST', '/api/cart/1')).toEqual([]);
  });

  it('rejects invalid rules naming the field', () => {
    expect(() => parseFlowConfig('flows: [{flow: x}]')).toThrow(
      /flows\.0: a rule needs at least one of endpoints, tags, operation_ids/,
    );
    expect(() => parseFlowConfig('flows: [{flow: "bad name", endpoints: ["/x"]}]')).toThrow(/flows\.0\.flow/);
    expect(() => parseFlowConfig('flow: []')).toThrow(/Unrecognized key/);
  });

  it('compiles patterns: methods, anchors, escaped regex characters', () => {
    const p = compilePattern('POST|put */a.b/{id}*');
    expect([...(p.methods ?? [])]).toEqual(['POST', 'PUT']);
    expect(p.matches('/x/a.b/{id}/y')).toBe(true);
    expect(p.matches('/x/aXb/{id}')).toBe(false);
    expect(compilePattern('*/Login*').matches('/a\n/LOGIN')).toBe(true); // any character, case-insensitive
    expect(compilePattern('/users///').matches('/users')).toBe(true);
  });

  it('matches wildcard patterns in linear time on hostile endpoints (issue 13)', () => {
    // `*a*a*a*a*b` once became `^.*a.*a.*a.*a.*b$`: polynomial backtracking on a long run of `a`.
    const hostile = compileFlows(parseFlowConfig('flows: [{flow: x, endpoints: ["*a*a*a*a*b", "*/x*y"]}]'));
    const started = performance.now();
    expect(hostile.forEndpoint('GET', `/${'a'.repeat(8000)}`)).toEqual([]);
    expect(hostile.forEndpoint('GET', `/x${' '.repeat(8000)}\u2028`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
