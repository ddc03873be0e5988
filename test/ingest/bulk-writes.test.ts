import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { toTimestampMicros } from '../../src/db/binary-copy.ts';
import type { Db } from '../../src/db/database.ts';
import {
  type CanonicalSample,
  type CanonicalWorkout,
  NO_OFFSET,
  toSampleColumns,
} from '../../src/health-data/canonical.ts';
import { upsertDataSources } from '../../src/health-data/data-sources.repo.ts';
import { insertSamples, rebuildRollups } from '../../src/health-data/samples.repo.ts';
import { upsertWorkouts } from '../../src/health-data/workouts.repo.ts';
import { describeEachDatabase } from '../support/harness.ts';

/**
 * insertSamples writes a new chunk as a plain insert with rollups and offset days tallied in
 * JavaScript, and a chunk that holds stored keys (or rows whose local hour needs the user's time zone)
 * with `on conflict do nothing` and effects aggregated in SQL. Whatever path each chunk took, the
 * result must equal what SQL computes from the stored samples alone.
 */

const T0 = Date.UTC(2026, 2, 28, 20, 0, 0); // the night Europe/Berlin goes from +01:00 to +02:00

/** `n` samples of heart rate (type 10) and steps (type 1) from two sources, every 7 minutes from `from`. */
function samples(from: number, n: number, offset: number | null): CanonicalSample[] {
  const out: CanonicalSample[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = from + i * 7 * 60_000;
    out.push({
      source: i % 2,
      seriesTypeId: i % 3 === 0 ? 1 : 10,
      startMs,
      durationMs: i % 3 === 0 ? 60_000 : 0,
      value: ((i * 37) % 101) + 0.25,
      utcOffsetMin: offset,
    });
  }
  return out;
}

async function setup(db: Db, timezone: string | null) {
  const developer = crypto.randomUUID();
  const user = crypto.randomUUID();
  await sql`insert into developers (id, email, name, password_hash) values (${developer}, ${`${developer}@example.com`}, 'x', 'x')`.execute(
    db,
  );
  await sql`insert into users (id, developer_id, timezone) values (${user}, ${developer}, ${timezone})`.execute(
    db,
  );
  const sources = await upsertDataSources(db, user, [
    { provider: 'apple', deviceName: 'Watch' },
    { provider: 'apple', deviceName: 'iPhone' },
  ]);
  return { user, sources };
}

const rollups = (db: Db, user: string) =>
  sql<
    Record<string, unknown>
  >`select series_type, local_hour::text, source_id, n, round(sum::numeric, 6)::text as sum, min, max
    from sample_rollups where user_id = ${user} order by 1, 2, 3`
    .execute(db)
    .then((r) => r.rows);

const offsetDays = (db: Db, user: string) =>
  sql<Record<string, unknown>>`select series_type, source_id, day, utc_offset_min from sample_offset_days
    where user_id = ${user} order by 1, 2, 3, 4`
    .execute(db)
    .then((r) => r.rows);

const offsetDaysFromSamples = (db: Db, user: string) =>
  sql<Record<string, unknown>>`select series_type, source_id, (start_time at time zone 'UTC')::date as day,
      coalesce(utc_offset_min, ${NO_OFFSET}) as utc_offset_min
    from samples where user_id = ${user} group by 1, 2, 3, 4 order by 1, 2, 3, 4`
    .execute(db)
    .then((r) => r.rows);

const count = (db: Db, user: string) =>
  sql<{ n: number }>`select count(*)::int as n from samples where user_id = ${user}`
    .execute(db)
    .then((r) => r.rows[0]?.n);

/** The effects must be what SQL derives from the stored samples. */
async function expectConsistent(db: Db, user: string, timezone: string) {
  const incremental = await rollups(db, user);
  await rebuildRollups(db, user, timezone);
  expect(incremental).toEqual(await rollups(db, user));
  expect(await offsetDays(db, user)).toEqual(await offsetDaysFromSamples(db, user));
}

