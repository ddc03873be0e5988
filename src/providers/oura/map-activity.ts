import { z } from 'zod';
import { distanceSeriesForWorkout, toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import {
  DateTimeString,
  DayString,
  PublicSample,
  parseDocuments,
  pushPublicSample,
  seriesId,
  utcOffsetOf,
} from './map-common.ts';

/** Oura workouts, sessions (Moments) and the heart-rate time series. */

const Workout = z.looseObject({
  id: z.string().min(1),
  activity: z.string(),
  day: DayString,
  start_datetime: DateTimeString,
  end_datetime: DateTimeString,
  calories: z.number().min(0).nullish(),
  distance: z.number().min(0).nullish(),
  intensity: z.string().nullish(),
  label: z.string().nullish(),
  source: z.string().nullish(),
});

const Session = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  start_datetime: DateTimeString,
  end_datetime: DateTimeString,
  type: z.string(),
  heart_rate_variability: PublicSample.nullish(),
  mood: z.string().nullish(),
});

const HeartRateRow = z.looseObject({
  timestamp: DateTimeString,
  bpm: z.number(),
  source: z.string().nullish(),
});

/** Session types that are mindfulness practice (Oura Moments); `nap`, `rest` and `body_status` are not. */
const MINDFUL = new Set(['meditation', 'breathing', 'relaxation']);

/**
 * Workouts by Oura activity name (catalog table, then a guess), with distance (m) and energy (kcal) as
 * Oura sends them; the distance is also a sample of the workout type's distance series. A workout whose
 * end is not after its start is skipped (Oura's own documentation example has one).
 */
export function mapWorkouts(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('workout', Workout, payload)) {
    const startMs = Date.parse(doc.start_datetime);
    const endMs = Date.parse(doc.end_datetime);
    if (endMs <= startMs) continue;
    const { type } = toCanonicalWorkoutType('oura', doc.activity);
    const utcOffsetMin = utcOffsetOf(doc.start_datetime);
    const distanceM = doc.distance ?? null;
    batch.workouts.push({
      source,
      externalId: doc.id,
      type,
      sourceActivityType: doc.activity,
      startMs,
      endMs,
      durationS: (endMs - startMs) / 1000,
      distanceM,
      energyKcal: doc.calories ?? null,
      avgHeartRateBpm: null,
      maxHeartRateBpm: null,
      elevationGainM: null,
      steps: null,
      utcOffsetMin,
      statistics: { intensity: doc.intensity ?? null },
      segments: [],
      metadata: { day: doc.day, label: doc.label ?? null, oura_source: doc.source ?? null },
      route: [],
    });
    // Energy is not repeated as a sample: daily_activity's active calories already include it.
    if (distanceM !== null && distanceM > 0)
      batch.samples.push({
        source,
        seriesTypeId: seriesId(distanceSeriesForWorkout(type)),
        startMs,
        durationMs: endMs - startMs,
        value: distanceM,
        utcOffsetMin,
      });
  }
}

/**
 * Sessions: HRV (RMSSD, ms) recorded during the Moment, and mindful minutes for meditation, breathing
 * and relaxation. Their heart rate is in the heartrate series already (source `session`).
 */
export function mapSessions(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('session', Session, payload)) {
    pushPublicSample(batch, source, 'heart_rate_variability_rmssd', doc.heart_rate_variability, (v) => v > 0);
    const startMs = Date.parse(doc.start_datetime);
    const endMs = Date.parse(doc.end_datetime);
    if (MINDFUL.has(doc.type) && endMs > startMs)
      batch.samples.push({
        source,
        seriesTypeId: seriesId('mindful_minutes'),
        startMs,
        durationMs: endMs - startMs,
        value: (endMs - startMs) / 60_000,
        utcOffsetMin: utcOffsetOf(doc.start_datetime),
      });
  }
}

/**
 * Heart-rate rows (bpm). Their timestamps are UTC by definition, so they carry no local offset; the
 * ISO `timestamp` is read rather than `timestamp_unix`, whose unit the docs and examples disagree on
 * (ms in the spec, seconds in the example).
 */
export function mapHeartRate(batch: CanonicalBatch, source: number, payload: unknown): void {
  const seriesTypeId = seriesId('heart_rate');
  for (const row of parseDocuments('heartrate', HeartRateRow, payload)) {
    if (row.bpm <= 0) continue;
    batch.samples.push({
      source,
      seriesTypeId,
      startMs: Date.parse(row.timestamp),
      durationMs: 0,
      value: row.bpm,
      utcOffsetMin: null,
    });
  }
}
