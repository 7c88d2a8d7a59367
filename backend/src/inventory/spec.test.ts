import { basePathsOf, parseSpec, SpecError } from './spec';

const yaml31 = `
openapi: 3.1.0
info: { title: Shop, version: "2.0" }
servers:
  - url: https://api.example.com/v2/
  - url: "{scheme}://staging.example.com/{base}"
    variables: { scheme: { default: https }, base: { default: v2 } }
paths:
  /users/{id}:
    get: { operationId: getUser, tags: [Users] }
    delete: {}
    parameters: []
  x-internal: {}
`;

describe('parseSpec', () => {
  it('reads an OpenAPI 3.1 YAML document: version, base paths, operations', () => {
    const s = parseSpec(yaml31);
    expect(s).toMatchObject({
      openapi: '3.1.0',
      title: 'Shop',
      infoVersion: '2.0',
      basePaths: ['/v2'],
      format: 'yaml',
    });
    expect(s.operations).toEqual([
      { method: 'GET', path: '/users/{id}', operationId: 'getUser', tags: ['Users'] },
      { method: 'DELETE', path: '/users/{id}', tags: [] },
    ]);
  });

  it('reads an OpenAPI 3.0 JSON document without servers (root base path)', () => {
    const s = parseSpec(
      JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/login': { post: {} } } }),
    );
    expect(s).toMatchObject({
      openapi: '3.0.3',
      basePaths: [''],
      format: 'json',
      operations: [{ method: 'POST', path: '/login', tags: [] }],
    });
  });

  it.each([
    ['broken YAML', 'openapi: 3.0.0\ninfo: [unclosed', /^not valid YAML: /],
    ['broken JSON', '{"openapi": "3.0.0",', /^not valid JSON: /],
    ['Swagger 2', 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}', /Swagger 2.0 is not supported/],
    [
      'wrong version',
      'openapi: 4.0.0\ninfo: {title: t, version: "1"}\npaths: {}',
      /^openapi: must be an OpenAPI 3.0.x or 3.1.x/,
    ],
    ['no info.version', 'openapi: 3.0.0\ninfo: {title: t}\npaths: {}', /^info\.version: /],
    [
      'path without slash',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {users: {get: {}}}',
      /paths\.users: a path must start with "\/"/,
    ],
    [
      'unbalanced template',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {"/u/{id": {get: {}}}',
      /unbalanced braces/,
    ],
    [
      'bad tags',
      'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {"/u": {get: {tags: x}}}',
      /^paths\.\/u\.get\.tags: /,
    ],
    ['empty', '  ', /empty/],
    ['a list', '[1, 2]', /must be an object/],
  ])('rejects %s with a message naming the problem', (_name, text, message) => {
    expect(() => parseSpec(text)).toThrow(SpecError);
    expect(() => parseSpec(text)).toThrow(message);
  });
});

describe('basePathsOf', () => {
  it('takes the path of absolute, relative and templated server URLs', () => {
    expect(
      basePathsOf([{ url: 'https://api.example.com' }, { url: '/api/v1/' }, { url: 'http://h:8080/x?y' }]),
    ).toEqual(['', '/api/v1', '/x']);
  });
});
