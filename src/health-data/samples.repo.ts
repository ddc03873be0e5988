import { sql } from 'kysely';
import { numericArrayLiteral } from '../db/array-literal.ts';
import type { Db } from '../db/database.ts';
import { sampleEventsCtes } from '../webhooks/outbox.ts';
import { type CanonicalSample, NO_OFFSET, type SampleColumns, toSampleColumns } from './canonical.ts';

/** Rows per INSERT: large enough to amortise round trips, small enough to keep PGlite's single session responsive. */
const CHUNK = 5000;

/** A sample's local wall-clock hour: its own offset, else the user's zone, else UTC. */
const localHourSql = (timezone: string) => sql`date_trunc('hour', case
  when utc_offset_min is null then start_time at time zone ${timezone}
  else (start_time at time zone 'UTC') + utc_offset_min * interval '1 minute' end)`;

/**
 * Inserts samples idempotently (the primary key is the identity of a sample) and returns how many were
 * new; the hourly rollups grow by exactly the rows inserted, and the webhook outbox gets the chunk's
 * `series.<type>.created` / `metrics.<family>.created` events, in the same statement. Rows are sorted by
 * key, and rollup upserts by theirs, so overlapping concurrent batches lock in one order: no deadlocks.
 * Arrays travel as parameters of one `unnest` per chunk: one round trip, no per-row statement cost.
 */
export async function insertSamples(
  db: Db,
  userId: string,
  samples: CanonicalSample[] | SampleColumns,
  sourceIds: number[],
  timezone = 'UTC',
): Promise<number> {
  if (samples.length === 0) return 0;
  const c = Array.isArray(samples) ? toSampleColumns(samples) : samples;
  const sid = c.source.map((s) => sourceIds[s] as number);
  const order = new Uint32Array(c.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort(
    (a, b) =>
      (c.seriesTypeId[a] as number) - (c.seriesTypeId[b] as number) ||
      (c.startMs[a] as number) - (c.startMs[b] as number) ||
      (sid[a] as number) - (sid[b] as number) ||
      (c.durationMs[a] as number) - (c.durationMs[b] as number),
  );
  let inserted = 0;
  for (let offset = 0; offset < order.length; offset += CHUNK) {
    const n = Math.min(CHUNK, order.length - offset);
    const types: number[] = new Array(n);
    const starts: number[] = new Array(n);
    const sources: number[] = new Array(n);
    const durations: number[] = new Array(n);
    const values: number[] = new Array(n);
    const offsets: (number | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = order[offset + i] as number;
      types[i] = c.seriesTypeId[k] as number;
      starts[i] = (c.startMs[k] as number) / 1000;
      sources[i] = sid[k] as number;
      durations[i] = c.durationMs[k] as number;
      values[i] = c.value[k] as number;
      const o = c.utcOffsetMin[k] as number;
      offsets[i] = o === NO_OFFSET ? null : o;
    }
    const { rows } = await sql<{ inserted: number }>`
      with ins as (
        insert into samples (user_id, series_type, start_time, source_id, duration_ms, value, utc_offset_min)
        select ${userId}::uuid, t, to_timestamp(s), src, d, v, o
        from unnest(${numericArrayLiteral(types)}::int2[], ${numericArrayLiteral(starts)}::float8[],
                    ${numericArrayLiteral(sources)}::int4[], ${numericArrayLiteral(durations)}::int4[],
                    ${numericArrayLiteral(values)}::float8[], ${numericArrayLiteral(offsets)}::int2[])
                    as u(t, s, src, d, v, o)
        on conflict do nothing
        returning series_type, start_time, source_id, value, utc_offset_min
      ),
      rolled as (
        insert into sample_rollups as r (user_id, series_type, local_hour, source_id, n, sum, min, max)
        select ${userId}::uuid, series_type, ${localHourSql(timezone)} as hour, source_id,
               count(*), sum(value), min(value), max(value)
        from ins
        group by series_type, hour, source_id
        order by series_type, hour, source_id
        on conflict (user_id, series_type, local_hour, source_id) do update
          set n = r.n + excluded.n, sum = r.sum + excluded.sum,
              min = least(r.min, excluded.min), max = greatest(r.max, excluded.max)
      )${sampleEventsCtes(userId, [...new Set(types)])}
      select count(*)::int as inserted from ins`.execute(db);
    inserted += rows[0]?.inserted ?? 0;
  }
  return inserted;
}

/** Recomputes a user's rollups from their samples (after their time zone changed). */
export async function rebuildRollups(db: Db, userId: string, timezone: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sample_rollups').where('user_id', '=', userId).execute();
    await sql`
      insert into sample_rollups (user_id, series_type, local_hour, source_id, n, sum, min, max)
      select user_id, series_type, ${localHourSql(timezone)} as hour, source_id, count(*), sum(value), min(value), max(value)
      from samples where user_id = ${userId}
      group by user_id, series_type, hour, source_id`.execute(trx);
  });
}

export async function deleteSamplesOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('samples').where('user_id', '=', userId).execute();
  await db.deleteFrom('sample_rollups').where('user_id', '=', userId).execute();
}

/** Stored sample counts per series type id and provider, for the data summary. */
export function countSamplesByTypeAndProvider(
  db: Db,
  userId: string,
): Promise<{ series_type: number; provider: string; count: number; first: Date; last: Date }[]> {
  return db
    .selectFrom('samples')
    .innerJoin('data_sources', 'data_sources.id', 'samples.source_id')
    .where('samples.user_id', '=', userId)
    .groupBy(['samples.series_type', 'data_sources.provider'])
    .select((eb) => [
      'samples.series_type',
      'data_sources.provider',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('samples.start_time').as('first'),
      eb.fn.max('samples.start_time').as('last'),
    ])
    .orderBy('samples.series_type')
    .orderBy('data_sources.provider')
    .execute();
}
