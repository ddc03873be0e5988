import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

/**
 * What the HTTP server passes to every request beside Node's own `incoming`/`outgoing` bindings:
 * `shutdown` aborts when the server starts closing (see `startServer`).
 */
export interface ShutdownBindings {
  shutdown?: AbortSignal;
}

/**
 * What to run on each signal's abort, in one listener per signal: Node's EventTarget walks its listener
 * list on every add and remove (a duplicate check), so one listener per open stream made each connect
 * O(open streams); bench:sse spent 4.6 of 96 CPU-seconds there with 5,000 streams.
 */
const onShutdown = new WeakMap<AbortSignal, Set<() => void>>();

function whenAborted(signal: AbortSignal, run: () => void): () => void {
  let runs = onShutdown.get(signal);
  if (runs === undefined) {
    const all = new Set<() => void>();
    runs = all;
    onShutdown.set(signal, all);
    signal.addEventListener(
      'abort',
      () => {
        for (const each of all) each();
        all.clear();
      },
      { once: true },
    );
  }
  const mine = runs;
  mine.add(run);
  return () => mine.delete(run);
}

/**
 * A Server-Sent Events response. Proxies must neither transform nor buffer it: streamSSE sets its own
 * `no-cache`, so the headers are set on the response it returns.
 *
 * `stream.onAbort` listeners run when the client goes away or when the server shuts down. On shutdown the
 * stream gets a last `: shutting down` comment and the response ends right after it (whether or not `run`
 * has returned yet), so an EventSource reconnects, to another node, instead of holding the shutdown up.
 */
export function sseResponse(c: Context, run: (stream: SSEStreamingApi) => Promise<void>): Response {
  const shutdown = (c.env as ShutdownBindings | undefined)?.shutdown;
  const response = streamSSE(c, async (stream) => {
    if (shutdown === undefined) return run(stream);
    const bye = () => stream.write(': shutting down\n\n');
    if (shutdown.aborted) {
      await bye();
      return;
    }
    let end!: () => void;
    const ended = new Promise<void>((resolve) => {
      end = () =>
        void bye().then(() => {
          stream.abort();
          resolve();
        });
    });
    const forget = whenAborted(shutdown, end);
    try {
      // The response ends once the comment is out, even if `run` is slow to notice.
      await Promise.race([run(stream), ended]);
    } finally {
      forget();
    }
  });
  // Without streamSSE's explicit `Transfer-Encoding: chunked`, @hono/node-server waits a tick for the first
  // chunk and sends it with the headers in one write, instead of flushing the headers alone first (one
  // syscall less per connect: bench:sse's storm profile had 2.0 of 17 s in that header write). Node still
  // chunks the body, since it has no length.
  response.headers.delete('Transfer-Encoding');
  response.headers.set('Cache-Control', 'no-cache, no-transform');
  response.headers.set('X-Accel-Buffering', 'no');
  return response;
}
