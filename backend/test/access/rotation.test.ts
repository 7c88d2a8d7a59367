/**
 * Rotations (docs/operations.md "Rotating tokens" and "Rotating SESSION_SECRET"), on the real service and node:
 * - token lists: old and new tokens both work while both are listed, the old one stops once removed; the lists
 *   (and their `_FILE`s) are read once at start-up, so each change takes a restart of each instance;
 * - SESSION_SECRET: the same identifier gets another session key under the new secret, so a session that spans
 *   the rotation is shown as two sessions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { record, startTestService, storedDocs, TEST_TOKENS } from '../service';

const prefix = uniquePrefix('rotation');
const OLD = 'old-ingest-token-0123456789';
const NEW = 'new-ingest-token-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'rotation-'));

afterAll(async () => {
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingestStatus = async (svc: Awaited<ReturnType<typeof startTestService>>, token: string) =>
  (await svc.post('/v1/requests', record(), { token })).status;

describe('rotating ingest tokens without downtime', () => {
  it('accepts old and new while both are listed, then only the new one', async () => {
    const both = await startTestService(prefix, { INGEST_TOKENS: `${OLD},${NEW}` });
    try {
      expect([await ingestStatus(both, OLD), await ingestStatus(both, NEW)]).toEqual([200, 200]);
    } finally {
      await both.stop();
    }
    const newOnly = await startTestService(prefix, { INGEST_TOKENS: NEW });
    try {
      expect([await ingestStatus(newOnly, OLD), await ingestStatus(newOnly, NEW)]).toEqual([401, 200]);
    } finally {
      await newOnly.stop();
    }
  });

  it('reads INGEST_TOKENS_FILE once at start-up: a changed file applies after a restart', async () => {
    const file = path.join(dir, 'ingest-tokens');
    writeFileSync(file, `${OLD}\n`);
    const env = { INGEST_TOKENS: '', INGEST_TOKENS_FILE: file };
    const before = await startTestService(prefix, env);
    try {
      writeFileSync(file, `${NEW}\n`);
      expect([await ingestStatus(before, OLD), await ingestStatus(before, NEW)]).toEqual([200, 401]);
    } finally {
      await before.stop();
    }
    const after = await startTestService(prefix, env);
    try {
      expect([await ingestStatus(after, OLD), await ingestStatus(after, NEW)]).toEqual([401, 200]);
    } finally {
      await after.stop();
    }
  });
});

describe('rotating SESSION_SECRET', () => {
  it('gives the same identifier a new session key, so a session spanning the rotation becomes two', async () => {
    const send = async (secret: string, id: string) => {
      const svc = await startTestService(prefix, { SESSION_SECRET: secret });
      try {
        const body = record({ id, identifiers: { cookies: { PHPSESSID: 'one-visitor-session' } } });
        expect((await svc.post('/v1/requests', body, { token: TEST_TOKENS.ingest })).status).toBe(200);
      } finally {
        await svc.stop();
      }
    };
    await send('first-session-secret-0123456789', 'rot-1');
    await send('first-session-secret-0123456789', 'rot-2');
    await send('second-session-secret-0123456789', 'rot-3');
    const client = testClient();
    try {
      const docs = await storedDocs(client, prefix, 'rot-');
      const keys = Object.fromEntries(docs.map((d) => [d.id, d.session.key]));
      expect(keys['rot-1']).toBe(keys['rot-2']);
      expect(keys['rot-3']).not.toBe(keys['rot-1']);
      expect(new Set(docs.map((d) => d.session.key_source))).toEqual(new Set(['cookie:PHPSESSID']));
    } finally {
      await client.close();
    }
  });
});
