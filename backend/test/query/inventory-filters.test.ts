/** API inventory fields in queries: `api_status` / `flow` filters and breakdowns, against the real node. */
import type { Client } from '@opensearch-project/opensearch';
import type { StoredRequest } from '../../src/storage/mappings';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { DAY, NOW, loadDocs, makeRequest, rows, startQueryServer, type QueryServer } from './fixtures';

let client: Client;
let prefix: string;
let server: QueryServer;
const T0 = NOW - DAY;

function dataset(): StoredRequest[] {
  const docs: StoredRequest[] = [];
  for (let i = 0; i < 6; i++) docs.push(makeRequest('login-user', T0 + i * 1000, { endpoint: '/api/login', api_status: 'documented', flows: ['authentication'] }));
  for (let i = 0; i < 3; i++) docs.push(makeRequest('shadow-user', T0 + i * 1000, { endpoint: '/internal/debug', api_status: 'shadow', flows: [] }));
  docs.push(makeRequest('shadow-user', T0 + 5000, { endpoint: '/api/pay', api_status: 'zombie', flows: ['billing', 'admin'] }));
  return docs;
}

beforeAll(async () => {
  client = testClient();
  prefix = uniquePrefix('query-inventory');
  await loadDocs(client, prefix, dataset());
  server = await startQueryServer(client, prefix);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await deletePrefix(client, prefix);
  await client.close();
});

const q = async (body: Record<string, unknown>) => {
  const res = await server.query({ from: T0 - 60_000, to: T0 + 60_000, ...body });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.frames as any[];
};

describe('API inventory fields in queries', () => {
  test('requests filtered by api_status and by flow, exact values only', async () => {
    expect(rows((await q({ queryType: 'requests', api_status: 'shadow' }))[0])).toHaveLength(3);
    expect(rows((await q({ queryType: 'requests', flow: 'billing' }))[0]).map((r) => r.endpoint)).toEqual(['/api/pay']);
    expect(rows((await q({ queryType: 'requests', flow: 'auth*' }))[0])).toHaveLength(0);
  });

  test('sessions that called a shadow or zombie endpoint', async () => {
    const sessions = rows((await q({ queryType: 'sessions', api_status: 'zombie' }))[0]);
    expect(sessions.map((s) => s.session_id)).toEqual(['shadow-user']);
    expect(sessions[0].requests).toBe(4); // the whole session, not only the matching request
  });

  test('breakdown by flow and by api_status', async () => {
    const byFlow = Object.fromEntries(rows((await q({ queryType: 'breakdown', by: 'flow' }))[0]).map((r) => [r.value, r.count]));
    expect(byFlow).toEqual({ authentication: 6, billing: 1, admin: 1 });
    const byStatus = Object.fromEntries(rows((await q({ queryType: 'breakdown', by: 'api_status' }))[0]).map((r) => [r.value, r.count]));
    expect(byStatus).toEqual({ documented: 6, shadow: 3, zombie: 1 });
  });
});
