import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { addInventoryFieldsToIndices } from '../../src/inventory/index-upgrade';

const client = testClient();
const prefix = uniquePrefix('inv-upgrade');
afterAll(async () => {
  await deletePrefix(client, prefix);
  await client.close();
});

it('adds api_status and flows to a request index created before the inventory (and is idempotent)', async () => {
  const index = `${prefix}-requests-2026.01.01`;
  await client.indices.create({
    index,
    body: { mappings: { dynamic: false, properties: { host: { type: 'keyword' } } } },
  } as never);
  await addInventoryFieldsToIndices(client, prefix);
  await addInventoryFieldsToIndices(client, prefix);
  const res = await client.indices.getMapping({ index });
  expect((res.body as any)[index].mappings.properties).toMatchObject({
    host: { type: 'keyword' },
    api_status: { type: 'keyword' },
    flows: { type: 'keyword' },
  });
  await expect(addInventoryFieldsToIndices(client, uniquePrefix('inv-none'))).resolves.toBeUndefined();
});
