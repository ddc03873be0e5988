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

/**
 * Upserts workouts: a re-sent workout updates its row in place (sources correct their data), never adds
 * one. Route points are keyed by time, so re-sending a route adds nothing either.
 */
export async function upsertWorkouts(
  db: Db,
  userId: string,
  workouts: CanonicalWorkout[],
  sourceIds: number[],
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  const ordered = [...workouts].sort((a, b) => a.startMs - b.startMs);
  for (const w of ordered) {
    const values = {
      id: randomUUID(),
      user_id: userId,
      source_id: sourceIds[w.source] as number,
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
    const { id: _id, user_id: _u, source_id: _s, dedupe_key: _d, ...changes } = values;
    // The workout, its route and its webhook event commit together.
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('workouts')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'source_id', 'dedupe_key'])
            .doUpdateSet({ ...changes, updated_at: new Date() }),
        )
        .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
        .executeTakeFirstOrThrow();
      if (row.inserted) inserted += 1;
      else updated += 1;
      if (w.route.length > 0) await insertRoutePoints(trx, row.id, w);
      if (row.inserted) {
        await enqueueWebhookEvents(trx, [
          { type: 'workout.created', userId, data: workoutEventData(row.id, userId, values, w) },
        ]);
      }
    });
  }
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
