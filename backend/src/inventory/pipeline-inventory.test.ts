import { createPipeline } from '../ingest/pipeline';
import { DEFAULT_RULES } from '../session/rules';
import { createStaticInventory } from './inventory';
import { parseSpec } from './spec';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const base = { ts: NOW - 1000, host: 'API.example.com', method: 'get', status: 200, client_ip: '192.0.2.1' };
const v1 = parseSpec(
  'openapi: 3.0.3\ninfo: {title: t, version: "1"}\nservers: [{url: "https://api.example.com/v2"}]\npaths:\n  /users/{id}: {get: {}}\n  /old: {get: {}}\n',
);
const v2 = parseSpec(
  'openapi: 3.1.0\ninfo: {title: t, version: "2"}\nservers: [{url: "https://api.example.com/v2"}]\npaths:\n  /users/{id}: {get: {}}\n  /login: {post: {}}\n',
);

describe('pipeline with the API inventory', () => {
  const pipeline = createPipeline({
    rules: DEFAULT_RULES,
    secret: 'secret-0123456789abcdef',
    retentionDays: 7,
    inventory: createStaticInventory([{ kind: 'host', name: 'api.example.com', versions: [v1, v2] }]),
  });
  const run = (...values: unknown[]) =>
    pipeline
      .run(
        values.map((value, index) => ({ index, value })),
        NOW,
      )
      .docs.map((d) => d.doc);

  it('stores api_status, the spec endpoint and flows', () => {
    const [doc, zombie, shadow, login, other] = run(
      { ...base, path: '/v2/users/abc?x=1', endpoint: '/node/{template}' },
      { ...base, path: '/v2/old' },
      { ...base, path: '/v2/users/1/password' },
      { ...base, method: 'POST', path: '/v2/login' },
      { ...base, host: 'other.example.com', path: '/admin/users/5' },
    );
    expect(doc).toMatchObject({ api_status: 'documented', endpoint: '/v2/users/{id}', flows: [] });
    expect(zombie).toMatchObject({ api_status: 'zombie', endpoint: '/v2/old' });
    expect(shadow).toMatchObject({
      api_status: 'shadow',
      endpoint: '/v2/users/{int}/password',
      flows: ['account_management'],
    });
    expect(login).toMatchObject({ api_status: 'documented', endpoint: '/v2/login', flows: ['authentication'] });
    expect(other).toMatchObject({ api_status: 'unknown', endpoint: '/admin/users/{int}', flows: ['admin'] });
  });

  it('defaults to no specs (unknown) and the built-in flows', () => {
    const plain = createPipeline({ rules: DEFAULT_RULES, secret: 'secret-0123456789abcdef', retentionDays: 7 });
    const [doc] = plain.run([{ index: 0, value: { ...base, method: 'POST', path: '/api/signup' } }], NOW).docs;
    expect(doc.doc).toMatchObject({ api_status: 'unknown', flows: ['account_creation'] });
  });
});
