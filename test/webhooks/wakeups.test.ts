import { expect, it } from 'vitest';
import { startWebhookDelivery } from '../../src/webhooks/delivery.ts';
import { type ApiClient, describeEachDatabase } from '../support/harness.ts';
import { startTcpProxy, targetOf } from '../support/tcp-proxy.ts';
import { type startReceiver as StartReceiver, startReceiver, waitUntil } from './receiver.ts';

/** Long enough that a delivery within WAKE_MS can only have come from a wake-up, not from a poll. */
const POLL_MS = 2000;
const WAKE_MS = 150;

type Receiver = Awaited<ReturnType<typeof StartReceiver>>;

async function endpoint(api: ApiClient, key: string, url: string, filterTypes?: string[]) {
  const res = await api.request('POST', '/api/v1/webhooks/endpoints', {
    auth: { key },
    json: { url, ...(filterTypes ? { filter_types: filterTypes } : {}) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/**
 * Milliseconds from just before `write` (an HTTP request that commits an outbox message) to its
 * delivery reaching `path`, after a pause that leaves the loop idle, asleep until its next poll.
 */
async function timeDelivery(receiver: Receiver, path: string, write: () => Promise<void>): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = receiver.on(path).length;
  const started = Date.now();
  await write();
  await waitUntil(() => receiver.on(path).length > before, 3 * POLL_MS, `a delivery to ${path}`);
  return (receiver.on(path)[before]?.at ?? Number.NaN) - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function testMessage(api: ApiClient, key: string, id: string) {
  return async () => {
    const sent = await api.request('POST', `/api/v1/webhooks/endpoints/${id}/test`, { auth: { key } });
    expect(sent.status, sent.text).toBe(202);
  };
}

describeEachDatabase(
  'webhook delivery wake-ups',
  (ctx) => {
    it(`delivers a committed message well under the ${POLL_MS} ms poll interval`, async () => {
      const { api } = ctx();
      const receiver = await startReceiver();
      try {
        const dev = await api.registerDeveloper();
        const tests = await endpoint(api, dev.key, receiver.url('/test'));
        // The first one also waits for the loop to be listening (it may come by a poll).
        await timeDelivery(receiver, '/test', testMessage(api, dev.key, tests));
        const latencies: number[] = [];
        for (let i = 0; i < 5; i++)
          latencies.push(await timeDelivery(receiver, '/test', testMessage(api, dev.key, tests)));
        // Events written with the data (enqueueWebhookEvents): a connection's creation.
        await endpoint(api, dev.key, receiver.url('/connections'), ['connection.created']);
        for (let i = 0; i < 3; i++) {
          const user = await api.createUser(dev.key);
          latencies.push(
            await timeDelivery(receiver, '/connections', async () => {
              const created = await api.request('POST', `/api/v1/users/${user.id}/connections`, {
                auth: { key: dev.key },
                json: { provider: 'sandbox' },
              });
              expect(created.status, created.text).toBe(201);
            }),
          );
        }
        // The median is the wake-up; the slowest is still far from a poll on a loaded machine.
        expect(median(latencies), `latencies ${latencies.join(', ')} ms`).toBeLessThan(WAKE_MS);
        expect(Math.max(...latencies), `latencies ${latencies.join(', ')} ms`).toBeLessThan(POLL_MS / 2);
      } finally {
        await receiver.close();
      }
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: String(POLL_MS) } },
);

const databaseUrl = process.env.TEST_DATABASE_URL;

describeEachDatabase(
  'webhook delivery while the LISTEN connection is cut',
  (ctx, leg) => {
    it.skipIf(leg !== 'postgres' || !databaseUrl)(
      'keeps delivering by polling, and is woken again once the connection is back',
      async () => {
        const { api, platform } = ctx();
        // Only the LISTEN connection goes through the proxy: the pool (and with it polling) does not.
        const proxy = await startTcpProxy(targetOf(databaseUrl as string, 5432));
        const viaProxy = new URL(databaseUrl as string);
        viaProxy.hostname = '127.0.0.1';
        viaProxy.port = String(proxy.port);
        const delivery = startWebhookDelivery({
          config: platform.config,
          logger: platform.logger,
          deps: platform.deps,
          database: {
            schema: platform.database.schema,
            notifications: { kind: 'postgres', url: viaProxy.toString() },
          },
        });
        const receiver = await startReceiver();
        try {
          const dev = await api.registerDeveloper();
          const id = await endpoint(api, dev.key, receiver.url('/hook'));
          const send = testMessage(api, dev.key, id);
          await waitUntil(() => proxy.connections() > 0, 10_000, 'the LISTEN connection');
          await timeDelivery(receiver, '/hook', send);
          const woken: number[] = [];
          for (let i = 0; i < 3; i++) woken.push(await timeDelivery(receiver, '/hook', send));
          expect(median(woken), `latencies ${woken.join(', ')} ms`).toBeLessThan(WAKE_MS);

          proxy.cut();
          // Polling alone: every message still arrives, within about one poll interval.
          const polled: number[] = [];
          for (let i = 0; i < 3; i++) polled.push(await timeDelivery(receiver, '/hook', send));
          expect(Math.max(...polled), `latencies ${polled.join(', ')} ms`).toBeLessThan(POLL_MS + 1000);

          proxy.restore();
          // Reconnected (its backoff is at most a few seconds after so short a cut), and woken again.
          await waitUntil(() => proxy.connections() > 0, 15_000, 'the LISTEN connection back');
          await timeDelivery(receiver, '/hook', send);
          const back: number[] = [];
          for (let i = 0; i < 3; i++) back.push(await timeDelivery(receiver, '/hook', send));
          expect(median(back), `latencies ${back.join(', ')} ms`).toBeLessThan(WAKE_MS);
          // Each message once: nothing lost or sent twice across the cut.
          expect(receiver.on('/hook')).toHaveLength(4 + 3 + 4);
        } finally {
          await delivery.stop();
          await receiver.close();
          await proxy.close();
        }
      },
    );
  },
  // This suite's server runs no delivery loop of its own: the one above, listening through the proxy, is the only one.
  { worker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: String(POLL_MS) } },
);
