import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busLegs, startTestServer, type TestServer } from '../support/harness.ts';

/**
 * The sync stream is written to Node's response directly (src/sync/sync-stream.routes.ts), after the
 * middleware: what the middleware puts on every response must still be on it, and streams of one user
 * share one subscription, so closing one must not stop the others.
 */
for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(`sync stream written directly [${leg} bus]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ bus: leg, env: { SSE_HEARTBEAT_MS: '300' } });
    });
    afterAll(async () => {
      await server?.close();
    });

    /** Reads an SSE response until `done(text)`; returns its status, headers and text. */
    async function read(url: string, headers: Record<string, string>, done: (text: string) => boolean) {
      const controller = new AbortController();
      const res = await fetch(url, { headers, signal: controller.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 10_000;
      try {
        while (!done(text) && Date.now() < deadline) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          text += decoder.decode(value, { stream: true });
        }
      } finally {
        controller.abort();
      }
      return { res, text };
    }

    it('carries the rate-limit headers and the request id, and refuses bad input with {detail}', async () => {
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const url = `${server.url}/api/v1/users/${user.id}/sync/stream`;
      const { res, text } = await read(url, { 'X-API-Key': dev.key, 'X-Request-Id': 'sse-req-1' }, (t) =>
        t.includes(': heartbeat'),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(res.headers.get('x-request-id')).toBe('sse-req-1');
      expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
      expect(text.startsWith(': connected\n\nretry: 3000\n\n')).toBe(true);

      const bad = await fetch(url, { headers: { 'X-API-Key': dev.key, 'Last-Event-ID': 'nope' } });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toHaveProperty('detail');
      const other = await server.api.registerDeveloper();
      const foreign = await fetch(url, { headers: { 'X-API-Key': other.key } });
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toHaveProperty('detail');
    });

    it('keeps delivering to the other streams of a user when one of them closes', async () => {
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const url = `${server.url}/api/v1/users/${user.id}/sync/stream`;
      const headers = { 'X-API-Key': dev.key };
      // One stream opened and closed, then another: the second still gets heartbeats (the shared timer
      // and the user's subscription survive the first one leaving).
      await read(url, headers, (t) => t.includes(': connected'));
      const { text } = await read(url, headers, (t) => t.split(': heartbeat').length > 2);
      expect(text.split(': heartbeat').length).toBeGreaterThan(2);
    });
  });
}
