import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartRateBatch } from '../fixtures/sdk-batches.ts';
import { busLegs, startTestServer, type TestServer, waitForRun } from '../support/harness.ts';

/** Reads a raw SSE response until `until` matches the text so far (or the timeout). */
async function readRaw(
  url: string,
  headers: Record<string, string>,
  until: (text: string) => boolean,
  timeoutMs = 5000,
) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(text) && Date.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) =>
          setTimeout(() => r({ value: undefined, done: true }), 200),
        ),
      ]);
      if (value) text += decoder.decode(value, { stream: true });
      if (done && !value && Date.now() >= deadline) break;
    }
  } finally {
    controller.abort();
  }
  return { status: res.status, headers: res.headers, text };
}

interface Received {
  id: string;
  event: { run_id: string; stage: string; status: string };
}

function openStream(url: string, key: string, lastEventId?: string) {
  const received: Received[] = [];
  const es = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init?.headers,
          'X-API-Key': key,
          ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
        },
      }),
  });
  es.addEventListener('sync.status', (msg) =>
    received.push({ id: msg.lastEventId, event: JSON.parse(msg.data) }),
  );
  const opened = new Promise<void>((resolve, reject) => {
    es.onopen = () => resolve();
    es.onerror = (e) => reject(e);
  });
  return { es, received, opened };
}

async function until(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stages = ['queued', 'started', 'processing', 'saving', 'completed'];

for (const { leg, skip } of busLegs) {
  describe.skipIf(skip !== undefined)(
    `sync event stream [${leg} bus]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer({ bus: leg, env: { SSE_HEARTBEAT_MS: '150' } });
      });
      afterAll(() => server?.close());

      async function setup() {
        const dev = await server.api.registerDeveloper();
        const user = await server.api.createUser(dev.key);
        const sync = async (offsetMs: number) => {
          const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
            auth: { key: dev.key },
            json: heartRateBatch(10, Date.UTC(2026, 3, 1) + offsetMs),
          });
          return (await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id)).run_id as string;
        };
        return { dev, user, sync, url: `${server.url}/api/v1/users/${user.id}/sync/stream` };
      }

      it('opens with `: connected`, replays the last N events with ids, and sends heartbeats', async () => {
        const { dev, sync, url } = await setup();
        const runId = await sync(0);
        const raw = await readRaw(`${url}?replay=3`, { 'X-API-Key': dev.key }, (t) =>
          t.includes(': heartbeat'),
        );
        expect(raw.status).toBe(200);
        expect(raw.headers.get('content-type')).toMatch(/text\/event-stream/);
        expect(raw.headers.get('cache-control')).toBe('no-cache, no-transform');
        expect(raw.headers.get('x-accel-buffering')).toBe('no');
        expect(raw.text.startsWith(': connected\n\n')).toBe(true);
        const blocks = raw.text.split('\n\n').filter((b) => b.includes('event: sync.status'));
        for (const block of blocks) expect(block).toMatch(/^id: \d+-\d+$/m);
        const events = blocks.map((b) => JSON.parse(/^data: (.*)$/m.exec(b)?.[1] as string));
        expect(events.map((e) => e.stage)).toEqual(['processing', 'saving', 'completed']);
        expect(events[2]).toMatchObject({
          run_id: runId,
          status: 'success',
          progress: 1,
          source: 'sdk',
          provider: 'apple',
        });
        expect(Object.keys(events[2]).sort()).toEqual(
          [
            'event_id',
            'run_id',
            'user_id',
            'provider',
            'source',
            'stage',
            'status',
            'message',
            'progress',
            'items_processed',
            'items_total',
            'error',
            'metadata',
            'started_at',
            'ended_at',
            'timestamp',
          ].sort(),
        );
      });

      it('streams live events to a real EventSource client and resumes exactly after Last-Event-ID', async () => {
        const { dev, sync, url } = await setup();
        const first = await sync(0);
        const client = openStream(`${url}?replay=200`, dev.key);
        await client.opened;
        await until(() => client.received.length === 5);
        expect(client.received.map((r) => r.event.stage)).toEqual(stages);

        const second = await sync(60_000);
        await until(() => client.received.length === 10);
        expect(client.received.slice(5).map((r) => [r.event.run_id, r.event.stage])).toEqual(
          stages.map((s) => [second, s]),
        );
        const lastSeen = client.received.at(-1)?.id as string;
        client.es.close();

        // Missed while disconnected.
        const third = await sync(120_000);
        const resumed = openStream(url, dev.key, lastSeen);
        await resumed.opened;
        await until(() => resumed.received.length >= 5);
        await new Promise((r) => setTimeout(r, 300));
        expect(resumed.received.map((r) => [r.event.run_id, r.event.stage])).toEqual(
          stages.map((s) => [third, s]),
        );
        const ids = [...client.received, ...resumed.received].map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        resumed.es.close();
        expect(first).not.toBe(second);
      });

      it('serves recent events and run summaries', async () => {
        const { dev, user, sync } = await setup();
        const runId = await sync(0);
        const recent = await server.api.request('GET', `/api/v1/users/${user.id}/sync/recent?limit=2`, {
          auth: { key: dev.key },
        });
        expect(recent.body.map((e: { stage: string }) => e.stage)).toEqual(['completed', 'saving']);
        const runs = await server.api.request('GET', `/api/v1/users/${user.id}/sync/runs`, {
          auth: { key: dev.key },
        });
        expect(runs.body).toEqual([
          expect.objectContaining({ run_id: runId, stage: 'completed', status: 'success', progress: 1 }),
        ]);
        expect(
          (
            await server.api.request('GET', `/api/v1/users/${user.id}/sync/recent?limit=500`, {
              auth: { key: dev.key },
            })
          ).status,
        ).toBe(422);
      });

      it('accepts a dashboard JWT in access_token (EventSource cannot send headers), and refuses bad tokens', async () => {
        const { dev, url } = await setup();
        const form = new FormData();
        form.set('username', dev.email);
        form.set('password', dev.password);
        const jwt = (await server.api.request('POST', '/api/v1/auth/login', { body: form })).body
          .access_token;
        const ok = await readRaw(`${url}?access_token=${jwt}`, {}, (t) => t.includes(': connected'));
        expect(ok.status).toBe(200);
        const bad = await fetch(`${url}?access_token=not-a-token`);
        expect(bad.status).toBe(401);
        const none = await fetch(url);
        expect(none.status).toBe(401);
        const badId = await fetch(url, { headers: { 'X-API-Key': dev.key, 'Last-Event-ID': 'nope' } });
        expect(badId.status).toBe(422);
      });
    },
  );
}
