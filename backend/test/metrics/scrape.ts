/** Scrapes a service's /metrics as Prometheus would, for tests. */

/** The metrics token the tests configure (METRICS_TOKENS). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

/**
 * GET /metrics with `token`; returns the samples as `name{labels}` → value (throws unless 200 in Prometheus's text
 * format). A counter with labels that never counted has no sample: read it as `?? 0`.
 */
export async function scrapeMetrics(url: string, token = TEST_METRICS_TOKEN): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('text/plain; version=0.0.4'))
    throw new Error(`GET /metrics: ${res.status} ${type}`);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
