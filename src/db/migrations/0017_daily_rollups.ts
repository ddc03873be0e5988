import { type Kysely, sql } from 'kysely';

/** A plpgsql function for an AFTER … FOR EACH STATEMENT trigger: `body`'s statements, then `return null`. */
const triggerFunction = (db: Kysely<unknown>, name: string, body: string) =>
  sql
    .raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
    .execute(db);

/**
 * Daily rollups: `sample_rollups` summed per local day (the date of the local hour), for daily activity
 * summaries, which read a year as ~365 rows per series instead of ~8,760 hourly ones (bench:query,
 * 365 days: 0.4 vs 2.4 ms for the aggregate alone in psql, quiet; the hourly read was the biggest part of
 * the database's time per summary request).
 *
 * Kept by statement-level triggers on `sample_rollups` itself, so every writer of the hourly rollups
 * (insertSamples' chunks, rebuildRollups, retention, deletions) keeps the days without knowing about
 * them. A trigger sees a chunk's hourly rows (~1/60 of its minute samples), not its samples: the cost
 * that moved 0007's trigger on `samples` into insertSamples does not arise here.
 * - Inserted hours add their n and sum to the day and widen its min/max; updated hours add new − old.
 *   Both are deltas applied by an upsert, so concurrent writers to the same day add up (the upsert
 *   re-reads the committed row). An hourly row is only ever updated by insertSamples' upsert, which
 *   never raises min or lowers max, so widening is exact.
 * - Deleted hours: their days are recomputed from the hours left (a min or max cannot be subtracted),
 *   and a day with none left is removed.
 * Locks: a statement takes its hours (in key order, as before) and only then, in its trigger, its days
 * in key order; a statement holding days waits for no hour, so concurrent chunks cannot deadlock on them
 * (each chunk of samples is one statement, or COPY plus one rollup statement, in its own transaction).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sample_daily_rollups (
      user_id uuid not null,
      series_type smallint not null,
      local_day date not null,
      source_id integer not null,
      n integer not null,
      sum double precision not null,
      min double precision not null,
      max double precision not null,
      primary key (user_id, series_type, local_day, source_id)
    )`.execute(db);
  const upsertDays = (rows: string) => `
    insert into sample_daily_rollups as d (user_id, series_type, local_day, source_id, n, sum, min, max)
    select user_id, series_type, local_day, source_id, sum(n), sum(sum), min(min), max(max)
    from (${rows}) r
    group by user_id, series_type, local_day, source_id
    order by user_id, series_type, local_day, source_id
    on conflict (user_id, series_type, local_day, source_id) do update
      set n = d.n + excluded.n, sum = d.sum + excluded.sum,
          min = least(d.min, excluded.min), max = greatest(d.max, excluded.max)`;
  await triggerFunction(
    db,
    'sample_daily_rollups_inserted',
    `
      ${upsertDays('select user_id, series_type, local_hour::date as local_day, source_id, n, sum, min, max from new_hours')};`,
  );
  await triggerFunction(
    db,
    'sample_daily_rollups_updated',
    `
      ${upsertDays(`
        select n.user_id, n.series_type, n.local_hour::date as local_day, n.source_id,
               n.n - o.n as n, n.sum - o.sum as sum, n.min, n.max
        from new_hours n join old_hours o using (user_id, series_type, local_hour, source_id)`)};`,
  );
  await triggerFunction(
    db,
    'sample_daily_rollups_deleted',
    `
      delete from sample_daily_rollups d
      using (select distinct user_id, series_type, local_hour::date as local_day, source_id from old_hours) k
      where d.user_id = k.user_id and d.series_type = k.series_type and d.local_day = k.local_day
        and d.source_id = k.source_id;
      insert into sample_daily_rollups (user_id, series_type, local_day, source_id, n, sum, min, max)
      select k.user_id, k.series_type, k.local_day, k.source_id, sum(x.n), sum(x.sum), min(x.min), max(x.max)
      from (select distinct user_id, series_type, local_hour::date as local_day, source_id from old_hours) k
      join sample_rollups x on x.user_id = k.user_id and x.series_type = k.series_type
        and x.source_id = k.source_id
        and x.local_hour >= k.local_day and x.local_hour < k.local_day + 1
      group by k.user_id, k.series_type, k.local_day, k.source_id
      order by k.user_id, k.series_type, k.local_day, k.source_id;`,
  );
  await sql`
    create trigger sample_daily_rollups_inserted after insert on sample_rollups
    referencing new table as new_hours
    for each statement execute function sample_daily_rollups_inserted()`.execute(db);
  await sql`
    create trigger sample_daily_rollups_updated after update on sample_rollups
    referencing old table as old_hours new table as new_hours
    for each statement execute function sample_daily_rollups_updated()`.execute(db);
  await sql`
    create trigger sample_daily_rollups_deleted after delete on sample_rollups
    referencing old table as old_hours
    for each statement execute function sample_daily_rollups_deleted()`.execute(db);
  // After the triggers: hours written from here on wait for this transaction and are counted by them.
  await sql`
    insert into sample_daily_rollups (user_id, series_type, local_day, source_id, n, sum, min, max)
    select user_id, series_type, local_hour::date, source_id, sum(n), sum(sum), min(min), max(max)
    from sample_rollups
    group by 1, 2, 3, 4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger sample_daily_rollups_deleted on sample_rollups`.execute(db);
  await sql`drop trigger sample_daily_rollups_updated on sample_rollups`.execute(db);
  await sql`drop trigger sample_daily_rollups_inserted on sample_rollups`.execute(db);
  await sql`drop function sample_daily_rollups_deleted()`.execute(db);
  await sql`drop function sample_daily_rollups_updated()`.execute(db);
  await sql`drop function sample_daily_rollups_inserted()`.execute(db);
  await sql`drop table sample_daily_rollups`.execute(db);
}
