import { type KyselyPlugin, sql } from 'kysely';
import { expect, it } from 'vitest';
import { resumeUserDeletions, runUserDeletionJob } from '../../src/data-rights/deletion/job.ts';
import type { Db } from '../../src/db/database.ts';
import type { Platform } from '../../src/platform.ts';
import { DATA_RIGHTS_QUEUE, IMPORT_QUEUE, SYNC_QUEUE } from '../../src/sync/job-queue.ts';
import { markUserDeleted } from '../../src/users/users.repo.ts';
import { SYNTHETIC_EXPORT } from '../importers/synthetic-export.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';
import { eventually } from '../support/vendor-e2e.ts';

/** An export.xml of `n` heart-rate records a second apart: big enough to be importing when a delete lands. */
function bigExport(n: number): string {
  const lines: string[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * 1000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000');
    lines.push(
      `<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Big Watch" unit="count/min" startDate="${t}" endDate="${t}" value="${60 + (i % 40)}"/>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n <ExportDate value="2024-03-02 10:00:00 +0100"/>\n${lines.join('\n')}\n</HealthData>\n`;
}

/** Rows of the user in every table of the test schema with a `user_id` column (pg-boss's schema aside). */
async function rowsLeft(db: Db, userId: string): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'`.execute(
    db,
  );
  expect(tables.map((t) => t.table_name)).toEqual(
    expect.arrayContaining(['samples', 'sample_rollups', 'workouts']),
  );
  const left: Record<string, number> = {};
  for (const { table_name } of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table_name)} where user_id = ${userId}`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) left[table_name] = rows[0]?.n as number;
  }
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (user !== undefined) left.users = 1;
  return left;
}

async function count(db: Db, table: 'samples' | 'sample_rollups' | 'health_scores', userId: string) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where user_id = ${userId}`.execute(db);
  return rows[0]?.n ?? 0;
}

async function setup(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const auth = { key: dev.key };
  const user = await server.api.createUser(dev.key, {
    email: `gone-${Date.now()}@example.com`,
    external_id: 'ext-1',
  });
  return { dev, auth, user };
}

async function importApple(server: TestServer, auth: { key: string }, userId: string, xml: string) {
  const form = new FormData();
  form.append('file', new Blob([xml]), 'export.xml');
  const res = await server.api.request('POST', `/api/v1/users/${userId}/import/apple/xml/direct`, {
    auth,
    body: form,
  });
  expect(res.status).toBe(202);
  return res.body.run_id as string;
}

async function sandboxSync(
  server: TestServer,
  auth: { key: string },
  userId: string,
  mode: 'incremental' | 'historical',
  settings: Record<string, unknown>,
) {
  const connection = await server.api.request('POST', `/api/v1/users/${userId}/connections`, {
    auth,
    json: { provider: 'sandbox', settings },
  });
  expect(connection.status).toBe(201);
  const started = await server.api.request('POST', '/api/v1/sync', {
    auth,
    json: { connection_id: connection.body.id, mode },
  });
  expect(started.status).toBe(202);
  return started.body.job_id as string;
}

const userGone = (db: Db, userId: string) =>
  eventually(
    async () =>
      (await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) === undefined
        ? true
        : undefined,
    'the deletion job to delete the user row',
    60_000,
  );

