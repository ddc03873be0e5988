import { expect, it } from 'vitest';
import { type SyncStatusEvent, WearLink } from '../../../sdks/typescript/src/index.ts';
import { describeEachDatabase } from '../../support/harness.ts';
import { startTcpProxy } from '../../support/tcp-proxy.ts';
import { newClient, until } from './support.ts';

describeEachDatabase('TypeScript SDK: sync stream', (ctx) => {
  it('follows a live sync through the stream across a forced reconnect, with no event missing or twice', async () => {
    const server = ctx();
    // The stream goes through a proxy that the test cuts mid-sync; the other calls go direct.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.server.port });
    try {
      const { client, dev } = await newClient(server);
      const streamClient = new WearLink({ baseUrl: `http://127.0.0.1:${proxy.port}`, apiKey: dev.key });
      const user = await client.users.create();
      // Slow pages: the historical sync emits progress events for a while.
      const connection = await client.connections.create(user.id, {
        provider: 'sandbox',
        settings: { page_delay_ms: 40 },
      });

      const received: { id: string; event: SyncStatusEvent }[] = [];
      const opens: boolean[] = [];
      const reconnects: { attempt: number; lastEventId: string | undefined }[] = [];
      const controller = new AbortController();
      const subscription = streamClient.sync.stream(user.id, {
        onEvent: (event, id) => received.push({ id, event }),
        onOpen: ({ reconnect }) => opens.push(reconnect),
        onReconnect: ({ attempt, lastEventId }) => reconnects.push({ attempt, lastEventId }),
        signal: controller.signal,
        reconnectDelayMs: 50,
        maxReconnectDelayMs: 200,
      });
      await until(() => opens.length === 1, 10_000, 'stream open');

      const started = await client.sync.trigger({ connection_id: connection.id, mode: 'historical' });
      const runId = started.job_id;
      await until(() => received.length >= 3, 20_000, 'three events before the cut');
      const beforeCut = received.length;
      const lastBeforeCut = received.at(-1)?.id;
      proxy.cut();
      // Events keep being published while the stream is down.
      const during = await client.sync.run(user.id, runId);
      await until(() => reconnects.length >= 2, 10_000, 'failed reconnects while cut');
      const progressed = async () => {
        const now = await client.sync.run(user.id, runId);
        return now.items_processed !== during.items_processed || now.stage !== during.stage;
      };
      for (let i = 0; i < 100 && !(await progressed()); i++) await new Promise((r) => setTimeout(r, 50));
      const restoredAt = Date.now();
      proxy.restore();
      await until(
        () => received.some((r) => r.event.run_id === runId && r.event.stage === 'completed'),
        60_000,
        'the completed event',
      );
      controller.abort();
      await subscription.done;

      expect(reconnects[0]?.lastEventId).toBe(lastBeforeCut);
      expect(opens.filter((r) => r)).toHaveLength(1);
      expect(subscription.reconnects).toBe(reconnects.length);
      expect(received.length).toBeGreaterThan(beforeCut);
      // Some events were published while the stream was cut, and came on the resumed connection.
      expect(received.slice(beforeCut).some((r) => Date.parse(r.event.timestamp) < restoredAt)).toBe(true);
      const ids = received.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Exactly the events the server logged for the run, in order: nothing lost in the outage.
      const logged = (await client.sync.recent(user.id, { limit: 200 }))
        .filter((e) => e.run_id === runId)
        .reverse()
        .map((e) => e.event_id);
      expect(received.filter((r) => r.event.run_id === runId).map((r) => r.event.event_id)).toEqual(logged);
      expect(received.map((r) => r.event.stage)).toContain('processing');
    } finally {
      await proxy.close();
    }
  });

  it('ends with a typed error when the user is not the caller’s', async () => {
    const server = ctx();
    const { client } = await newClient(server);
    const errors: unknown[] = [];
    const subscription = client.sync.stream('00000000-0000-4000-8000-000000000000', {
      onEvent: () => {},
      onError: (e) => errors.push(e),
    });
    await expect(subscription.done).rejects.toMatchObject({ status: 404, kind: 'not_found' });
    expect(errors).toHaveLength(1);
  });
});
