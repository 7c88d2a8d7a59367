/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second, evenly spaced), whatever the
 * answers do, over a pool of keep-alive connections — the way a proxy's auth sub-requests arrive. Latency is timed
 * per request with a sub-millisecond clock from the moment it is handed to the connection pool (so waiting for a
 * free connection counts); `lag` is how late the generator itself started it (its own timer jitter, not the service).
 *
 * autocannon's `overallRate` is not used for the latency target: it sends each connection's quota for the second
 * back to back and then pauses, so the service sees bursts at connection concurrency, not a steady rate.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** What one open-loop run measured. */
export interface OpenLoopResult {
  seconds: number;
  sent: number;
  answered: number;
  errors: number;
  statuses: Record<number, number>;
  /** Per request, ms, from hand-off to the end of the answer. */
  latencyMs: Float64Array;
  /** Per request, ms, how late the generator started it. */
  lagMs: Float64Array;
}

/** Runs `rate × seconds` requests `GET url+path(i)` with `headers(i)`; resolves when every answer is in. */
export async function openLoop(opts: {
  url: string;
  rate: number;
  seconds: number;
  path: (i: number) => string;
  headers: (i: number) => Record<string, string>;
  sockets?: number;
}): Promise<OpenLoopResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.sockets ?? 32 });
  const total = Math.round(opts.rate * opts.seconds);
  const latencyMs = new Float64Array(total).fill(NaN);
  const lagMs = new Float64Array(total);
  const statuses: Record<number, number> = {};
  let sent = 0;
  let answered = 0;
  let errors = 0;
  const start = performance.now();
  const interval = 1000 / opts.rate;

  await new Promise<void>((resolve) => {
    const finishIfDone = () => {
      if (sent === total && answered + errors === total) resolve();
    };
    const fire = (i: number) => {
      const t0 = performance.now();
      lagMs[i] = t0 - (start + i * interval);
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: opts.path(i),
          headers: opts.headers(i),
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencyMs[i] = performance.now() - t0;
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            answered++;
            finishIfDone();
          });
        },
      );
      req.on('error', () => {
        errors++;
        finishIfDone();
      });
      req.end();
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent === total) {
        clearInterval(timer);
        finishIfDone();
      }
    }, 1);
  });
  agent.destroy();
  return { seconds: (performance.now() - start) / 1000, sent, answered, errors, statuses, latencyMs, lagMs };
}

/** The p-th percentile (0–100) of the finite values, or NaN. */
export function quantile(values: Float64Array, p: number): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return NaN;
  return finite[Math.min(finite.length - 1, Math.max(0, Math.ceil((p / 100) * finite.length) - 1))];
}
