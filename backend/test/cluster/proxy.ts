/**
 * A tiny round-robin HTTP proxy for tests: one address in front of several service instances, the way a load
 * balancer would be. Each request goes to the next upstream; `served` counts what each one got.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface Proxy {
  url: string;
  /** Requests forwarded to each upstream (by index). */
  served: number[];
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port in front of `upstreams` (base URLs, http only). */
export async function startRoundRobinProxy(upstreams: string[]): Promise<Proxy> {
  const served = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const i = next++ % upstreams.length;
    served[i]++;
    const target = new URL(req.url ?? '/', upstreams[i]);
    const up = request(target, { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: err.message } }));
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
