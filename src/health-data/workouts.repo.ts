import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { numericArrayLiteral } from '../db/numeric-array.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import type { CanonicalWorkout } from './canonical.ts';

/** A workout's identity: the source's own id when it has one, else its type and time span. */
export function workoutDedupeKey(w: CanonicalWorkout): string {
  return w.externalId !== null ? `id:${w.externalId}` : `t:${w.type}|${w.startMs}|${w.endMs}`;
}

/** Workouts per INSERT: 22 parameters each, well below PostgreSQL's 65,535 per statement. */
const WORKOUT_CHUNK = 1000;

function workoutRow(userId: string, sourceId: number, w: CanonicalWorkout) {
  return {
    id: randomUUID(),
    user_id: userId,
    source_id: sourceId,
    dedupe_key: workoutDedupeKey(w),
    external_id: w.externalId,
    type: w.type,
    source_activity_type: w.sourceActivityType,
    start_time: new Date(w.startMs),
    end_time: new Date(w.endMs),
    duration_s: w.durationS,
    distance_m: w.distanceM,
    energy_kcal: w.energyKcal,
    avg_heart_rate_bpm: w.avgHeartRateBpm,
    max_heart_rate_bpm: w.maxHeartRateBpm,
    avg_pace_sec_per_km:
      w.distanceM !== null && w.distanceM > 0
        ? Math.round((w.durationS / (w.distanceM / 1000)) * 10) / 10
        : null,
    elevation_gain_m: w.elevationGainM,
    steps: w.steps,
    utc_offset_min: w.utcOffsetMin,
    statistics: JSON.stringify(w.statistics),
    segments: JSON.stringify(w.segments),
    metadata: JSON.stringify(w.metadata),
  };
}

type WorkoutRow = ReturnType<typeof workoutRow>;

const identity = (r: { source_id: number; dedupe_key: string }) => `${r.source_id}\u0000${r.dedupe_key}`;

/** Columns a re-sent workout overwrites (everything but its identity). */
const UPDATED = [
  'external_id',
  'type',
  'source_activity_type',
  'start_time',
  'end_time',
  'duration_s',
  'distance_m',
  'energy_kcal',
  'avg_heart_rate_bpm',
  'max_heart_rate_bpm',
  'avg_pace_sec_per_km',
  'elevation_gain_m',
  'steps',
  'utc_offset_min',
  'statistics',
  'segments',
  'metadata',
] as const;

/**
 * Upserts workouts: a re-sent workout updates its row in place (sources correct their data), never adds
 * one. Route points are keyed by time, so re-sending a route adds nothing either. The workouts, their
 * routes and their webhook events commit together, a thousand workouts to a statement: an import
 * writes thousands at once, and a round trip per workout made that its slowest part.
 */
export async function upsertWorkouts(
  db: Db,
  userId: string,
  workouts: CanonicalWorkout[],
  sourceIds: number[],
): Promise<{ inserted: number; updated: number }> {
  if (workouts.length === 0) return { inserted: 0, updated: 0 };
  // One row per identity, the last one sent winning as it would one at a time (the ones before it
  // count as updates); rows go in key order, so concurrent batches lock them in one order.
  const byKey = new Map<string, { row: WorkoutRow; w: CanonicalWorkout }>();
  for (const w of workouts) {
    const row = workoutRow(userId, sourceIds[w.source] as number, w);
    byKey.set(identity(row), { row, w });
  }
  let updated = workouts.length - byKey.size;
  const unique = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  let inserted = 0;
  await db.transaction().execute(async (trx) => {
    const created: { id: string; row: WorkoutRow; w: CanonicalWorkout }[] = [];
    for (let offset = 0; offset < unique.length; offset += WORKOUT_CHUNK) {
      const part = unique.slice(offset, offset + WORKOUT_CHUNK);
      const stored = await trx
        .insertInto('workouts')
        .values(part.map((p) => p.row))
        .onConflict((oc) =>
          oc.columns(['user_id', 'source_id', 'dedupe_key']).doUpdateSet((eb) => ({
            ...Object.fromEntries(UPDATED.map((c) => [c, eb.ref(`excluded.${c}`)])),
            updated_at: new Date(),
          })),
        )
        .returning(['id', 'source_id', 'dedupe_key', sql<boolean>`(xmax = 0)`.as('inserted')])
        .execute();
      const storedByKey = new Map(stored.map((r) => [identity(r), r]));
      for (const p of part) {
        const r = storedByKey.get(identity(p.row));
        if (r === undefined) throw new Error('a workout upsert returned no row');
        if (p.w.route.length > 0) await insertRoutePoints(trx, r.id, p.w);
        if (r.inserted) created.push({ id: r.id, row: p.row, w: p.w });
        else updated += 1;
      }
    }
    inserted = created.length;
    if (created.length > 0) {
      await enqueueWebhookEvents(
        trx,
        created.map((c) => ({
          type: 'workout.created',
          userId,
          data: workoutEventData(c.id, userId, c.row, c.w),
        })),
      );
    }
  });
  return { inserted, updated };
}

