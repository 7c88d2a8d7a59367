/**
 * Minimal reproducers of bugs the fuzz suite found (see docs/fuzzing.md, "Findings"). Each test is the smallest
 * input that showed the bug; they guard against it coming back. (The invalid-item flood is in memory.test.ts: it
 * needs the service as its own process.)
 */
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, type TestService } from '../service';

const client = testClient();
const prefix = uniquePrefix('fuzz-regress');
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService(prefix, { LOG_LEVEL: 'silent' });
});
afterAll(async () => {
  await svc?.stop();
  await deletePrefix(client, prefix);
  await client.close();
});

describe('ingest: a key named "constructor" in a map field (identifiers.*, context)', () => {
  // zod 4.1 `isPlainObject` reads `o.constructor.prototype`: an own `constructor: null` throws a TypeError
  // inside safeParse (→ 500, and every good record of the same body is refused with it).
  it.each([
    ['identifiers.headers', { identifiers: { headers: { constructor: null } } }],
    ['identifiers.cookies', { identifiers: { cookies: { constructor: null } } }],
    ['context', { context: { constructor: null } }],
  ])('constructor: null in %s is a 200 (key dropped) or a 400 naming the field, not a 500', async (field, extra) => {
    const res = await svc.post('/v1/requests', record(extra));
    expect([200, 400]).toContain(res.status);
    if (res.status === 400) expect(res.json.errors[0].field).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
  });

  it('a bad map in one record does not take the good records of the same body down', async () => {
    const res = await svc.post('/v1/requests', [
      record({ id: 'regress-good-1' }),
      record({ id: 'regress-good-2', context: { constructor: null } }),
    ]);
    expect(res.status).toBe(200);
    expect(res.json.accepted).toBeGreaterThanOrEqual(1);
    expect(res.json.accepted + res.json.rejected).toBe(2);
  });

  // The same check makes a *string* value under the name "constructor" fail as "expected record, received
  // object": a cookie, header or query parameter literally named `constructor` gets the whole record rejected.
  it.each([
    ['identifiers.cookies', { identifiers: { cookies: { constructor: 'abc' } } }],
    ['identifiers.query', { identifiers: { query: { constructor: '1' } } }],
    ['context', { context: { constructor: 'x' } }],
  ])('a string value under the name "constructor" in %s is accepted like any other name', async (_field, extra) => {
    const res = await svc.post('/v1/requests', record(extra));
    expect(res.json).toEqual({ accepted: 1, rejected: 0, errors: [] });
    expect(res.status).toBe(200);
  });
});

describe('query: a wildcard pattern OpenSearch refuses as too complex', () => {
  // `endpoint_pattern` becomes a `wildcard` query; OpenSearch answered 400 query_shard_exception ("Determinizing
  // automaton with 900 states and 1498 transitions would require more than 10000 effort") and runSearch passed the
  // ResponseError on, so the error middleware answered 500 (fixed in 9524c80). Expected: 400 naming endpoint_pattern.
  it('patterns with endpoint_pattern "*a" x 300 is a 400 naming endpoint_pattern, not a 500', async () => {
    const seed = await svc.post('/v1/requests', record({ id: 'regress-wild', endpoint: '/a/b' }));
    expect(seed.status).toBe(200);
    await client.indices.refresh({ index: `${prefix}-requests-*` });
    const res = await svc.post('/v1/query', {
      queryType: 'patterns',
      condition: 'endpoint',
      endpoint_pattern: '*a'.repeat(300),
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain('endpoint_pattern');
  });
});
