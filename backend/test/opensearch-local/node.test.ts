/**
 * Proves the node started by the jest global setup is a real OpenSearch over HTTP (2.19, or 3.x with
 * OPENSEARCH_VERSION=3): composable index template, bulk indexing, terms and date_histogram aggregations.
 * Run: npx jest --selectProjects backend -- opensearch-local
 */
import type { Client } from '@opensearch-project/opensearch';
import { deletePrefix, testClient, testOpenSearchUrl, uniquePrefix } from '../opensearch';
import { resolveDistribution } from '../../../opensearch-local/versions';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

describe('local OpenSearch node', () => {
  let client: Client;
  const prefix = uniquePrefix('node');

  beforeAll(() => {
    client = testClient();
  });

  afterAll(async () => {
    await deletePrefix(client, prefix);
    await client.close();
  });

  it('is the OpenSearch version asked for (OPENSEARCH_VERSION, default 2.19.6) and healthy', async () => {
    const info = await client.info();
    expect(info.body.version.distribution).toBe('opensearch');
    expect(info.body.version.number).toBe(resolveDistribution().version);
    const health = await client.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
    expect(['yellow', 'green']).toContain(health.body.status);
    expect(testOpenSearchUrl()).toMatch(/^https?:\/\//);
  });

  it('indexes through a composable template and aggregates', async () => {
    await client.indices.putIndexTemplate({
      name: `${prefix}-requests`,
      body: {
        index_patterns: [`${prefix}-requests-*`],
        template: {
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: {
            dynamic: 'strict',
            properties: {
              ts: { type: 'date' },
              method: { type: 'keyword' },
              status: { type: 'short' },
              client_ip: { type: 'ip' },
              duration_ms: { type: 'float' },
            },
          },
        },
      },
    });

    // 100 docs over two UTC days: day 1 gets 60, day 2 gets 40. Methods cycle with weights 4:3:2:1.
    const weighted = METHODS.flatMap((m, i) => Array<string>(4 - i).fill(m)); // 10 entries
    const docs = Array.from({ length: 100 }, (_, i) => {
      const day = i < 60 ? '2026-01-01' : '2026-01-02';
      const minute = i % 60;
      return {
        ts: `${day}T10:${String(minute).padStart(2, '0')}:00Z`,
        method: weighted[i % 10],
        status: i % 7 === 0 ? 500 : 200,
        client_ip: `10.0.0.${i % 5}`,
        duration_ms: i,
      };
    });
    const body = docs.flatMap((d, i) => [
      { create: { _index: `${prefix}-requests-${d.ts.slice(0, 10).replace(/-/g, '.')}`, _id: `doc-${i}` } },
      d,
    ]);
    const bulk = await client.bulk({ body, refresh: true });
    expect(bulk.body.errors).toBe(false);
    expect(bulk.body.items).toHaveLength(100);

    // the template applied (explicit mapping, no replicas)
    const mapping = await client.indices.getMapping({ index: `${prefix}-requests-2026.01.01` });
    const props = mapping.body[`${prefix}-requests-2026.01.01`].mappings.properties as Record<string, { type: string }>;
    expect(props.client_ip.type).toBe('ip');
    expect(props.status.type).toBe('short');

    const res = await client.search({
      index: `${prefix}-requests-*`,
      body: {
        size: 0,
        track_total_hits: true,
        aggs: {
          methods: { terms: { field: 'method', size: 10 } },
          per_day: { date_histogram: { field: 'ts', calendar_interval: 'day', time_zone: 'UTC' } },
          errors: { filter: { range: { status: { gte: 500 } } } },
          p50: { percentiles: { field: 'duration_ms', percents: [50] } },
        },
      },
    });
    const aggs = res.body.aggregations as unknown as {
      methods: { buckets: { key: string; doc_count: number }[] };
      per_day: { buckets: { key_as_string: string; doc_count: number }[] };
      errors: { doc_count: number };
      p50: { values: Record<string, number> };
    };
    expect((res.body.hits.total as { value: number }).value).toBe(100);
    expect(aggs.methods.buckets.map((b) => [b.key, b.doc_count])).toEqual([
      ['GET', 40],
      ['POST', 30],
      ['PUT', 20],
      ['DELETE', 10],
    ]);
    expect(aggs.per_day.buckets.map((b) => [b.key_as_string.slice(0, 10), b.doc_count])).toEqual([
      ['2026-01-01', 60],
      ['2026-01-02', 40],
    ]);
    expect(aggs.errors.doc_count).toBe(15); // i % 7 === 0 for i in 0..99
    expect(aggs.p50.values['50.0']).toBeCloseTo(49.5, 0);

    // op_type=create is idempotent per _id: a second create of the same id is a 409 per item, nothing duplicated
    const again = await client.bulk({ body: body.slice(0, 2), refresh: true });
    expect(again.body.errors).toBe(true);
    expect(again.body.items[0].create?.status).toBe(409);
    const count = await client.count({ index: `${prefix}-requests-*` });
    expect(count.body.count).toBe(100);
  });

  it('deletePrefix removes the indices and the template', async () => {
    await deletePrefix(client, prefix);
    const exists = await client.indices.exists({ index: `${prefix}-requests-*`, allow_no_indices: false });
    expect(exists.body).toBe(false);
    const tpl = await client.indices.existsIndexTemplate({ name: `${prefix}-requests` });
    expect(tpl.body).toBe(false);
  });
});
