import type { KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import { startWebhookDelivery } from '../../src/webhooks/delivery.ts';
import { describeEachDatabase } from '../support/harness.ts';
import { startReceiver, waitUntil } from './receiver.ts';

const POLL_MS = 100;

/** Counts the statements a database handle runs (the database itself is real). */
function countingPlugin(): KyselyPlugin & { count: number } {
  const plugin = {
    count: 0,
    transformQuery: ({ node }: { node: any }) => {
      plugin.count += 1;
      return node;
    },
    transformResult: async ({ result }: { result: any }) => result,
  };
  return plugin;
}

describeEachDatabase(
  'webhook delivery polling',
  (ctx) => {
    it('asks the outbox for work once per poll interval while a request hangs, not at every tick', async () => {
      const { api, platform } = ctx();
      const statements = countingPlugin();
      // This suite's server runs no delivery loop of its own: this one, on a counting handle, is the only one.
      const delivery = startWebhookDelivery({
        config: platform.config,
        logger: platform.logger,
        deps: { db: platform.deps.db.withPlugin(statements), secrets: platform.deps.secrets },
      });
      const receiver = await startReceiver(() => 'hang');
      try {
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const created = await api.request('POST', '/api/v1/webhooks/endpoints', {
          auth,
          json: { url: receiver.url('/hang') },
        });
        expect(created.status, created.text).toBe(201);
        const sent = await api.request('POST', `/api/v1/webhooks/endpoints/${created.body.id}/test`, {
          auth,
        });
        expect(sent.status, sent.text).toBe(202);
        await waitUntil(() => receiver.open('/hang') === 1, 10_000, 'the request open');

        const before = statements.count;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        // One claim per poll interval (10 in the second), where a claim per 10 ms tick would be ~100.
        expect(statements.count - before).toBeLessThanOrEqual(1000 / POLL_MS + 3);
        expect(receiver.open('/hang')).toBe(1);
      } finally {
        await delivery.stop();
        await receiver.close();
      }
    });
  },
  {
    worker: false,
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_TIMEOUT_MS: '2500',
      WEBHOOK_POLL_INTERVAL_MS: String(POLL_MS),
    },
  },
);

describeEachDatabase(
  'webhook delivery when an endpoint goes away mid-send',
  (ctx) => {
    it('records the other outcomes of the batch: nothing is sent twice', async () => {
      const { api } = ctx();
      // Both answer after 400 ms, so both requests are in flight when A is deleted and end in one batch.
      const receiver = await startReceiver(() => ({ status: 200, delayMs: 400 }));
      try {
        const dev = await api.registerDeveloper();
        const auth = { key: dev.key };
        const endpoint = async (path: string) => {
          const res = await api.request('POST', '/api/v1/webhooks/endpoints', {
            auth,
            json: { url: receiver.url(path) },
          });
          expect(res.status, res.text).toBe(201);
          return res.body.id as string;
        };
        const a = await endpoint('/a');
        const b = await endpoint('/b');
        for (const id of [a, b]) {
          const sent = await api.request('POST', `/api/v1/webhooks/endpoints/${id}/test`, { auth });
          expect(sent.status, sent.text).toBe(202);
        }
        await waitUntil(
          () => receiver.open('/a') === 1 && receiver.open('/b') === 1,
          10_000,
          'both in flight',
        );
        const deleted = await api.request('DELETE', `/api/v1/webhooks/endpoints/${a}`, { auth });
        expect(deleted.status, deleted.text).toBe(204);

        let attempts: any[] = [];
        await waitUntil(
          async () => {
            const res = await api.request('GET', `/api/v1/webhooks/endpoints/${b}/attempts`, { auth });
            attempts = res.body.data;
            return attempts.length > 0;
          },
          10_000,
          "B's outcome recorded",
        );
        expect(attempts).toMatchObject([{ attempt: 1, status_code: 200, delivery_status: 'succeeded' }]);
        // Past B's lease (2 × timeout + 1 s): an unrecorded outcome would have been sent again by now.
        await new Promise((resolve) => setTimeout(resolve, 2 * 1000 + 1500));
        expect(receiver.on('/b')).toHaveLength(1);
        expect(receiver.on('/a')).toHaveLength(1);
      } finally {
        await receiver.close();
      }
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_POLL_INTERVAL_MS: '50' } },
);
