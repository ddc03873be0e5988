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
    shutdown.addEventListener('abort', end, { once: true });
    try {
      // The response ends once the comment is out, even if `run` is slow to notice.
      await Promise.race([run(stream), ended]);
    } finally {
      shutdown.removeEventListener('abort', end);
    }
  });
  response.headers.set('Cache-Control', 'no-cache, no-transform');
  response.headers.set('X-Accel-Buffering', 'no');
  return response;
}
