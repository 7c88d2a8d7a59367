import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { deleteExpiredIndices } from '../../src/storage/retention';
import { indexForTime } from '../../src/storage/indices';
import { installTemplate } from '../../src/storage/template';
import { DAY_MS as DAY } from '../../src/durations';

const prefix = uniquePrefix('retention');
const client = testClient();

afterAll(async () => {
  await deletePrefix(client, prefix);
  await client.close();
});

describe('retention on the real node', () => {
  it('deletes back-dated daily indices past RETENTION_DAYS by name and keeps the rest', async () => {
    await installTemplate(client, { indexPrefix: prefix, indexReplicas: 0, indexShards: 1 });
    const now = Date.now();
    const days = [0, 3, 7, 8, 12].map((d) => indexForTime(prefix, now - d * DAY));
    for (const index of days) await client.indices.create({ index });
    await client.indices.create({ index: `${prefix}-other` });
    const deleted = await deleteExpiredIndices(client, prefix, now, 7);
    expect(deleted.sort()).toEqual([days[3], days[4]].sort());
    const left = (await client.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' } as never)).body as {
      index: string;
    }[];
    expect(left.map((r) => r.index).sort()).toEqual([days[0], days[1], days[2], `${prefix}-other`].sort());
  });
});
