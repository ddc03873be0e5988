import { sql } from 'kysely';
import { SERIES_TYPES } from '../../catalog/series-types.ts';
import type { Db } from '../../db/database.ts';

/** A developer's retention policy; null in a field means keep that data for good (the default). */
export interface RetentionPolicy {
  raw_payload_days: number | null;
  sample_days: number | null;
  delete_after_days: number | null;
}

export const KEEP_EVERYTHING: RetentionPolicy = {
  raw_payload_days: null,
  sample_days: null,
  delete_after_days: null,
};

const DAY_MS = 86_400_000;

export async function findRetentionPolicy(
  db: Db,
  developerId: string,
  options: { forUpdate?: boolean } = {},
): Promise<(RetentionPolicy & { updated_at: Date }) | undefined> {
  let query = db
    .selectFrom('data_retention_policies')
    .select(['raw_payload_days', 'sample_days', 'delete_after_days', 'updated_at'])
    .where('developer_id', '=', developerId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function saveRetentionPolicy(
  db: Db,
  developerId: string,
  policy: RetentionPolicy,
): Promise<RetentionPolicy & { updated_at: Date }> {
  return db
    .insertInto('data_retention_policies')
    .values({ developer_id: developerId, ...policy, updated_at: new Date() })
    .onConflict((oc) => oc.column('developer_id').doUpdateSet({ ...policy, updated_at: new Date() }))
    .returning(['raw_payload_days', 'sample_days', 'delete_after_days', 'updated_at'])
    .executeTakeFirstOrThrow();
}

/** Developers with at least one limit set: the only ones a retention pass has work for. */
export function policiesWithLimits(db: Db): Promise<(RetentionPolicy & { developer_id: string })[]> {
  return db
    .selectFrom('data_retention_policies')
    .select(['developer_id', 'raw_payload_days', 'sample_days', 'delete_after_days'])
    .where((eb) =>
      eb.or([
        eb('raw_payload_days', 'is not', null),
        eb('sample_days', 'is not', null),
        eb('delete_after_days', 'is not', null),
      ]),
    )
    .orderBy('developer_id')
    .execute();
}

export async function userIdsOfDeveloper(db: Db, developerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('developer_id', '=', developerId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** `now` minus whole days. */
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/**
 * Runs `statement` (one batch of at most `batch` rows, returning how many it removed) until a batch
 * comes back short. Each statement commits on its own: a pass interrupted anywhere leaves only whole
 * batches removed, and the next pass carries on from what is left.
 */
async function inBatches(batch: number, statement: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await statement();
    total += removed;
    if (removed < batch) return total;
  }
}

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);

/**
 * Raw payloads of a user received before `before`, except one an unfinished run still needs (a queued
 * or interrupted ingest job replays its batch from it). Deleting one sets `sync_runs.raw_payload_id`
 * of its finished runs to null (the foreign key says so).
 */
export function deleteRawPayloadsBefore(db: Db, userId: string, before: Date, batch: number) {
  return inBatches(batch, async () =>
    affected(
      await sql`
        delete from raw_payloads where id in (
          select p.id from raw_payloads p
          where p.user_id = ${userId} and p.received_at < ${before}
            and not exists (select 1 from sync_runs r where r.raw_payload_id = p.id and r.ended_at is null)
          order by p.received_at
          limit ${batch}
        )`.execute(db),
    ),
  );
}

/**
 * Vendor webhook bodies (Garmin pushes health data in them) the developer's app received before
 * `before` and that were already processed; a body still waiting to be processed stays.
 */
export function deleteInboundWebhooksBefore(db: Db, developerId: string, before: Date, batch: number) {
  return inBatches(batch, async () =>
    affected(
      await sql`
        delete from inbound_webhooks where id in (
          select id from inbound_webhooks
          where developer_id = ${developerId} and received_at < ${before} and status <> 'received'
          limit ${batch}
        )`.execute(db),
    ),
  );
}

/**
 * Outgoing webhook messages of the developer created before `before` (the exact bodies sent, which
 * carry the data items their event announced), with their delivery log; a message still being
 * delivered to some endpoint stays until that ends.
 */
export function deleteWebhookMessagesBefore(db: Db, developerId: string, before: Date, batch: number) {
  return inBatches(batch, async () =>
    affected(
      await sql`
        delete from webhook_messages where id in (
          select m.id from webhook_messages m
          where m.developer_id = ${developerId} and m.created_at < ${before}
            and not exists (select 1 from webhook_deliveries d where d.message_id = m.id and d.status = 'pending')
          limit ${batch}
        )`.execute(db),
    ),
  );
}

/**
 * Raw samples of a user that started before `before`. Their hours stay in `sample_rollups`: rollups are
 * written by the same statement that inserts the samples (insertSamples), so every stored sample is
 * already counted in its hour and dropping the sample leaves the hour's n, sum, min and max as they
 * were. `sample_offset_days` is kept too: it is what lets a `1hour` read use those rollups.
 */
export function deleteSamplesBefore(db: Db, userId: string, before: Date, batch: number) {
  // By ctid: samples have no single-column key, and are never updated (a ctid cannot move under us).
  // One index range per series type (the key is user, type, time): no scan of the user's newer rows.
  const types = SERIES_TYPES.map((t) => t.id);
  return inBatches(batch, async () =>
    affected(
      await sql`
        delete from samples where ctid = any(array(
          select s.ctid from unnest(${types}::int2[]) as t(id)
          cross join lateral (
            select ctid from samples
            where user_id = ${userId} and series_type = t.id and start_time < ${before}
            limit ${batch}
          ) s
          limit ${batch}
        ))`.execute(db),
    ),
  );
}

/** One table's rows of a user older than the cutoff, in batches; `where` names them (alias `t`). */
function deleteWhere(db: Db, table: string, where: ReturnType<typeof sql>, batch: number): Promise<number> {
  return inBatches(batch, async () =>
    affected(
      await sql`
        delete from ${sql.table(table)} where ctid = any(array(
          select t.ctid from ${sql.table(table)} t where ${where} limit ${batch}
        ))`.execute(db),
    ),
  );
}

export interface DeletedRows {
  samples: number;
  sample_rollups: number;
  sample_offset_days: number;
  workout_route_points: number;
  workouts: number;
  sleep_stage_intervals: number;
  sleep_sessions: number;
  health_scores: number;
  raw_payloads: number;
  sync_runs: number;
}

/**
 * Every health row of a user from before `before`, in batches: samples, workouts (route points first,
 * so no single cascade removes 100k of them at once), sleep, scores, raw payloads and finished runs.
 * Rollups and `sample_offset_days` are keyed by local hour and UTC day, and a local hour holds samples
 * from UTC times up to 14 h either side: they go once a whole day lies between them and the cutoff,
 * so no row that still counts a kept sample is removed (they follow, a day later, in a later pass).
 */
export async function deleteHealthRowsBefore(
  db: Db,
  userId: string,
  before: Date,
  batch: number,
): Promise<DeletedRows> {
  const dayBefore = new Date(before.getTime() - DAY_MS);
  const threeDaysBefore = new Date(before.getTime() - 3 * DAY_MS);
  const user = sql`t.user_id = ${userId}`;
  const out: DeletedRows = {
    samples: await deleteSamplesBefore(db, userId, before, batch),
    sample_rollups: await inBatches(batch, async () =>
      affected(
        await sql`
          delete from sample_rollups where ctid = any(array(
            select r.ctid from unnest(${SERIES_TYPES.map((t) => t.id)}::int2[]) as t(id)
            cross join lateral (
              select ctid from sample_rollups
              where user_id = ${userId} and series_type = t.id
                and local_hour < (${dayBefore}::timestamptz at time zone 'UTC')
              limit ${batch}
            ) r
            limit ${batch}
          ))`.execute(db),
      ),
    ),
    sample_offset_days: await deleteWhere(
      db,
      'sample_offset_days',
      sql`${user} and t.day < (${threeDaysBefore}::timestamptz at time zone 'UTC')::date`,
      batch,
    ),
    workout_route_points: await deleteWhere(
      db,
      'workout_route_points',
      sql`t.workout_id in (select w.id from workouts w where w.user_id = ${userId} and w.start_time < ${before})`,
      batch,
    ),
    workouts: await deleteWhere(db, 'workouts', sql`${user} and t.start_time < ${before}`, batch),
    sleep_stage_intervals: await deleteWhere(
      db,
      'sleep_stage_intervals',
      sql`${user} and t.start_time < ${before}`,
      batch,
    ),
    sleep_sessions: await deleteWhere(db, 'sleep_sessions', sql`${user} and t.start_time < ${before}`, batch),
    health_scores: await deleteWhere(
      db,
      'health_scores',
      sql`${user} and t.date < (${before}::timestamptz at time zone 'UTC')::date`,
      batch,
    ),
    // Finished runs first: a payload a finished run pointed at is then no one's.
    sync_runs: await deleteWhere(
      db,
      'sync_runs',
      sql`${user} and t.ended_at is not null and t.created_at < ${before}`,
      batch,
    ),
    raw_payloads: await deleteRawPayloadsBefore(db, userId, before, batch),
  };
  return out;
}
