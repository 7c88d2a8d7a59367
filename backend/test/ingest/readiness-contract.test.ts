/**
 * The answers of GET /readyz, as the Grafana plugin's health check reads them (pkg/plugin/health.go): the real
 * service's answers are compared with pkg/plugin/testdata/readyz_*.json, which the Go tests decode. A change of
 * shape fails here, and `UPDATE_GOLDEN=1` rewrites the files (then the Go tests show what the "Test" button says).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService } from '../service';

const GOLDEN = path.resolve(__dirname, '../../../pkg/plugin/testdata');
const prefix = uniquePrefix('readyz');

afterAll(async () => {
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

/** The cluster's colour depends on other tests' indices on the shared node: the files say green. */
const normalise = (body: Record<string, unknown>) =>
  body.opensearch === 'yellow' ? { ...body, opensearch: 'green' } : body;

function expectGolden(name: string, status: number, body: Record<string, unknown>): void {
  const file = path.join(GOLDEN, `readyz_${name}.json`);
  const answer = { status, body: normalise(body) };
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file))
    writeFileSync(file, `${JSON.stringify(answer, null, 2)}\n`);
  expect(answer).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('GET /readyz answers (the plugin health check contract)', () => {
  it('unreachable, template not installed yet, ok', async () => {
    const down = await startTestService(prefix, { OPENSEARCH_URL: 'http://127.0.0.1:9' });
    try {
      const r = await down.get('/readyz');
      expectGolden('unreachable', r.status, r.json);
    } finally {
      await down.stop();
    }
    const svc = await startTestService(prefix);
    try {
      const fresh = await svc.get('/readyz'); // the template is installed by the first write
      expectGolden('no_template', fresh.status, fresh.json);
      await svc.post('/v1/requests', [record({ id: 'rz-1' }), record({ id: 'rz-2' }), record({ id: 'rz-3' })]);
      await svc.client.indices.refresh({ index: `${prefix}-requests-*` });
      const ok = await svc.get('/readyz');
      expectGolden('ok', ok.status, ok.json);
    } finally {
      await svc.stop();
    }
  });
});
