import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

/**
 * A Server-Sent Events response. Proxies must neither transform nor buffer it: streamSSE sets its own
 * `no-cache`, so the headers are set on the response it returns.
 */
export function sseResponse(c: Context, run: (stream: SSEStreamingApi) => Promise<void>): Response {
  const response = streamSSE(c, run);
  response.headers.set('Cache-Control', 'no-cache, no-transform');
  response.headers.set('X-Accel-Buffering', 'no');
  return response;
}
