import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/harness.ts';
import { type WearlinkProcess, wearlink, wearlinkSync } from '../support/processes.ts';
import { startReceiver, verify, waitUntil } from './receiver.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const skip = databaseUrl ? undefined : 'needs TEST_DATABASE_URL';

describe.skipIf(skip !== undefined)(
  `webhook delivery survives kill -9 of the worker${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suffix = randomBytes(4).toString('hex');
    const schema = `whk_${suffix}`;
    const env = {
      // Webhooks need no Redis; the sync events this split loses are not what this test watches.
      ALLOW_SPLIT_WITHOUT_REDIS: 'true',
      DATABASE_URL: databaseUrl ?? '',
      DATABASE_SCHEMA: schema,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: '0',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      // A short deadline makes the killed worker's claims lapse within seconds.
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_CONCURRENCY: '8',
      WEBHOOK_POLL_INTERVAL_MS: '50',
    };
    const processes: WearlinkProcess[] = [];
    let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      await receiver?.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.query(`drop schema if exists ${schema}_pgboss cascade`);
      await client.end();
    });

    it('delivers every message at least once after the worker is killed mid-run and restarted', async () => {
      const migrated = wearlinkSync(['migrate'], env);
      expect(migrated.status, migrated.output).toBe(0);
      const api = wearlink(['serve', '--no-worker', '--no-scheduler'], env);
      processes.push(api);
      const url = (await api.waitFor(/running at (http:\/\/\S+)/))[1] as string;
      receiver = await startReceiver(() => 200, 40);

      const client = new ApiClient(url);
      const dev = await client.registerDeveloper();
      const auth = { key: dev.key };
      const endpoint = await client.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: { url: receiver.url('/hook') },
      });
      expect(endpoint.status, endpoint.text).toBe(201);
      const secret = (
        await client.request('GET', `/api/v1/webhooks/endpoints/${endpoint.body.id}/secret`, { auth })
      ).body.key as string;
      // Messages are committed by the API process before any worker runs.
      const ids: string[] = [];
      for (let i = 0; i < 150; i++) {
        const res = await client.request('POST', `/api/v1/webhooks/endpoints/${endpoint.body.id}/test`, {
          auth,
        });
        ids.push(res.body.message_id);
      }

      let worker = wearlink(['worker'], env);
      processes.push(worker);
      await waitUntil(() => receiver!.received.length >= 30, 30_000, 'first deliveries');
      await worker.stop('SIGKILL');
      const beforeRestart = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      expect(beforeRestart.size).toBeLessThan(ids.length);

      worker = wearlink(['worker'], env);
      processes.push(worker);
      const delivered = () => new Set(receiver!.received.map((r) => r.headers['webhook-id']));
      await waitUntil(() => ids.every((id) => delivered().has(id)), 30_000, 'every message');
      for (const r of receiver.received) expect(verify(secret, r).type).toBe('webhook.test');
    }, 60_000);
  },
);
