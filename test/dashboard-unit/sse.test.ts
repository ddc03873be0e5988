import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseMessage, SseParser, type SseStatus } from '../../web/src/sse.ts';
import { busLegs, startTestServer, type TestServer, waitForRun } from '../support/harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * The dashboard's SSE client (web/src/sse.ts) against a real WearLink server's sync stream: the parser
 * on the bytes the server really writes, cut at every position, and the client's resume after the
 * connection is cut, muted or refused, checked against the server's own event log.
 */

interface SyncEventJson {
  event_id: string;
  run_id: string;
  stage: string;
  status: string;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a raw stream until `done(text)`; returns the text. */
async function readRaw(url: string, headers: Record<string, string>, done: (text: string) => boolean) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
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
  return text;
}

const parseAll = (text: string, chunks: number[] = []) => {
  const parser = new SseParser();
  const comments: string[] = [];
  parser.onComment = (c) => comments.push(c);
  const out: SseMessage[] = [];
  let at = 0;
  for (const cut of [...chunks, text.length]) {
    out.push(...parser.feed(text.slice(at, cut)));
    at = cut;
  }
  return { out, comments, parser };
};

for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(
    `dashboard SSE client [${leg} bus]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer({ bus: leg, env: { SSE_HEARTBEAT_MS: '200' } });
      });
      afterAll(() => server?.close());

      /** A developer, a user with a sandbox connection, and ways to sync it and read the server's log. */
      async function setup(pageDelayMs = 60) {
        const dev = await server.api.registerDeveloper();
        const user = await server.api.createUser(dev.key);
        const auth = { key: dev.key };
        const connection = await server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
          auth,
          json: { provider: 'sandbox', settings: { page_delay_ms: pageDelayMs } },
        });
        expect(connection.status).toBe(201);
        /** historical: a month, a window a day (100+ events); incremental: the latest day (a few). */
        const sync = async (mode: 'historical' | 'incremental' = 'historical') => {
          const res = await server.api.request(
            'POST',
            `/api/v1/providers/sandbox/users/${user.id}/sync${mode === 'historical' ? '/historical' : ''}`,
            { auth },
          );
          expect(res.status).toBe(202);
          return res.body.job_id as string;
        };
        /** The server's event log for the user, oldest first. */
        const serverLog = async () => {
          const res = await server.api.request('GET', `/api/v1/users/${user.id}/sync/recent?limit=200`, {
            auth,
          });
          return (res.body as SyncEventJson[]).reverse();
        };
        const path = `/api/v1/users/${user.id}/sync/stream`;
        return { dev, user, sync, serverLog, path, headers: { 'X-API-Key': dev.key } };
      }

      /** Opens the client and collects what it delivers. */
      function client(url: string, key: string, extra: Partial<Parameters<typeof openSse>[0]> = {}) {
        const messages: SseMessage[] = [];
        const statuses: SseStatus[] = [];
        const conn = openSse({
          url,
          headers: () => ({ 'X-API-Key': key }),
          onMessage: (m) => messages.push(m),
          onStatus: (s) => statuses.push(s),
          minDelayMs: 100,
          maxDelayMs: 400,
          ...extra,
        });
        const events = () => messages.map((m) => JSON.parse(m.data) as SyncEventJson);
        const ended = (runId: string) => () =>
          events().some((e) => e.run_id === runId && ['completed', 'failed', 'cancelled'].includes(e.stage));
        return { conn, messages, statuses, events, ended };
      }

      it('parses the bytes the server writes the same way however they are cut', async () => {
        const { sync, path, headers, serverLog, user, dev } = await setup(0);
        const runId = await sync('incremental');
        await waitForRun(server.api, { key: dev.key }, user.id, runId);
        // The backlog, then the first heartbeat: the whole log as the server writes it.
        const text = await readRaw(`${server.url}${path}?replay=200`, headers, (t) =>
          t.includes(': heartbeat'),
        );
        const whole = parseAll(text);
        expect(whole.comments[0]).toBe('connected');
        expect(whole.parser.retryMs).toBe(3000);
        const logged = await serverLog();
        expect(whole.out.map((m) => (JSON.parse(m.data) as SyncEventJson).event_id)).toEqual(
          logged.map((e) => e.event_id),
        );
        expect(whole.out.every((m) => m.event === 'sync.status' && /^\d+-\d+$/.test(m.id ?? ''))).toBe(true);
        expect(new Set(whole.out.map((m) => m.id)).size).toBe(whole.out.length);
        expect(whole.out.at(-1)?.data).toContain(runId);
        expect(whole.parser.lastEventId).toBe(whole.out.at(-1)?.id);

        // Every single cut point, and a byte at a time, with LF and with CRLF line ends.
        for (const variant of [text, text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r')]) {
          const reference = parseAll(variant).out;
          expect(reference).toEqual(whole.out);
          for (let cut = 1; cut < variant.length; cut += Math.max(1, Math.floor(variant.length / 400))) {
            expect(parseAll(variant, [cut]).out).toEqual(reference);
          }
          expect(parseAll(variant, [...variant].map((_, i) => i + 1).slice(0, -1)).out).toEqual(reference);
        }

        // A message cut off by the end of the stream never comes out; after reset the next one parses.
        const lastBlock = text.lastIndexOf('event: sync.status');
        const truncated = parseAll(text.slice(0, lastBlock + 40));
        expect(truncated.out).toHaveLength(whole.out.length - 1);
        truncated.parser.reset();
        expect(truncated.parser.feed('data: x\n\n')).toEqual([
          { id: whole.out.at(-2)?.id, event: 'message', data: 'x' },
        ]);
        // Multi-line data, comments, a field without a value, unknown fields.
        expect(parseAll('data: a\ndata:b\nfoo: bar\nid\nevent\n\n: hi\ndata\n\n').out).toEqual([
          { id: '', event: 'message', data: 'a\nb' },
          { id: '', event: 'message', data: '' },
        ]);
      });

      it('resumes after the connection is cut mid-sync: exactly the server events, none twice, none missing', async () => {
        const { dev, sync, path, serverLog } = await setup(60);
        const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: server.server.port });
        try {
          const c = client(`http://127.0.0.1:${proxy.port}${path}?replay=50`, dev.key);
          await until(() => c.conn.status.state === 'open', 'open');
          const runId = await sync();
          await until(() => c.events().filter((e) => e.stage === 'fetching').length >= 3, 'some progress');
          expect(c.ended(runId)()).toBe(false);
          proxy.cut(); // every socket dropped, and new connections refused for a while
          await until(() => c.conn.status.state === 'reconnecting', 'reconnecting');
          await new Promise((r) => setTimeout(r, 700)); // the run goes on meanwhile
          const beforeRestore = c.messages.length;
          proxy.restore();
          await until(c.ended(runId), 'the run to end', 30_000);
          expect(c.messages.length).toBeGreaterThan(beforeRestore);
          expect(c.conn.status.reconnects).toBeGreaterThanOrEqual(1);
          expect(c.statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['open', 'reconnecting']));
          expect(c.conn.status.state).toBe('open');

          const logged = await serverLog();
          const received = c.events().map((e) => e.event_id);
          expect(new Set(received).size).toBe(received.length);
          expect(received).toEqual(logged.map((e) => e.event_id));
          expect(logged.filter((e) => e.run_id === runId).length).toBeGreaterThan(10);
          expect(c.conn.status.lastEventId).toBe(c.messages.at(-1)?.id);
          c.conn.close();
          expect(c.conn.status.state).toBe('closed');
        } finally {
          await proxy.close();
        }
      });

      it('replaces a connection that went silent (no heartbeat) and resumes after its last event', async () => {
        const { dev, sync, path, serverLog } = await setup(60);
        const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.server.port });
        try {
          const c = client(`http://127.0.0.1:${proxy.port}${path}`, dev.key, { idleTimeoutMs: 800 });
          await until(() => c.conn.status.state === 'open', 'open');
          const runId = await sync();
          await until(() => c.events().length >= 4, 'some events');
          proxy.mute(); // the socket stays up, but nothing more arrives
          await until(() => c.conn.status.reconnects >= 1, 'a reconnect after the idle timeout');
          await until(c.ended(runId), 'the run to end', 30_000);
          const received = c.events().map((e) => e.event_id);
          expect(received).toEqual((await serverLog()).map((e) => e.event_id));
          c.conn.close();
        } finally {
          await proxy.close();
        }
      });

      it('drops events it already delivered when a server sends them again', async () => {
        const { dev, sync, path, serverLog } = await setup(0);
        let connections = 0;
        // From the second connection on, ask for a full replay instead of resuming: every earlier event
        // comes again, and the client must not deliver any of them twice.
        const replayingFetch: typeof fetch = (input, init) => {
          connections += 1;
          if (connections === 1) return fetch(input, init);
          const headers = { ...(init?.headers as Record<string, string>) };
          delete headers['last-event-id'];
          return fetch(`${String(input)}?replay=200`, { ...init, headers });
        };
        const c = client(`${server.url}${path}`, dev.key, { fetch: replayingFetch });
        await until(() => c.conn.status.state === 'open', 'open');
        const first = await sync('incremental');
        await until(c.ended(first), 'the first run');
        c.conn.reconnect();
        await until(() => connections === 2 && c.conn.status.state === 'open', 'second connection');
        const second = await sync('incremental');
        await until(c.ended(second), 'the second run');
        const received = c.events().map((e) => e.event_id);
        expect(new Set(received).size).toBe(received.length);
        expect(received).toEqual((await serverLog()).map((e) => e.event_id));
        c.conn.close();
      });

      it('stops on a refusal that retrying cannot fix, and asks for fresh credentials on a 401', async () => {
        const { dev, path, user } = await setup(0);
        const other = await server.api.registerDeveloper();
        const refused = client(`${server.url}${path}`, other.key);
        await until(() => refused.conn.status.state === 'closed', 'closed');
        expect(refused.conn.status.error).toMatch(/404/);
        expect(refused.conn.status.reconnects).toBe(0);

        let key = 'wl_wrong';
        let asked = 0;
        const relogin = openSse({
          url: `${server.url}${path}`,
          headers: () => ({ 'X-API-Key': key }),
          onMessage: () => {},
          onUnauthorized: async () => {
            asked += 1;
            key = dev.key;
          },
        });
        await until(() => relogin.status.state === 'open', 'open with the fresh key');
        expect(asked).toBe(1);
        relogin.close();

        const noAuth = openSse({
          url: `${server.url}/api/v1/users/${user.id}/sync/stream`,
          onMessage: () => {},
        });
        await until(() => noAuth.status.state === 'closed', 'closed without credentials');
        expect(noAuth.status.error).toMatch(/401/);
      });
    },
  );
}
