import { randomBytes } from 'node:crypto';
import { EventSource } from 'eventsource';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/harness.ts';
import { type WearlinkProcess, wearlink, wearlinkSync } from '../support/processes.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const skip = !databaseUrl || !redisUrl ? 'needs TEST_DATABASE_URL and TEST_REDIS_URL' : undefined;

/** Samples the sandbox writes per day window: 288 heart-rate, 64 steps and 64 energy. */
const SAMPLES_PER_WINDOW = 288 + 64 + 64;

describe.skipIf(skip !== undefined)(
  `production shape: API and worker processes${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const suffix = randomBytes(4).toString('hex');
    const schema = `mp_${suffix}`;
    const env = {
      DATABASE_URL: databaseUrl ?? '',
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl ?? '',
      REDIS_KEY_PREFIX: `wlmp:${suffix}:`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: '0',
      // Fast failure detection for the test: a dead worker's job is retried within seconds.
      SYNC_JOB_EXPIRE_SECONDS: '6',
      SYNC_MAINTENANCE_SECONDS: '1',
    };
    const processes: WearlinkProcess[] = [];
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.query(`drop schema if exists ${schema}_pgboss cascade`);
      await client.end();
    });

    it('runs jobs in a separate worker whose events reach the API’s SSE clients, and survives kill -9 of that worker', async () => {
      const migrated = wearlinkSync(['migrate'], env);
      expect(migrated.status, migrated.output).toBe(0);
      const api = wearlink(['serve', '--no-worker', '--no-scheduler'], env);
      processes.push(api);
      const url = (await api.waitFor(/running at (http:\/\/\S+)/))[1] as string;
      let worker = wearlink(['worker'], env);
      processes.push(worker);
      await worker.waitFor(/worker running/);

      const client = new ApiClient(url);
      const dev = await client.registerDeveloper();
      const user = await client.createUser(dev.key);
      const auth = { key: dev.key };
      const connection = await client.request('POST', `/api/v1/users/${user.id}/connections`, {
        auth,
        json: { provider: 'sandbox', settings: { page_delay_ms: 120 } },
      });

      const events: { run_id: string; stage: string; items_processed: number | null }[] = [];
      const es = new EventSource(`${url}/api/v1/users/${user.id}/sync/stream`, {
        fetch: (input, init) =>
          fetch(input, { ...init, headers: { ...init?.headers, 'X-API-Key': dev.key } }),
      });
      es.addEventListener('sync.status', (m) => events.push(JSON.parse(m.data)));
      await new Promise<void>((resolve) => {
        es.onopen = () => resolve();
      });

      const started = await client.request('POST', '/api/v1/sync', {
        auth,
        json: { connection_id: connection.body.id, mode: 'historical' },
      });
      expect(started.status).toBe(202);
      const jobId: string = started.body.job_id;

      // Events published by the worker process arrive on the API process's stream (through Redis).
      const deadline = Date.now() + 30_000;
      while (!events.some((e) => e.run_id === jobId && (e.items_processed ?? 0) >= 3)) {
        if (Date.now() > deadline) throw new Error(`no progress events: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(events.map((e) => e.stage)).toEqual(
        expect.arrayContaining(['queued', 'started', 'fetching', 'saving']),
      );

      // kill -9 mid-run, then a new worker: the job is retried and completes.
      await worker.stop('SIGKILL');
      worker = wearlink(['worker'], env);
      processes.push(worker);
      let status: { status: string; progress: { total: number } } | undefined;
      const finish = Date.now() + 60_000;
      while (Date.now() < finish) {
        status = (await client.request('GET', `/api/v1/sync/status?job_id=${jobId}`, { auth })).body;
        if (status?.status === 'completed' || status?.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status?.status).toBe('completed');
      expect(events.some((e) => e.run_id === jobId && e.stage === 'completed')).toBe(true);
      es.close();

      // No duplicated data: exactly one full pass of every window.
      const summary = await client.request('GET', `/api/v1/users/${user.id}/summaries/data`, { auth });
      expect(summary.body.total_samples).toBe((status?.progress.total ?? 0) * SAMPLES_PER_WINDOW);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query(`select attempts from ${schema}.sync_runs where id = $1`, [jobId]);
      await db.end();
      expect(rows[0].attempts).toBeGreaterThanOrEqual(2);
    }, 120_000);
  },
);
