import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'svix';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** When the exchange ended: the answer was sent, or the sender dropped the request. */
  closedAt?: number;
  /** Set when the sender closed the connection before an answer was sent (it gave up waiting). */
  abortedAt?: number;
}

/**
 * What the receiver does with one request: answer with this status (after the receiver's `delayMs`), answer
 * after a delay of its own, or `'hang'`: never answer, holding the request open until the sender gives up.
 */
export type Answer = number | { status: number; delayMs: number } | 'hang';

/**
 * A webhook receiver on 127.0.0.1 for tests: records every request and answers with whatever
 * `respond(path, count)` says (count = requests seen on that path so far, this one included). It also
 * counts the requests it holds open (received, not yet answered or dropped), now and at the peak.
 */
export async function startReceiver(
  respond: (path: string, count: number) => Answer = () => 200,
  delayMs = 0,
) {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const open = new Map<string, number>();
  let openTotal = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const count = (counts.get(path) ?? 0) + 1;
      counts.set(path, count);
      const entry: Received = {
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(entry);
      open.set(path, (open.get(path) ?? 0) + 1);
      openTotal += 1;
      res.on('close', () => {
        open.set(path, (open.get(path) ?? 1) - 1);
        openTotal -= 1;
        entry.closedAt = Date.now();
        if (!res.writableFinished) entry.abortedAt = entry.closedAt;
      });
      const answer = respond(path, count);
      if (answer === 'hang') return;
      const [status, delay] =
        typeof answer === 'number' ? [answer, delayMs] : [answer.status, answer.delayMs];
      setTimeout(() => {
        if (res.destroyed) return;
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: status < 300, count }));
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: (path: string) => `http://127.0.0.1:${address.port}${path}`,
    received,
    on: (path: string) => received.filter((r) => r.path === path),
    /** Requests held open right now: on `path`, or on every path. */
    open: (path?: string) => (path === undefined ? openTotal : (open.get(path) ?? 0)),
    /**
     * The most requests held open at once: on `path`, or on every path together. Exact for requests the
     * receiver answered (it ends those itself). A request the sender dropped is seen to end a little late
     * (this receiver shares its event loop with the server under test), so it counts as ended
     * `dropSlackMs` before the receiver noticed.
     */
    peak: (path?: string, dropSlackMs = 0) =>
      peakOpen(
        received.filter((r) => path === undefined || r.path === path),
        dropSlackMs,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests (and idle keep-alive sockets) would otherwise keep the server open.
        server.closeAllConnections();
      }),
  };
}

function peakOpen(requests: readonly Received[], dropSlackMs: number): number {
  const edges: [number, number][] = [];
  for (const r of requests) {
    const end =
      r.closedAt === undefined
        ? Number.POSITIVE_INFINITY
        : r.abortedAt === undefined
          ? r.closedAt
          : Math.max(r.at, r.abortedAt - dropSlackMs);
    edges.push([r.at, 1], [end, -1]);
  }
  // At equal times, ends before starts: a request answered as the next one arrives does not overlap it.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** Verifies one delivery with the official svix library; returns the parsed payload. */
export function verify(secret: string, r: Received): { type: string; timestamp: string; data: any } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k] = v;
  return new Webhook(secret).verify(r.body, headers) as { type: string; timestamp: string; data: any };
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
