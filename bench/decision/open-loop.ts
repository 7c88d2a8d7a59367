/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second, evenly spaced), whatever the
 * answers do, over a pool of keep-alive connections — the way a proxy's auth sub-requests arrive. Requests are
 * written as pre-built HTTP/1.1 bytes on raw sockets (one in flight per connection; a request that finds every
 * connection busy waits in a queue, and that wait counts), so the generator itself costs little CPU. Latency is
 * timed with a sub-millisecond clock from the moment the generator queues the request to the end of the answer;
 * `lag` is how late the generator queued it after it was due (its own timer jitter, not the service).
 *
 * autocannon's `overallRate` is not used for the latency target: it sends each connection's quota for the second
 * back to back and then pauses, so the service sees bursts at connection concurrency, not a steady rate.
 */
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';

/** What one open-loop run measured. */
export interface OpenLoopResult {
  seconds: number;
  sent: number;
  answered: number;
  errors: number;
  statuses: Record<number, number>;
  /** Per request, ms, from the moment it was queued to the end of the answer. */
  latencyMs: Float64Array;
  /** Per request, ms, how late the generator started it. */
  lagMs: Float64Array;
}

/** `GET <path>` requests as HTTP/1.1 bytes for `url`'s host, with the given headers. */
export function buildRequests(url: string, list: { path: string; headers: Record<string, string> }[]): Buffer[] {
  const host = new URL(url).host;
  return list.map(({ path, headers }) => {
    let text = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
    for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
    return Buffer.from(`${text}\r\n`, 'latin1');
  });
}

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private buf: Buffer = Buffer.alloc(0);
  inFlight: number | undefined;
  readonly socket: net.Socket;

  constructor(
    target: URL,
    private readonly onAnswer: (c: Connection, i: number, status: number) => void,
    private readonly onFail: (c: Connection, i: number | undefined) => void,
  ) {
    this.socket = net.connect(Number(target.port), target.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.onFail(this, this.inFlight));
  }

  send(i: number, bytes: Buffer): void {
    this.inFlight = i;
    this.socket.write(bytes);
  }

  /** Parses answers (status line, Content-Length, body) as they arrive. */
  private read(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = this.buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (this.buf.length < total) return;
      this.buf = this.buf.subarray(total);
      const i = this.inFlight!;
      this.inFlight = undefined;
      this.onAnswer(this, i, status);
    }
  }
}

/** Runs `rate × seconds` requests, request `i` being `requests[i % requests.length]`; resolves when all are in. */
export async function openLoop(opts: {
  url: string;
  rate: number;
  seconds: number;
  requests: Buffer[];
  connections?: number;
}): Promise<OpenLoopResult> {
  const target = new URL(opts.url);
  const total = Math.round(opts.rate * opts.seconds);
  const latencyMs = new Float64Array(total).fill(NaN);
  const lagMs = new Float64Array(total);
  const statuses: Record<number, number> = {};
  const interval = 1000 / opts.rate;
  const queue: number[] = [];
  let head = 0;
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let start = 0;

  return new Promise<OpenLoopResult>((resolve) => {
    const idle: Connection[] = [];
    const all: Connection[] = [];
    const finishIfDone = () => {
      if (sent < total || answered + errors < total) return;
      for (const c of all) c.socket.destroy();
      resolve({ seconds: (performance.now() - start) / 1000, sent, answered, errors, statuses, latencyMs, lagMs });
    };
    const dispatch = (c: Connection) => {
      if (head < queue.length) c.send(queue[head], opts.requests[queue[head++] % opts.requests.length]);
      else idle.push(c);
    };
    const onAnswer = (c: Connection, i: number, status: number) => {
      latencyMs[i] = performance.now() - (start + i * interval) - lagMs[i];
      statuses[status] = (statuses[status] ?? 0) + 1;
      answered++;
      dispatch(c);
      finishIfDone();
    };
    const onFail = (c: Connection, i: number | undefined) => {
      // A closed connection must never be handed a request again (the server may close idle keep-alive sockets).
      const waiting = idle.indexOf(c);
      if (waiting !== -1) idle.splice(waiting, 1);
      if (i !== undefined && answered + errors < total) {
        errors++;
        finishIfDone();
      }
      const k = all.indexOf(c);
      if (k !== -1 && sent < total) {
        all[k] = new Connection(target, onAnswer, onFail);
        dispatch(all[k]);
      }
    };
    for (let k = 0; k < (opts.connections ?? 32); k++) {
      const c = new Connection(target, onAnswer, onFail);
      all.push(c);
      idle.push(c);
    }
    start = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (sent < due) {
        const i = sent++;
        lagMs[i] = now - (start + i * interval);
        queue.push(i);
        const c = idle.pop();
        if (c) dispatch(c);
      }
      if (sent === total) {
        clearInterval(timer);
        finishIfDone();
      }
    }, 1);
  });
}

/** The p-th percentile (0–100) of the finite values, or NaN. */
export function quantile(values: Float64Array, p: number): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return NaN;
  return finite[Math.min(finite.length - 1, Math.max(0, Math.ceil((p / 100) * finite.length) - 1))];
}
