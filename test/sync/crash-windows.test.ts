import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxProvider } from '../../src/providers/sandbox/sandbox-provider.ts';
import type { ProviderModule } from '../../src/providers/types.ts';
import { SYNC_QUEUE } from '../../src/sync/job-queue.ts';
import { SyncEngine } from '../../src/sync/sync-engine.ts';
import { createRun, finishRun, newRunId } from '../../src/sync/sync-runs.repo.ts';
import { reapOrphanedRuns } from '../../src/sync/workers.ts';
import { ApiClient, describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';
import { type WearlinkProcess, wearlink, wearlinkSync } from '../support/processes.ts';

async function sandboxConnection(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const res = await server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
    auth,
    json: { provider: 'sandbox', settings: { page_delay_ms: 0 } },
  });
  expect(res.status).toBe(201);
  return { dev, user, auth, connectionId: res.body.id as string };
}

describeEachDatabase('crash windows of runs and jobs', (ctx) => {
  it('commits a run and its job together, or neither (pg-boss inside the run’s transaction)', async () => {
    const { platform } = ctx();
    const { dev, user } = await sandboxConnection(ctx());
    const db = platform.database.db;
    const attempt = async (fail: boolean) => {
      const runId = newRunId('pull', 'sandbox');
      const jobId = randomUUID();
      await db
        .transaction()
        .execute(async (trx) => {
          await createRun(trx, {
            id: runId,
            queueJobId: jobId,
            developerId: dev.id,
            userId: user.id,
            provider: 'sandbox',
            source: 'pull',
          });
          // Started after the run is written: a queued job for a run that does not exist yet. The
          // queue's `sync` worker treats an unknown run as finished, so nothing runs either way.
          await platform.queue.enqueue({ runId }, { db: trx, id: jobId, startAfterSeconds: 3600 });
          if (fail) throw new Error('the process died here');
        })
        .catch(() => undefined);
      const stored = await db.selectFrom('sync_runs').select('id').where('id', '=', runId).executeTakeFirst();
      return { run: stored !== undefined, job: (await platform.queue.job(SYNC_QUEUE, jobId)) !== undefined };
    };
    expect(await attempt(true)).toEqual({ run: false, job: false });
    expect(await attempt(false)).toEqual({ run: true, job: true });
  });

  it('a sync run left without its job (a crash between the two, in earlier versions) no longer holds its connection', async () => {
    const server = ctx();
    const { dev, user, auth, connectionId } = await sandboxConnection(server);
    const db = server.platform.database.db;
    // What a crash between "insert run" and "enqueue job" used to leave: a queued run, no job.
    const orphan = newRunId('pull', 'sandbox');
    await createRun(db, {
      id: orphan,
      developerId: dev.id,
      userId: user.id,
      provider: 'sandbox',
      source: 'pull',
      connectionId,
      mode: 'incremental',
      itemsTotal: 3,
      windowFromMs: Date.now() - 2 * 86_400_000,
      windowToMs: Date.now(),
    });
    const blocked = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId },
    });
    expect([blocked.status, blocked.body.job_id, blocked.body.created]).toEqual([200, orphan, false]);

    // The reaper (every worker runs it at start and every SYNC_MAINTENANCE_SECONDS) queues it again.
    expect((await reapOrphanedRuns(server.platform)).requeued).toContain(orphan);
    const resumed = await waitForRun(server.api, auth, user.id, orphan);
    expect([resumed.stage, resumed.status]).toEqual(['completed', 'success']);

    // And the connection syncs again.
    const next = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId },
    });
    expect([next.status, next.body.created]).toEqual([202, true]);
    expect((await waitForRun(server.api, auth, user.id, next.body.job_id)).status).toBe('success');
    expect((await reapOrphanedRuns(server.platform)).requeued).toEqual([]);
  });

  it('a raw driver error thrown in a job is stored as {code, message} only, and the process carries on', async () => {
    const server = ctx();
    const { platform } = server;
    const db = platform.database.db;
    const { user, auth, connectionId } = await sandboxConnection(server);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // A provider whose first attempt fails inside the database driver with a NUL in its parameters
    // (the path of issue 15 #1: the error, params and all, used to go to pg-boss as it was).
    const failingOnce: ProviderModule = {
      ...sandboxProvider,
      pull: {
        ...sandboxProvider.pull,
        async fetch(context, resource, window) {
          if (context.attempt === 1) await sql`select ${'Watch\u0000'}::text as name`.execute(db);
          return sandboxProvider.pull.fetch(context, resource, window);
        },
      },
    };
    const real = platform.deps.sync;
    platform.deps.sync = new SyncEngine(
      db,
      platform.deps.runs,
      platform.queue,
      platform.logger,
      60_000,
      () => Promise.reject(new Error('the sandbox makes no vendor calls')),
      { modules: (slug) => (slug === 'sandbox' ? failingOnce : undefined) },
    );
    try {
      const started = await server.api.request('POST', '/api/v1/sync', {
        auth,
        json: { connection_id: connectionId },
      });
      expect(started.status).toBe(202);
      const runId: string = started.body.job_id;
      const jobId = (await runRow(runId)).queue_job_id;
      // Between the failed attempt and its retry, the job holds what pg-boss stored of the failure.
      let failedJob: Awaited<ReturnType<typeof platform.queue.job>>;
      for (const deadline = Date.now() + 15_000; ; ) {
        failedJob = await platform.queue.job(SYNC_QUEUE, jobId as string);
        if (failedJob?.state === 'retry' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(failedJob?.state).toBe('retry');
      expect(failedJob?.output).toEqual({ code: '22021', message: expect.stringContaining('0x00') });
      // The retry succeeds: the run completes, and nothing went unhandled.
      const run = await waitForRun(server.api, auth, user.id, runId, 30_000);
      expect([run.stage, run.status]).toEqual(['completed', 'success']);
      expect(unhandled).toEqual([]);
      expect((await server.api.request('GET', '/health')).status).toBe(200);
    } finally {
      platform.deps.sync = real;
      process.off('unhandledRejection', onUnhandled);
    }

    async function runRow(id: string) {
      return db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }
  });

  it('a job whose last attempt throws ends its run, with what was thrown stored as {code, message}', async () => {
    const server = ctx();
    const { platform } = server;
    const db = platform.database.db;
    const { dev, user, auth, connectionId } = await sandboxConnection(server);
    const real = platform.deps.sync;
    // A handler that fails in its own bookkeeping, every time.
    platform.deps.sync = Object.assign(Object.create(real) as typeof real, {
      runJob: async () => {
        throw Object.assign(new Error('bookkeeping failed \u0000'), { code: 'XX000', params: ['secret'] });
      },
    });
    try {
      const runId = newRunId('pull', 'sandbox');
      const jobId = randomUUID();
      await db.transaction().execute(async (trx) => {
        await createRun(trx, {
          id: runId,
          queueJobId: jobId,
          developerId: dev.id,
          userId: user.id,
          provider: 'sandbox',
          source: 'pull',
          connectionId,
          mode: 'incremental',
        });
        await platform.queue.enqueue({ runId }, { db: trx, id: jobId, startAfterSeconds: 1 });
      });
      // Its last attempt right away (rather than after five retries with backoff).
      const bossSchema =
        platform.database.schema === 'public' ? 'pgboss' : `${platform.database.schema}_pgboss`;
      await sql`update ${sql.table(`${bossSchema}.job`)} set retry_limit = 0 where id = ${jobId}`.execute(db);
      const run = await waitForRun(server.api, auth, user.id, runId);
      expect([run.stage, run.status]).toEqual(['failed', 'failed']);
      expect(run.error).toEqual({ code: 'INTERNAL_ERROR', message: 'bookkeeping failed \uFFFD' });
      let job = await platform.queue.job(SYNC_QUEUE, jobId);
      for (const deadline = Date.now() + 5000; job?.state !== 'failed' && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 25));
        job = await platform.queue.job(SYNC_QUEUE, jobId);
      }
      expect([job?.state, job?.output]).toEqual([
        'failed',
        { code: 'XX000', message: 'bookkeeping failed \uFFFD' },
      ]);
      // The connection is free again.
      platform.deps.sync = real;
      const next = await server.api.request('POST', '/api/v1/sync', {
        auth,
        json: { connection_id: connectionId },
      });
      expect([next.status, next.body.created]).toEqual([202, true]);
      expect((await waitForRun(server.api, auth, user.id, next.body.job_id)).status).toBe('success');
    } finally {
      platform.deps.sync = real;
    }
  });

  it('stores a run’s message, result and error however much NUL and lone surrogates they quote', async () => {
    const { platform } = ctx();
    const { dev, user } = await sandboxConnection(ctx());
    const db = platform.database.db;
    const id = newRunId('sdk', 'apple');
    await createRun(db, {
      id,
      developerId: dev.id,
      userId: user.id,
      provider: 'apple',
      source: 'sdk',
      message: 'q\u0000',
    });
    const row = await finishRun(db, id, {
      stage: 'failed',
      status: 'failed',
      message: 'Failed on "\u0000\uD800"',
      result: { 'k\u0000': ['\uDC00x'] },
      error: Object.assign(new Error('bad \u0000 value'), { code: '22021', params: ['secret\u0000'] }),
    });
    expect(row.message).toBe('Failed on "\uFFFD\uFFFD"');
    expect(row.result).toEqual({ 'k\uFFFD': ['\uFFFDx'] });
    expect(row.error).toEqual({ code: '22021', message: 'bad \uFFFD value' });
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)(
  `kill -9 between a run's insert and its job's insert [postgres]${databaseUrl ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`,
  () => {
    const schema = `crash_${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: databaseUrl ?? '',
      DATABASE_SCHEMA: schema,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: '0',
    };
    const processes: WearlinkProcess[] = [];
    const admin = new pg.Client({ connectionString: databaseUrl });
    // Holds the lock in its own transaction (pg_stat_activity is a snapshot within a transaction).
    const locker = new pg.Client({ connectionString: databaseUrl });
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      await locker.end().catch(() => undefined);
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.query(`drop schema if exists "${schema}_pgboss" cascade`);
      await admin.end();
    });

    it('leaves neither run nor job, and the connection syncs after the restart', async () => {
      await admin.connect();
      await locker.connect();
      expect(wearlinkSync(['migrate'], env).status).toBe(0);
      const serve = () => {
        const p = wearlink(['serve', '--no-scheduler'], env);
        processes.push(p);
        return p;
      };
      let node = serve();
      let api = new ApiClient((await node.waitFor(/running at (http:\/\/\S+)/))[1] as string);
      const dev = await api.registerDeveloper();
      const user = await api.createUser(dev.key);
      const auth = { key: dev.key };
      const connection = await api.request('POST', `/api/v1/users/${user.id}/connections`, {
        auth,
        json: { provider: 'sandbox', settings: { page_delay_ms: 0 } },
      });

      // Hold the job table so the request stops right after inserting its run, then kill the node there.
      await locker.query('begin');
      await locker.query(`lock table "${schema}_pgboss".job in access exclusive mode`);
      const request = api
        .request('POST', '/api/v1/sync', { auth, json: { connection_id: connection.body.id } })
        .catch(() => undefined);
      for (const deadline = Date.now() + 15_000; ; ) {
        const waiting = await admin.query(
          `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike $1`,
          [`%insert into ${schema}_pgboss.job%`],
        );
        if (waiting.rowCount) break;
        if (Date.now() > deadline) throw new Error('the request never reached the job insert');
        await new Promise((r) => setTimeout(r, 25));
      }
      expect((await admin.query(`select count(*)::int as n from "${schema}".sync_runs`)).rows[0].n).toBe(0);
      await node.stop('SIGKILL');
      await request;
      await locker.query('rollback');

      node = serve();
      api = new ApiClient((await node.waitFor(/running at (http:\/\/\S+)/))[1] as string);
      // Nothing of the killed request survived: no run holds the connection.
      expect((await admin.query(`select count(*)::int as n from "${schema}".sync_runs`)).rows[0].n).toBe(0);
      const next = await api.request('POST', '/api/v1/sync', {
        auth,
        json: { connection_id: connection.body.id },
      });
      expect([next.status, next.body.created]).toEqual([202, true]);
      expect((await waitForRun(api, auth, user.id, next.body.job_id)).status).toBe('success');
    });
  },
);