describeEachDatabase('insertSamples', (ctx) => {
  it('writes new, overlapping and duplicated chunks with exactly the effects of their new rows', async () => {
    const db = ctx().platform.database.db;
    const { user, sources } = await setup(db, null);
    const first = samples(T0, 12_000, 60);
    // A duplicate inside the batch counts once.
    const withDuplicate = [...first, { ...(first[7] as CanonicalSample), value: 999 }];
    expect(await insertSamples(db, user, withDuplicate, sources)).toBe(12_000);
    // The first of equal keys wins.
    const kept = await sql<{
      value: number;
    }>`select value from samples where user_id = ${user} and start_time = ${new Date((first[7] as CanonicalSample).startMs)}`.execute(
      db,
    );
    expect(kept.rows.map((r) => r.value)).toEqual([(first[7] as CanonicalSample).value]);
    // Overlapping the second half: some chunks are all stored, one is mixed, the rest are new.
    const second = samples(T0 + 6_000 * 7 * 60_000, 9_000, 120);
    expect(await insertSamples(db, user, toSampleColumns(second), sources)).toBe(3_000);
    expect(await insertSamples(db, user, second, sources)).toBe(0);
    expect(await count(db, user)).toBe(15_000);
    await expectConsistent(db, user, 'UTC');
  });

  it('takes the local hour of rows without an offset from the user’s time zone, across a DST change', async () => {
    const db = ctx().platform.database.db;
    const { user, sources } = await setup(db, 'Europe/Berlin');
    const mixed = [...samples(T0, 300, null), ...samples(T0 + 30 * 60_000, 300, 330)];
    expect(await insertSamples(db, user, mixed, sources, 'Europe/Berlin')).toBe(600);
    expect(
      await insertSamples(db, user, samples(T0 - 42 * 7 * 60_000, 400, null), sources, 'Europe/Berlin'),
    ).toBe(100);
    await expectConsistent(db, user, 'Europe/Berlin');
  });

  it('keeps an enclosing transaction usable when a chunk turns out to hold stored keys', async () => {
    const db = ctx().platform.database.db;
    const { user, sources } = await setup(db, null);
    await insertSamples(db, user, samples(T0, 100, 0), sources);
    const inserted = await db.transaction().execute(async (trx) => {
      const n = await insertSamples(trx, user, samples(T0, 150, 0), sources);
      await sql`select 1`.execute(trx);
      return n;
    });
    expect(inserted).toBe(50);
    expect(await count(db, user)).toBe(150);
    await expectConsistent(db, user, 'UTC');
  });

  it('gives a sample the same key whichever way it is written (COPY on PostgreSQL, INSERT in a transaction)', async () => {
    const db = ctx().platform.database.db;
    const { user, sources } = await setup(db, null);
    // Fractional milliseconds, halves of a microsecond, before 2000 and before 1970.
    const starts = [
      T0 + 0.5,
      T0 + 0.0005,
      T0 + 0.0015,
      T0 + 123.4567,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999.5),
    ];
    starts.push(Date.UTC(1969, 6, 20, 20, 17, 40, 0.25), -0.0015, 0);
    const batch = starts.map((startMs, i) => ({
      source: 0,
      seriesTypeId: 10,
      startMs,
      durationMs: 0,
      value: i,
      utcOffsetMin: i % 2 === 0 ? 0 : null,
    }));
    expect(await insertSamples(db, user, batch, sources)).toBe(starts.length);
    const again = await db.transaction().execute((trx) => insertSamples(trx, user, batch, sources));
    expect(again).toBe(0);
    // And the microseconds are PostgreSQL's own reading of `to_timestamp(ms / 1000)`.
    const seconds = starts.map((ms) => ms / 1000);
    const { rows } = await sql<{ micros: string }>`
      select ((extract(epoch from to_timestamp(s)) - 946684800) * 1000000)::int8::text as micros
      from unnest(${seconds}::float8[]) with ordinality as u(s, i) order by i`.execute(db);
    expect(rows.map((r) => Number(r.micros))).toEqual(seconds.map(toTimestampMicros));
    await expectConsistent(db, user, 'UTC');
  });

  it('upserts a batch of workouts in one go: a repeat within the batch or of a stored one updates it', async () => {
    const db = ctx().platform.database.db;
    const { user, sources } = await setup(db, null);
    const workout = (i: number, distanceM: number): CanonicalWorkout => ({
      source: i % 2,
      externalId: null,
      type: 'running',
      sourceActivityType: 'HKWorkoutActivityTypeRunning',
      startMs: T0 + i * 86_400_000,
      endMs: T0 + i * 86_400_000 + 1_800_000,
      durationS: 1800,
      distanceM,
      energyKcal: null,
      avgHeartRateBpm: null,
      maxHeartRateBpm: null,
      elevationGainM: null,
      steps: null,
      utcOffsetMin: 60,
      statistics: {},
      segments: [],
      metadata: {},
      route: i === 3 ? [{ timeMs: T0 + 3 * 86_400_000, latitude: 52.5, longitude: 13.4 }] : [],
    });
    const batch = Array.from({ length: 1500 }, (_, i) => workout(i, 5000));
    expect(await upsertWorkouts(db, user, [...batch, workout(7, 6000)], sources)).toEqual({
      inserted: 1500,
      updated: 1,
    });
    expect(await upsertWorkouts(db, user, [workout(7, 7000), workout(2000, 1)], sources)).toEqual({
      inserted: 1,
      updated: 1,
    });
    const rows = await sql<{ n: number; d7: number; points: number }>`select count(*)::int as n,
        max(distance_m) filter (where start_time = ${new Date(T0 + 7 * 86_400_000)}) as d7,
        (select count(*)::int from workout_route_points p join workouts w on w.id = p.workout_id where w.user_id = ${user}) as points
      from workouts where user_id = ${user}`.execute(db);
    expect(rows.rows[0]).toEqual({ n: 1501, d7: 7000, points: 1 });
  });
});
