import { type RawBuilder, sql } from 'kysely';
import { disconnectConnection } from '../../connections/disconnect.ts';
import type { Db } from '../../db/database.ts';
import type { Platform } from '../../platform.ts';
import { blobStoreFor } from '../../storage/blob-store.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { InvalidTransitionError } from '../../sync/sync-runs.repo.ts';

/** How long the job waits for a running import to let go of its lease before wiping anyway. */
const IMPORT_STOP_WAIT_MS = 15_000;
const POLL_MS = 100;

/**
 * The tables of a user's rows, biggest and most-referenced first, so that what the user row's cascade
 * finally removes is small. Tables not named here (a newer table with a `user_id` column) are found in
 * the schema and wiped after these; `data_sources` goes last (the health rows refer to it).
 */
const WIPE_ORDER = [
  'samples',
  'sample_rollups',
  'sample_daily_rollups',
  'sample_offset_days',
  'sleep_stage_intervals',
  'sleep_sessions',
  'workouts',
  'health_scores',
  'nutrition_items',
  'nutrition_logs',
  'provider_backfill_windows',
  'data_exports',
  'sync_runs',
  'raw_payloads',
];
const WIPE_LAST = ['connections', 'data_sources'];

/**
 * Deletes rows of `table` matching `where` (over alias `t`), at most `batch` per statement (each its own
 * transaction, so PGlite's one session answers other queries between batches and PostgreSQL holds no
 * long locks), until none is left. Returns how many went.
 */
