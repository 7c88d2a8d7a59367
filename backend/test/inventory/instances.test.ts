/**
 * Specs and flows across several service instances (issue 20): an OpenAPI spec uploaded to one instance reaches the
 * others through `<prefix>-specs` (each copies it into its own SPECS_DIR within SPECS_REFRESH_MS); uploads racing on
 * two instances get distinct versions in the same order everywhere; FLOWS_CONFIG is a file read by each instance, so
 * instances with the same file store the same flows, and a different file gives different flows (docs: the same
 * file on every instance).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, storedDocs, type TestService } from '../service';

const ADMIN = 'test-admin-token-0123456789';
const prefix = uniquePrefix('spec-instances');
const root = mkdtempSync(path.join(tmpdir(), 'spec-instances-'));
const flowsFile = path.join(root, 'flows.yaml');
const otherFlowsFile = path.join(root, 'other-flows.yaml');
const started: TestService[] = [];

const spec = (version: string, extraPath = '/extra') => `openapi: 3.0.3
info: { title: Users API, version: "${version}" }
servers: [{ url: "https://api.example.com/v2" }]
paths:
  /users/{id}:
    get: { tags: [reports] }
  ${extraPath}:
    get: {}
`;

async function instance(name: string, flows = flowsFile): Promise<TestService> {
  const svc = await startTestService(prefix, {
    SPECS_DIR: path.join(root, name),
    FLOWS_CONFIG: flows,
    ADMIN_TOKENS: ADMIN,
    SPECS_REFRESH_MS: '300',
  });
  started.push(svc);
  return svc;
}

const upload = (svc: TestService, text: string) =>
  svc.post('/v1/specs?host=api.example.com', null, {
    raw: text,
    token: ADMIN,
    headers: { 'content-type': 'application/yaml' },
  });

/** The host's versions as an instance lists them: [file, info_version] in order. */
async function versionsOn(svc: TestService): Promise<string[][]> {
  const res = await svc.get('/v1/specs', ADMIN);
  const host = (res.json.scopes as { name: string; versions: { file: string; info_version: string }[] }[]).find(
    (s) => s.name === 'api.example.com',
  );
  return (host?.versions ?? []).map((v) => [v.file, v.info_version]);
}

async function eventually<T>(read: () => Promise<T>, expected: T, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  expect(last).toEqual(expected);
}

beforeAll(() => {
  writeFileSync(flowsFile, 'flows:\n  - flow: reporting\n    tags: [reports]\n');
  writeFileSync(otherFlowsFile, 'flows:\n  - flow: profile\n    endpoints: ["GET */users/*"]\n');
});
afterAll(async () => {
  for (const svc of started) await svc.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
  rmSync(root, { recursive: true, force: true });
});

describe('several instances', () => {
  it('a spec uploaded to one instance is used by another', async () => {
    const a = await instance('a');
    const b = await instance('b');
    const res = await upload(a, spec('1'));
    expect([res.status, res.json.version, res.json.file]).toEqual([201, 1, '1.yaml']);
    await eventually(() => versionsOn(b), [['1.yaml', '1']]);
    expect(readdirSync(path.join(root, 'b', 'hosts', 'api.example.com'))).toEqual(['1.yaml']);
    // B classifies with it: the request is documented, its endpoint is the spec's path, its flow from FLOWS_CONFIG.
    expect((await b.post('/v1/requests', record({ id: 'via-b', path: '/v2/users/7' }))).status).toBe(200);
    const [doc] = await storedDocs(b.client, prefix, 'via-b');
    expect(doc).toMatchObject({ api_status: 'documented', endpoint: '/v2/users/{id}', flows: ['reporting'] });
  });

  it('a new instance starts with the uploads made before it', async () => {
    const c = await instance('c');
    await eventually(() => versionsOn(c), [['1.yaml', '1']]);
  });

  it('uploads racing on two instances become distinct versions, in the same order on every instance', async () => {
    const [a, b] = started;
    const answers = await Promise.all([upload(a, spec('2a', '/from-a')), upload(b, spec('2b', '/from-b'))]);
    expect(answers.map((r) => [r.status, r.status === 201 ? '' : JSON.stringify(r.json)])).toEqual([
      [201, ''],
      [201, ''],
    ]);
    expect(new Set(answers.map((r) => r.json.file)).size).toBe(2);
    const expected = await (async () => {
      // Whichever won the race holds 2.yaml; the order is the index's, the same everywhere.
      const byFile = new Map(answers.map((r) => [r.json.file as string, r.json.info_version as string]));
      return [
        ['1.yaml', '1'],
        ...[...byFile.entries()].sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true })),
      ];
    })();
    for (const svc of started) await eventually(() => versionsOn(svc), expected);
  });

  it('FLOWS_CONFIG is per instance: the same file gives the same flows, another file other flows', async () => {
    const d = await instance('d', otherFlowsFile);
    await eventually(async () => (await versionsOn(d)).length > 0, true);
    const [a] = started;
    expect((await a.post('/v1/requests', record({ id: 'flows-a', path: '/v2/users/8' }))).status).toBe(200);
    expect((await d.post('/v1/requests', record({ id: 'flows-d', path: '/v2/users/8' }))).status).toBe(200);
    const [onA] = await storedDocs(a.client, prefix, 'flows-a');
    const [onB] = await storedDocs(a.client, prefix, 'via-b');
    const [onD] = await storedDocs(a.client, prefix, 'flows-d');
    expect(onA.flows).toEqual(onB.flows); // same file
    expect([onA.flows, onD.flows]).toEqual([['reporting'], ['profile']]);
  });
});