describeEachDatabase(
  'user deletion (DELETE /users/{id})',
  (ctx) => {
    it('makes the user disappear at once, audits it, and the job leaves no row of theirs', async () => {
      const server = ctx();
      const { db } = server.platform.deps;
      const { dev, auth, user } = await setup(server);
      const run = await importApple(server, auth, user.id, SYNTHETIC_EXPORT);
      expect((await waitForRun(server.api, auth, user.id, run)).stage).toBe('completed');
      expect(await count(db, 'samples', user.id)).toBeGreaterThan(0);
      const sdk = await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth });
      expect(sdk.status).toBe(200);

      expect((await server.api.request('DELETE', `/api/v1/users/${user.id}`, { auth })).status).toBe(204);
      // Gone from the API at once, whatever the job has done so far.
      const get = await server.api.request('GET', `/api/v1/users/${user.id}`, { auth });
      expect(get.status).toBe(404);
      expect(get.body.detail).toBe('User not found');
      const list = await server.api.request('GET', '/api/v1/users', { auth });
      expect(list.body.data.map((u: { id: string }) => u.id)).not.toContain(user.id);
      expect(list.body.pagination.total_count).toBe(0);
      expect((await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth })).status).toBe(404);
      const push = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: { bearer: sdk.body.access_token },
        json: { provider: 'apple', sdkVersion: '1.0.0', syncTimestamp: '2026-04-23T08:00:00Z', data: {} },
      });
      expect(push.status).toBe(404);
      expect((await server.api.request('DELETE', `/api/v1/users/${user.id}`, { auth })).status).toBe(404);
      expect((await server.api.request('GET', `/api/v1/users/${user.id}/connections`, { auth })).status).toBe(
        404,
      );
      // Email and external id are free again at once.
      const again = await server.api.request('POST', '/api/v1/users', {
        auth,
        json: { external_id: 'ext-1' },
      });
      expect(again.status).toBe(201);

      await userGone(db, user.id);
      expect(await rowsLeft(db, user.id)).toEqual({});
      const audit = await db
        .selectFrom('audit_logs')
        .select(['action', 'target_id', 'actor_type'])
        .where('developer_id', '=', dev.id)
        .where('target_id', '=', user.id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['user.created', 'user.deleted']);
      expect(audit[1]?.actor_type).toBe('api_key');
    });

    it('a delete racing an Apple import and a running sync leaves zero rows of the user in every table', async () => {
      const server = ctx();
      const { db } = server.platform.deps;
      const { auth, user } = await setup(server);
      const syncJob = await sandboxSync(server, auth, user.id, 'historical', { page_delay_ms: 40 });
      const importRun = await importApple(server, auth, user.id, bigExport(120_000));
      // Both are writing when the delete lands.
      await eventually(async () => {
        const r = await server.api.request('GET', `/api/v1/users/${user.id}/sync/runs/${importRun}`, {
          auth,
        });
        return r.body.stage === 'saving' && r.body.items_processed > 0 ? true : undefined;
      }, 'the import to be saving');
      const sync = await server.api.request('GET', `/api/v1/sync/status?job_id=${syncJob}`, { auth });
      expect(sync.body.status).toBe('running');
      const jobs = await db
        .selectFrom('sync_runs')
        .select(['id', 'queue_job_id'])
        .where('id', 'in', [syncJob, importRun])
        .execute();
      expect(await count(db, 'samples', user.id)).toBeGreaterThan(0);
      expect((await server.api.request('DELETE', `/api/v1/users/${user.id}`, { auth })).status).toBe(204);
      await userGone(db, user.id);
      expect(await rowsLeft(db, user.id)).toEqual({});

      // Once neither the import nor the sync job is running any more, still nothing of the user.
      for (const job of jobs) {
        const queue = job.id === importRun ? IMPORT_QUEUE : SYNC_QUEUE;
        await eventually(
          async () =>
            (await server.platform.queue.job(queue, job.queue_job_id as string))?.state === 'active'
              ? undefined
              : true,
          `the ${queue} job to stop`,
        );
      }
      expect(await rowsLeft(db, user.id)).toEqual({});
    }, 90_000);

    it('a deletion killed part-way is finished by the next attempt, and running it again is harmless', async () => {
      const server = ctx();
      const platform = server.platform;
      const { db } = platform.deps;
      const { dev, auth, user } = await setup(server);
      const syncJob = await sandboxSync(server, auth, user.id, 'incremental', { page_delay_ms: 0 });
      await eventually(async () => {
        const r = await server.api.request('GET', `/api/v1/sync/status?job_id=${syncJob}`, { auth });
        return r.body.status === 'completed' ? true : undefined;
      }, 'the sync to complete');
      const samples = await count(db, 'samples', user.id);
      expect(samples).toBeGreaterThan(300);
      // Marked as the route marks it, but with no job queued: this test runs the job itself.
      expect(await markUserDeleted(db, dev.id, user.id)).toBeDefined();

      // The process dies after two batched deletes (a plugin throws on the third).
      let deletes = 0;
      const killer: KyselyPlugin = {
        transformQuery(args) {
          const text = JSON.stringify(args.node);
          if (/delete from/i.test(text) && ++deletes > 2) throw new Error('killed');
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      // Small batches, so the kill lands in the middle of the samples.
      const config = { ...platform.config, DELETE_BATCH_ROWS: 100 };
      const dying: Platform = { ...platform, config, deps: { ...platform.deps, db: db.withPlugin(killer) } };
      await expect(runUserDeletionJob(dying, user.id, { count: 0, limit: 5, jobId: 'x' })).rejects.toThrow(
        'killed',
      );
      const partway = await count(db, 'samples', user.id);
      expect(partway).toBeGreaterThan(0);
      expect(partway).toBeLessThan(samples);
      expect((await server.api.request('GET', `/api/v1/users/${user.id}`, { auth })).status).toBe(404);

      await runUserDeletionJob({ ...platform, config }, user.id, { count: 1, limit: 5, jobId: 'x' });
      expect(await rowsLeft(db, user.id)).toEqual({});
      await runUserDeletionJob(platform, user.id, { count: 2, limit: 5, jobId: 'x' });
      expect(await rowsLeft(db, user.id)).toEqual({});
    });

    it('a deletion whose job is gone is queued again when a worker starts', async () => {
      const server = ctx();
      const { db } = server.platform.deps;
      const { dev, user } = await setup(server);
      const live = await server.api.createUser(dev.key);
      // Marked, with no job (as after a last attempt that failed).
      expect(await markUserDeleted(db, dev.id, user.id)).toBeDefined();
      expect(await resumeUserDeletions(server.platform)).toBeGreaterThanOrEqual(1);
      server.platform.queue.wake(DATA_RIGHTS_QUEUE);
      await userGone(db, user.id);
      expect(await rowsLeft(db, user.id)).toEqual({});
      // Nothing left to resume, and live users are left alone.
      expect(await resumeUserDeletions(server.platform)).toBe(0);
      expect(
        await db.selectFrom('users').select('id').where('id', '=', live.id).executeTakeFirst(),
      ).toBeDefined();
    });

    it('a delete-user job for a user not marked deleted deletes nothing', async () => {
      const server = ctx();
      const { auth, user } = await setup(server);
      await runUserDeletionJob(server.platform, user.id, { count: 0, limit: 5, jobId: 'x' });
      expect((await server.api.request('GET', `/api/v1/users/${user.id}`, { auth })).status).toBe(200);
    });
  },
  { env: { IMPORT_LEASE_SECONDS: '4' } },
);