async function deleteInBatches(db: Db, table: string, where: RawBuilder<unknown>, batch: number) {
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from ${sql.table(table)} where ctid = any(array(
        select t.ctid from ${sql.table(table)} t where ${where} limit ${batch}))`.execute(db);
    const n = Number(result.numAffectedRows ?? 0n);
    total += n;
    if (n < batch) return total;
  }
}

/** The tables of the current schema with a `user_id` column (the audit log has none: it outlives users). */
export async function tablesWithUserId(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

function wipeOrder(present: string[]): string[] {
  const has = new Set(present);
  const named = new Set([...WIPE_ORDER, ...WIPE_LAST]);
  return [
    ...WIPE_ORDER.filter((t) => has.has(t)),
    ...present.filter((t) => !named.has(t)),
    ...WIPE_LAST.filter((t) => has.has(t)),
  ];
}

/**
 * Ends the user's unfinished runs (pulls, webhooks, backfills, imports, exports) as cancelled: a queued
 * one never starts, a running one stops at its next step (its next stage change is refused; its next
 * write is refused by the write guard anyway). Then waits, boundedly, for running imports to let go.
 */
async function stopRuns(platform: Platform, userId: string, provider?: string): Promise<void> {
  const { db, runs } = platform.deps;
  let query = db
    .selectFrom('sync_runs')
    .select(['id', 'queue_job_id', 'source'])
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null);
  if (provider !== undefined) query = query.where('provider', '=', provider);
  const open = await query.execute();
  for (const run of open) {
    // Sync-queue jobs (pull, backfill, webhook) can be cancelled in the queue; the others see the run end.
    if (run.queue_job_id !== null && ['pull', 'backfill', 'webhook'].includes(run.source)) {
      await platform.queue.cancel(run.queue_job_id).catch(() => undefined);
    }
    await runs
      .finish(run.id, {
        stage: 'cancelled',
        status: 'cancelled',
        message: 'Cancelled: the user’s data is being deleted',
      })
      .catch((error: unknown) => {
        if (!(error instanceof InvalidTransitionError)) throw error; // ended meanwhile
      });
  }
  const deadline = Date.now() + IMPORT_STOP_WAIT_MS;
  while (Date.now() < deadline) {
    let leases = db
      .selectFrom('import_leases')
      .innerJoin('sync_runs', 'sync_runs.id', 'import_leases.run_id')
      .select('import_leases.run_id')
      .where('sync_runs.user_id', '=', userId);
    if (provider !== undefined) leases = leases.where('sync_runs.provider', '=', provider);
    const leased = await leases.executeTakeFirst();
    if (leased === undefined) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  platform.logger.warn({ user_id: userId }, 'an import still holds its lease; deleting anyway');
}

/**
 * Revokes each of the user's connections at its vendor (tokens and per-user subscriptions), then drops
 * the row, so a retried job does not revoke twice. A vendor that refuses or is away does not stop the
 * wipe: disconnectConnection logs it and revokes locally; anything else is logged here, and the row goes.
 */
async function revokeConnections(platform: Platform, userId: string): Promise<void> {
  const { db } = platform.deps;
  const connections = await db.selectFrom('connections').selectAll().where('user_id', '=', userId).execute();
  for (const connection of connections) {
    try {
      await disconnectConnection(platform.deps, connection);
    } catch (error) {
      platform.logger.warn(
        {
          user_id: userId,
          connection_id: connection.id,
          provider: connection.provider,
          error: toStoredError(error),
        },
        'connection not revoked at the vendor; deleted anyway',
      );
    }
    await db.deleteFrom('connections').where('id', '=', connection.id).execute();
  }
}

/** Deletes the user's stored files (export archives, meal photos) before the rows naming them go. */
async function deleteBlobs(platform: Platform, userId: string, tables: string[]): Promise<void> {
  const blobs = blobStoreFor(platform.config);
  const keys: string[] = [];
  if (tables.includes('data_exports')) {
    const rows = await sql<{ key: string }>`
      select blob_key as key from data_exports where user_id = ${userId} and blob_key is not null`.execute(
      platform.deps.db,
    );
    keys.push(...rows.rows.map((r) => r.key));
  }
  if (tables.includes('nutrition_logs')) {
    const rows = await sql<{ key: string }>`
      select image_key as key from nutrition_logs where user_id = ${userId} and image_key is not null`.execute(
      platform.deps.db,
    );
    keys.push(...rows.rows.map((r) => r.key));
  }
  // A failure throws: the job is retried, and the rows naming the files are still there to find them.
  for (const key of keys) await blobs.delete(key);
}

/**
 * Deletes every row of a user marked deleted (users.deleted_at, set by DELETE /users/{id}), then the
 * user row (issue 18). Steps, each safe to run again: stop the user's runs; revoke connections at the
 * vendor; delete stored files; delete table by table in batches of DELETE_BATCH_ROWS; finally, in one
 * transaction, delete the user row and sweep `samples` and `sample_rollups` (which have no foreign key).
 * That `delete from users` waits for sample writes still holding the write guard's `for key share` lock
 * (samples.repo.ts), and the sweep after it removes what they wrote: no row of the user survives a race.
 * A retry (crash, lost worker, database away) re-reads what is left and carries on.
 */
export async function runUserDeletionJob(
  platform: Platform,
  userId: string,
  attempt: JobAttempt,
): Promise<void> {
  const { db } = platform.deps;
  const user = await db
    .selectFrom('users')
    .select(['id', 'deleted_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user === undefined) return; // finished by an earlier attempt
  if (user.deleted_at === null) {
    // Never wipe a live user (a job naming one cannot come from the API; refuse rather than guess).
    platform.logger.error({ user_id: userId }, 'delete-user job for a user not marked deleted; ignored');
    return;
  }
  try {
    const started = Date.now();
    await stopRuns(platform, userId);
    await revokeConnections(platform, userId);
    const tables = await tablesWithUserId(db);
    await deleteBlobs(platform, userId, tables);
    const batch = platform.config.DELETE_BATCH_ROWS;
    const deleted: Record<string, number> = {};
    for (const table of wipeOrder(tables)) {
      if (table === 'workouts') {
        // Route points have no user_id: by their workouts, before the workouts' cascade would take them all at once.
        deleted.workout_route_points = await deleteInBatches(
          db,
          'workout_route_points',
          sql`t.workout_id in (select w.id from workouts w where w.user_id = ${userId})`,
          batch,
        );
      }
      deleted[table] = await deleteInBatches(db, table, sql`t.user_id = ${userId}`, batch);
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('users').where('id', '=', userId).where('deleted_at', 'is not', null).execute();
      // Chunks that held the guard's lock committed before the delete above could go on: theirs are swept here.
      await trx.deleteFrom('samples').where('user_id', '=', userId).execute();
      await trx.deleteFrom('sample_rollups').where('user_id', '=', userId).execute();
      await trx.deleteFrom('sample_daily_rollups').where('user_id', '=', userId).execute();
    });
    platform.logger.info(
      { user_id: userId, deleted, elapsed_ms: Date.now() - started, attempt: attempt.count },
      'user deleted',
    );
  } catch (error) {
    if (attempt.count >= attempt.limit) {
      // The user stays invisible and refuses writes; the next start of a data-rights worker queues the
      // deletion again (resumeUserDeletions), and it carries on from what is left.
      platform.logger.error(
        { user_id: userId, error: toStoredError(error) },
        'user deletion failed on its last attempt; it resumes when a worker starts',
      );
    }
    throw error;
  }
}

/**
 * Queues the deletion again of every user marked deleted whose job is no longer live in the queue (it
 * failed on its last attempt, or the queue's jobs were lost). Called when a data-rights worker starts.
 */
export async function resumeUserDeletions(platform: Platform): Promise<number> {
  const { db } = platform.deps;
  const schema = platform.queue.schema;
  const { rows } = await sql<{ id: string }>`
    select u.id from users u
    where u.deleted_at is not null
      and not exists (
        select 1 from ${sql.table(`${schema}.job`)} j
        where j.name = 'data-rights' and j.state in ('created', 'retry', 'active')
          and j.data->>'task' = 'delete-user' and j.data->>'userId' = u.id::text)
    limit 1000`.execute(db);
  for (const { id } of rows) await platform.queue.enqueueDataRights({ task: 'delete-user', userId: id });
  return rows.length;
}

/**
 * Deletes one provider's data of a user (DELETE /users/{id}/connections/{provider}/data): the rows of
 * the user's data sources of that provider (samples, hourly aggregates, workouts, sleep, scores), the
 * raw payloads that provider sent, and the sources themselves, in batches. The user's unfinished runs
 * of that provider are cancelled first so that no sync of it writes meanwhile. The connection stays.
 */
export async function runProviderDataDeletionJob(
  platform: Platform,
  userId: string,
  provider: string,
  attempt: JobAttempt,
): Promise<void> {
  const { db } = platform.deps;
  const user = await db
    .selectFrom('users')
    .select(['id', 'deleted_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user === undefined || user.deleted_at !== null) return; // the user's whole deletion covers it
  const batch = platform.config.DELETE_BATCH_ROWS;
  try {
    await stopRuns(platform, userId, provider);
    const sources = (
      await db
        .selectFrom('data_sources')
        .select('id')
        .where('user_id', '=', userId)
        .where('provider', '=', provider)
        .execute()
    ).map((s) => s.id);
    const deleted: Record<string, number> = {};
    if (sources.length > 0) {
      const bySource = sql`t.user_id = ${userId} and t.source_id = any(${sources}::int4[])`;
      for (const table of [
        'samples',
        'sample_rollups',
        'sample_daily_rollups',
        'sample_offset_days',
        'sleep_stage_intervals',
        'sleep_sessions',
      ]) {
        deleted[table] = await deleteInBatches(db, table, bySource, batch);
      }
      deleted.workout_route_points = await deleteInBatches(
        db,
        'workout_route_points',
        sql`t.workout_id in (select w.id from workouts w where w.user_id = ${userId} and w.source_id = any(${sources}::int4[]))`,
        batch,
      );
      deleted.workouts = await deleteInBatches(db, 'workouts', bySource, batch);
    }
    const byProvider = sql`t.user_id = ${userId} and t.provider = ${provider}`;
    deleted.health_scores = await deleteInBatches(db, 'health_scores', byProvider, batch);
    deleted.raw_payloads = await deleteInBatches(db, 'raw_payloads', byProvider, batch);
    // Last: whatever still refers to a source (written by a run that ended just now) cascades with it.
    deleted.data_sources = await deleteInBatches(db, 'data_sources', byProvider, batch);
    platform.logger.info({ user_id: userId, provider, deleted }, "provider's data deleted");
  } catch (error) {
    if (attempt.count >= attempt.limit) {
      platform.logger.error(
        { user_id: userId, provider, error: toStoredError(error) },
        "deleting a provider's data failed on its last attempt; ask again to finish it",
      );
    }
    throw error;
  }
}
