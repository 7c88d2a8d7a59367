/**
 * A real HTTP proxy in front of the test OpenSearch node that can be told to fail, for fault tests:
 *
 *   const proxy = await startFaultProxy(testOpenSearchUrl());
 *   proxy.rules.push({ match: bulkNumber(2), answer: { status: 503 } });   // the 2nd _bulk (and its retries) → 503
 *   proxy.down = true;                                                       // connections are reset (transport error)
 *   … service with OPENSEARCH_URL = proxy.url …
 *   await proxy.close();
 *
 * Requests no rule matches are forwarded unchanged. `seen` lists every request (method, path) in order.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the proxy saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** 1-based count of `_bulk` requests so far, for `_bulk` requests. */
  bulk?: number;
}

/** When `match` is true, answer `status` with an OpenSearch-style error body instead of forwarding. */
export interface FaultRule {
  match: (req: SeenRequest) => boolean;
  answer: { status: number; type?: string; reason?: string };
}

/** A running fault proxy. */
export interface FaultProxy {
  url: string;
  rules: FaultRule[];
  /** When true, every connection is reset at once (the node looks unreachable). */
  down: boolean;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Matches the `n`-th `_bulk` request and every request after it up to `last` (inclusive; default: all later). */
export const bulkNumber =
  (n: number, last = Number.POSITIVE_INFINITY) =>
  (r: SeenRequest): boolean =>
    r.bulk !== undefined && r.bulk >= n && r.bulk <= last;

/** Matches installs of composable index templates. */
export const templateInstall = (r: SeenRequest): boolean =>
  (r.method === 'PUT' || r.method === 'POST') && r.path.startsWith('/_index_template/');

/** Starts a proxy to `target` (an http:// URL) on a free port of 127.0.0.1. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let bulks = 0;
  const proxy: FaultProxy = { url: '', rules: [], down: false, seen: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    if (proxy.down) return void req.socket.destroy();
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
    if (seen.path.split('?')[0].endsWith('/_bulk')) seen.bulk = ++bulks;
    proxy.seen.push(seen);
    const rule = proxy.rules.find((r) => r.match(seen));
    if (rule) {
      req.resume();
      const { status, type = 'injected_fault', reason = `injected ${status}` } = rule.answer;
      res.writeHead(status, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { type, reason, root_cause: [{ type, reason }] }, status }));
    }
    forward(
      req,
      upstream,
      (status, headers, body) => {
        res.writeHead(status, headers);
        body.pipe(res);
      },
      () => req.socket.destroy(),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  };
  return proxy;
}

function forward(
  req: IncomingMessage,
  upstream: URL,
  onAnswer: (status: number, headers: IncomingMessage['headers'], body: IncomingMessage) => void,
  onError: () => void,
): void {
  const out = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => onAnswer(answer.statusCode ?? 502, answer.headers, answer),
  );
  out.on('error', onError);
  req.pipe(out);
}