describeEachDatabase('provider data deletion (DELETE /users/{id}/connections/{provider}/data)', (ctx) => {
  it("removes only that provider's rows of that user", async () => {
    const server = ctx();
    const { db } = server.platform.deps;
    const { dev, auth, user } = await setup(server);
    const other = await server.api.createUser(dev.key);
    for (const id of [user.id, other.id]) {
      const run = await importApple(server, auth, id, SYNTHETIC_EXPORT);
      expect((await waitForRun(server.api, auth, id, run)).stage).toBe('completed');
      const job = await sandboxSync(server, auth, id, 'incremental', { page_delay_ms: 0 });
      await eventually(async () => {
        const r = await server.api.request('GET', `/api/v1/sync/status?job_id=${job}`, { auth });
        return r.body.status === 'completed' ? true : undefined;
      }, 'the sync to complete');
    }
    const byProvider = async (userId: string) => {
      const { rows } = await sql<{ provider: string; samples: number; rollups: number; scores: number }>`
        select ds.provider,
               (select count(*)::int from samples s where s.user_id = ${userId} and s.source_id = any(array_agg(ds.id))) as samples,
               (select count(*)::int from sample_rollups r where r.user_id = ${userId} and r.source_id = any(array_agg(ds.id))) as rollups,
               (select count(*)::int from health_scores h where h.user_id = ${userId} and h.provider = ds.provider) as scores
        from data_sources ds where ds.user_id = ${userId} group by ds.provider order by ds.provider`.execute(
        db,
      );
      return Object.fromEntries(rows.map((r) => [r.provider, r]));
    };
    const before = await byProvider(user.id);
    const otherBefore = await byProvider(other.id);
    expect(before.sandbox?.samples).toBeGreaterThan(0);
    expect(before.sandbox?.scores).toBeGreaterThan(0);
    expect(before.apple?.samples).toBeGreaterThan(0);

    const unknown = await server.api.request('DELETE', `/api/v1/users/${user.id}/connections/nope/data`, {
      auth,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/Unknown provider/);

    const res = await server.api.request('DELETE', `/api/v1/users/${user.id}/connections/sandbox/data`, {
      auth,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', provider: 'sandbox', user_id: user.id });
    await eventually(
      async () => ((await byProvider(user.id)).sandbox === undefined ? true : undefined),
      'the sandbox sources to go',
    );
    const after = await byProvider(user.id);
    expect(after).toEqual({ apple: before.apple });
    const { rows: orphans } = await sql<{ n: number }>`
      select count(*)::int as n from samples s where s.user_id = ${user.id}
        and not exists (select 1 from data_sources ds where ds.id = s.source_id)`.execute(db);
    expect(orphans[0]?.n).toBe(0);
    const { rows: raw } = await sql<{ n: number }>`
      select count(*)::int as n from raw_payloads where user_id = ${user.id} and provider = 'sandbox'`.execute(
      db,
    );
    expect(raw[0]?.n).toBe(0);
    expect(await byProvider(other.id)).toEqual(otherBefore);
    // The connection itself stays.
    const connections = await server.api.request('GET', `/api/v1/users/${user.id}/connections`, { auth });
    expect(connections.body.data ?? connections.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ provider: 'sandbox', status: 'active' })]),
    );
    const audit = await db
      .selectFrom('audit_logs')
      .select(['action', 'detail'])
      .where('developer_id', '=', dev.id)
      .where('action', '=', 'user.provider_data_deleted')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toEqual({ provider: 'sandbox' });
  });
});
