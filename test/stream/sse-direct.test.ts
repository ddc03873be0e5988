import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busLegs, startTestServer, type TestServer } from '../support/harness.ts';
import { syncEvent } from '../support/sync-events.ts';

/** The complete frames of an SSE text (an incomplete last one is dropped, as EventSource does): their ids. */
const frameIds = (text: string) =>
  text
    .split('\n\n')
    .slice(0, -1)
    .flatMap((frame) => /^id: (.+)$/m.exec(frame)?.[1] ?? []);

/**
 * The sync stream is written to Node's response directly (src/sync/sync-stream.routes.ts), after the
 * middleware: what the middleware puts on every response must still be on it, and streams of one user
 * share one subscription, so closing one must not stop the others.
 */
for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(`sync stream written directly [${leg} bus]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        bus: leg,
        env: { SSE_HEARTBEAT_MS: '300', SSE_MAX_BUFFERED_BYTES: '65536' },
      });
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

    it('drops a stream whose client stopped reading, and the client resumes where it stopped', async () => {
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const path = `/api/v1/users/${user.id}/sync/stream`;
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      socket.setEncoding('utf8');
      let text = '';
      let ended = false;
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('close', () => {
        ended = true;
      });
      socket.on('error', () => {});
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${dev.key}\r\n\r\n`);
      const until = async (check: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error('condition not met in time');
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(() => text.includes(': connected'));
      // The client stops reading; the server keeps publishing ~4 KB events: ~12 MB, far past what the
      // socket buffers and the 64 KiB the server may hold for it take.
      socket.pause();
      const published: string[] = [];
      for (let n = 0; n < 3000; n++) {
        const logged = await server.platform.deps.events.publish(
          syncEvent(user.id, n, { metadata: { padding: 'x'.repeat(4000) } }),
        );
        if (logged !== undefined) published.push(logged.id);
        // The in-process bus publishes synchronously: let the event loop (the server's heartbeat checks
        // among it) run between events, as it does between a real run's events.
        if (n % 100 === 99) await new Promise((r) => setImmediate(r));
      }
      expect(published).toHaveLength(3000);
      // Still not reading for several heartbeat periods (300 ms here): the check sees what waits.
      await new Promise((r) => setTimeout(r, 1500));
      socket.resume();
      // The server dropped the connection: what the kernel held arrives, then the end.
      await until(() => ended);
      const received = frameIds(text.slice(text.indexOf('\r\n\r\n')));
      expect(received.length).toBeGreaterThan(0);
      expect(received.length).toBeLessThan(published.length);
      // Without a gap: the first events, in order.
      expect(received).toEqual(published.slice(0, received.length));

      // The client reconnects with the last id it read, and gets exactly the rest.
      const controller = new AbortController();
      const res = await fetch(`${server.url}${path}`, {
        headers: { 'X-API-Key': dev.key, 'Last-Event-ID': received.at(-1) as string },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let resumed = '';
      const rest = published.slice(received.length);
      const deadline = Date.now() + 20_000;
      try {
        while (frameIds(resumed).length < rest.length && Date.now() < deadline) {
          const { value, done } = await reader.read();
          if (done) break;
          resumed += decoder.decode(value, { stream: true });
        }
      } finally {
        controller.abort();
      }
      expect(frameIds(resumed)).toEqual(rest);
    }, 60_000);
  });
}
