import express from 'express';
import type { AddressInfo } from 'node:net';
import { AppError, errorMiddleware, InputError } from '../http/errors';
import { createMetrics } from './metrics';
import { timeQueries } from './query-timer';

/** A tiny app shaped like the service's /v1/query wiring, whose handler answers what the body asks for. */
async function withApp(run: (post: (body: object) => Promise<number>) => Promise<void>) {
  const metrics = createMetrics();
  const app = express();
  app.use(express.json());
  app.use(
    '/v1/query',
    timeQueries(metrics, (t) => t === 'sessions' || t === 'patterns'),
  );
  app.post('/v1/query', (req) => {
    const { fail } = req.body as { fail?: string };
    if (fail === 'busy') throw new AppError(429, 'too_many_queries', 'busy', undefined, 1);
    if (fail === 'broad') throw new InputError('narrow it', [{ field: 'from', message: 'x' }], 'query_too_broad');
    if (fail === 'slow') throw new AppError(504, 'query_timeout', 'slow');
    throw new InputError('bad', [{ field: 'limit', message: 'x' }]);
  });
  app.use(errorMiddleware({ error: () => {} }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/query`;
  try {
    await run(async (body) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.text();
      return res.status;
    });
    return await metrics.registry.getMetricsAsJSON();
  } finally {
    server.close();
  }
}

describe('timeQueries', () => {
  it('counts budget refusals by error code and times every query by type and status', async () => {
    const json = await withApp(async (post) => {
      expect(await post({ queryType: 'sessions', fail: 'busy' })).toBe(429);
      expect(await post({ queryType: 'patterns', fail: 'broad' })).toBe(400);
      expect(await post({ queryType: 'sessions', fail: 'slow' })).toBe(504);
      expect(await post({ queryType: 'sessions' })).toBe(400); // an ordinary 400 is not a refusal
      expect(await post({ queryType: '<script>' })).toBe(400);
    });
    const values = (name: string) => json.find((m) => m.name === name)!.values;
    expect(values('api_sessions_query_refusals_total').map((v) => [v.labels, v.value])).toEqual([
      [{ query_type: 'sessions', reason: 'too_many_queries' }, 1],
      [{ query_type: 'patterns', reason: 'query_too_broad' }, 1],
      [{ query_type: 'sessions', reason: 'query_timeout' }, 1],
    ]);
    const counts = values('api_sessions_query_duration_seconds')
      .filter((v) => (v as { metricName?: string }).metricName === 'api_sessions_query_duration_seconds_count')
      .map((v) => `${v.labels.query_type}:${v.labels.status}=${v.value}`);
    expect(counts.sort()).toEqual([
      'patterns:400=1',
      'sessions:400=1',
      'sessions:429=1',
      'sessions:504=1',
      'unknown:400=1',
    ]);
    expect(values('api_sessions_queries_in_flight')[0].value).toBe(0);
  });
});
