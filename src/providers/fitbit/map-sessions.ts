import { toCanonicalSleepStage } from '../../catalog/sleep-stages.ts';
import { distanceSeriesForWorkout, toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import type { CanonicalBatch, CanonicalSleepStage } from '../../health-data/canonical.ts';
import { durationSeconds, instant, interval, isObject, type Json, num, seriesId } from './map-common.ts';

/**
 * Google Health sessions: `sleep` (an in-bed interval plus its stage timeline) and `exercise`
 * (a workout with its metrics summary). A session without a usable interval is skipped.
 */

/**
 * Google's `Sleep.SleepStageType` names (upper snake case) → canonical stages. The Fitbit table
 * covers AWAKE/LIGHT/DEEP/REM/ASLEEP/RESTLESS; `OUT_OF_BED` is time awake outside the bed. [UNV]:
 * the enum's full value list; an unrecognised one is an `unknown` stage, never dropped.
 */
function stageOf(type: unknown): CanonicalSleepStage {
  if (typeof type !== 'string') return 'unknown';
  const key = type.trim().toLowerCase();
  if (key === 'out_of_bed') return 'awake';
  return toCanonicalSleepStage('fitbit', key).stage;
}

/** A stable id for a session: its resource `name` (identifiable types have one), else type@start. */
function sessionId(point: Json, kind: string, startMs: number): string {
  return typeof point.name === 'string' && point.name !== ''
    ? point.name
    : `${kind}@${new Date(startMs).toISOString()}`;
}

export function mapSleepPoint(batch: CanonicalBatch, sourceOf: () => number, point: Json, sleep: Json): void {
  const span = interval(sleep);
  if (span === undefined) return;
  const source = sourceOf();
  const id = sessionId(point, 'sleep', span.startMs);
  const { utcOffsetMin } = span;
  batch.sleep.push({
    source,
    startMs: span.startMs,
    endMs: span.endMs,
    stage: 'in_bed',
    externalId: id,
    utcOffsetMin,
  });
  const stages = Array.isArray(sleep.stages) ? sleep.stages.filter(isObject) : [];
  for (const stage of stages) {
    const from = instant(stage.startTime);
    const to = instant(stage.endTime);
    if (from === undefined || to === undefined) continue;
    // Clipped to the session: a stage must not reach outside the night it belongs to.
    const startMs = Math.max(from, span.startMs);
    const endMs = Math.min(to, span.endMs);
    if (endMs <= startMs) continue;
    batch.sleep.push({
      source,
      startMs,
      endMs,
      stage: stageOf(stage.type),
      externalId: `${id}@${new Date(startMs).toISOString()}`,
      utcOffsetMin,
    });
  }
}

export function mapExercisePoint(
  batch: CanonicalBatch,
  sourceOf: () => number,
  point: Json,
  exercise: Json,
): void {
  const span = interval(exercise);
  if (span === undefined) return;
  const source = sourceOf();
  const rawType = typeof exercise.exerciseType === 'string' ? exercise.exerciseType : 'other';
  // Google's ExerciseType enum uses upper snake case names (RUNNING, BIKING, …): the SDK table reads
  // canonical, HealthKit and Health Connect names and guesses the rest.
  const { type } = toCanonicalWorkoutType('sdk', rawType);
  const m = isObject(exercise.metricsSummary) ? exercise.metricsSummary : {};
  const mm = (v: unknown) => {
    const n = num(v);
    return n === undefined || n < 0 ? null : n / 1000;
  };
  const distanceM = mm(m.distanceMillimeters);
  const active = durationSeconds(exercise.activeDuration);
  const positive = (v: unknown) => {
    const n = num(v);
    return n === undefined || n <= 0 ? null : n;
  };
  const id = sessionId(point, 'exercise', span.startMs);
  batch.workouts.push({
    source,
    externalId: id,
    type,
    sourceActivityType: rawType,
    startMs: span.startMs,
    endMs: span.endMs,
    // The elapsed span; the moving time (without pauses) is a statistic.
    durationS: (span.endMs - span.startMs) / 1000,
    distanceM,
    energyKcal: positive(m.caloriesKcal),
    avgHeartRateBpm: positive(m.averageHeartRateBeatsPerMinute),
    maxHeartRateBpm: null,
    elevationGainM: mm(m.elevationGainMillimeters),
    steps: positive(m.steps),
    utcOffsetMin: span.utcOffsetMin,
    statistics: {
      active_duration_s: active ?? null,
      average_speed_m_per_s: mm(m.averageSpeedMillimetersPerSecond),
      active_zone_minutes: num(m.activeZoneMinutes) ?? null,
    },
    segments: [],
    metadata: { display_name: typeof exercise.displayName === 'string' ? exercise.displayName : null },
    route: [],
  });
  if (distanceM !== null && distanceM > 0)
    batch.samples.push({
      source,
      seriesTypeId: seriesId(distanceSeriesForWorkout(type)),
      startMs: span.startMs,
      durationMs: span.endMs - span.startMs,
      value: distanceM,
      utcOffsetMin: span.utcOffsetMin,
    });
}
