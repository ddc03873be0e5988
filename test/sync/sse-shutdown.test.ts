import { afterAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, startTestServer } from '../support/harness.ts';
import { type WearlinkProcess, wearlink } from '../support/processes.ts';

/** Well under SHUTDOWN_TIMEOUT_MS (10 s by default): open streams must not hold shutdown up. */
const PROMPT_MS = 3000;

/** An open SSE response, read in the background: `ended` resolves with the whole text once it ends. */
async function openRaw(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { text, clean: true };
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      return { text, clean: false }; // the connection was cut rather than the response ended
    }
  })();
  return { text: () => text, ended, abort: () => controller.abort() };
}

async function until(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A developer, a user and an SSE stream on each of the two SSE routes, both connected. */
async function openStreams(api: ApiClient) {
  const dev = await api.registerDeveloper();
  const user = await api.createUser(dev.key);
  const auth = { key: dev.key };
  const connection = await api.request('POST', `/api/v1/users/${user.id}/connections`, {
    auth,
    json: { provider: 'sandbox', settings: { page_delay_ms: 5 } },
  });
  expect(connection.status).toBe(201);
  // No worker runs, so the job stays queued and its progress stream stays open.
  const job = await api.request('POST', '/api/v1/sync', {
    auth,
    json: { connection_id: connection.body.id, mode: 'historical' },
  });
  expect(job.status).toBe(202);
  const headers = { 'X-API-Key': dev.key };
  const userStream = await openRaw(`${api.baseUrl}/api/v1/users/${user.id}/sync/stream`, headers);
  const jobStream = await openRaw(`${api.baseUrl}/api/v1/sync/jobs/${job.body.job_id}/subscribe`, headers);
  await until(() => userStream.text().includes(': connected') && jobStream.text().includes('"progress"'));
  return [userStream, jobStream];
}

describe('shutdown with open SSE streams', () => {
  it('server.close() ends every open stream cleanly and returns promptly', async () => {
    const server = await startTestServer({ worker: false });
    const warn = vi.spyOn(server.platform.logger, 'warn');
    try {
      const streams = await openStreams(server.api);
      const started = Date.now();
      await server.server.close();
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      for (const stream of streams) {
        const { text, clean } = await stream.ended;
        expect(clean).toBe(true);
        expect(text).toMatch(/: shutting down\n\n$/);
      }
      expect(warn.mock.calls.map((call) => String(call.at(-1)))).not.toContainEqual(
        expect.stringContaining('shutdown timeout'),
      );
    } finally {
      await server.close();
    }
  });

  describe('a real `wearlink serve` process', () => {
    let proc: WearlinkProcess | undefined;
    afterAll(async () => {
      await proc?.stop('SIGKILL');
    });

    it('exits on SIGTERM within seconds, streams ended, without the shutdown-timeout warning', async () => {
      proc = wearlink(['serve', '--no-worker', '--no-scheduler'], {
        WEARLINK_DATA_DIR: 'memory://',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      });
      const url = (await proc.waitFor(/running at (http:\/\/\S+)/))[1] as string;
      await proc.waitFor(/Stop with Ctrl\+C/);
      const streams = await openStreams(new ApiClient(url));

      const started = Date.now();
      const code = await proc.stop('SIGTERM');
      const elapsed = Date.now() - started;
      expect(code, proc.output()).toBe(0);
      expect(elapsed, proc.output()).toBeLessThan(PROMPT_MS);
      expect(proc.output()).toContain('stopped');
      expect(proc.output()).not.toContain('shutdown timeout');
      for (const stream of streams) {
        const { text, clean } = await stream.ended;
        expect(clean).toBe(true);
        expect(text).toMatch(/: shutting down\n\n$/);
      }
    });
  });
});