/** `workout.created` data: the stored workout; a long route makes it chunked (see outbox.ts). */
function workoutEventData(
  id: string,
  userId: string,
  values: { avg_pace_sec_per_km: number | null },
  w: CanonicalWorkout,
): Record<string, unknown> {
  return {
    id,
    user_id: userId,
    type: w.type,
    source_activity_type: w.sourceActivityType,
    start_time: new Date(w.startMs).toISOString(),
    end_time: new Date(w.endMs).toISOString(),
    duration_seconds: w.durationS,
    distance_meters: w.distanceM,
    energy_kcal: w.energyKcal,
    avg_heart_rate_bpm: w.avgHeartRateBpm,
    max_heart_rate_bpm: w.maxHeartRateBpm,
    avg_pace_sec_per_km: values.avg_pace_sec_per_km,
    elevation_gain_meters: w.elevationGainM,
    steps: w.steps,
    external_id: w.externalId,
    route: w.route.map((p) => ({
      time: new Date(p.timeMs).toISOString(),
      latitude: p.latitude,
      longitude: p.longitude,
      altitude_m: p.altitudeM ?? null,
    })),
  };
}

async function insertRoutePoints(db: Db, workoutId: string, w: CanonicalWorkout): Promise<void> {
  const points = w.route;
  const col = (f: (p: (typeof points)[number]) => number | null) => numericArrayLiteral(points.map(f));
  await sql`
    insert into workout_route_points (workout_id, time, latitude, longitude, altitude_m, speed_m_per_s, course_deg,
                                      horizontal_accuracy_m, vertical_accuracy_m)
    select ${workoutId}::uuid, to_timestamp(t), lat, lon, alt, spd, crs, hacc, vacc
    from unnest(${col((p) => p.timeMs / 1000)}::float8[], ${col((p) => p.latitude)}::float8[],
                ${col((p) => p.longitude)}::float8[], ${col((p) => p.altitudeM ?? null)}::float8[],
                ${col((p) => p.speedMPerS ?? null)}::float8[], ${col((p) => p.courseDeg ?? null)}::float8[],
                ${col((p) => p.horizontalAccuracyM ?? null)}::float8[], ${col((p) => p.verticalAccuracyM ?? null)}::float8[])
         as u(t, lat, lon, alt, spd, crs, hacc, vacc)
    on conflict do nothing`.execute(db);
}

export interface StoredRoutePoint {
  time: Date;
  latitude: number;
  longitude: number;
  altitude_m: number | null;
}

/**
 * A workout's GPS route in time order, or undefined when the user has no such workout (the caller's
 * user is already fenced to its tenant, so another tenant's workout is "not found" too). A route longer
 * than `maxPoints` is thinned to every k-th point with the last one kept, k the smallest stride that
 * fits: the whole course keeps its shape on a map, only detail between points goes. Counting and
 * thinning happen in one statement, so a route that grows meanwhile still yields a consistent answer.
 */
export async function workoutRoute(
  db: Db,
  userId: string,
  workoutId: string,
  maxPoints: number,
): Promise<{ total: number; points: StoredRoutePoint[] } | undefined> {
  const workout = await db
    .selectFrom('workouts')
    .select('id')
    .where('id', '=', workoutId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (workout === undefined) return undefined;
  const { rows } = await sql<StoredRoutePoint & { n: number }>`
    select time, latitude, longitude, altitude_m, n from (
      select time, latitude, longitude, altitude_m, (row_number() over (order by time))::int - 1 as i,
             (count(*) over ())::int as n
      from workout_route_points
      where workout_id = ${workoutId}::uuid
    ) p
    where n <= ${maxPoints}::int
       or i % ceil((n - 1)::float8 / (${maxPoints}::int - 1))::int = 0
       or i = n - 1
    order by time`.execute(db);
  return { total: rows[0]?.n ?? 0, points: rows };
}
