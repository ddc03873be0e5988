import {
  toCanonicalWorkoutType,
  type WorkoutType,
  type WorkoutTypeMapping,
  workoutKey,
} from '../../../catalog/workout-types.ts';
import type { CanonicalBatch } from '../../../health-data/canonical.ts';
import {
  distanceMetres,
  documentsOf,
  elevationMetres,
  type FitbitLegacyOptions,
  isRecord,
  num,
  parseFitbitTime,
} from './common.ts';

/**
 * Fitbit activity log entries (`GET /1/user/-/activities/list.json` items) → workouts.
 *
 * The workout keeps its distance and steps as fields, NOT as samples: the day's totals come from the
 * daily summary (which already counts an auto-detected walk's steps), so a day with both never counts
 * twice.
 */

/** Fitbit activity names (as `activityName` spells them) the catalog has no Fitbit table for. */
const FITBIT_ACTIVITY_NAMES: readonly (readonly [string, WorkoutType])[] = [
  ['Walk', 'walking'],
  ['Run', 'running'],
  ['Bike', 'cycling'],
  ['Outdoor Bike', 'cycling'],
  ['Spinning', 'indoor_cycling'],
  ['Swim', 'swimming'],
  ['Hike', 'hiking'],
  ['Treadmill', 'treadmill'],
  ['Elliptical', 'elliptical'],
  ['Weights', 'strength_training'],
  ['Aerobic Workout', 'cardio_training'],
  ['Interval Workout', 'hiit'],
  ['Circuit Training', 'circuit_training'],
  ['Bootcamp', 'boot_camp'],
  ['Stairclimber', 'stair_climbing_machine'],
  ['Rowing Machine', 'rowing_machine'],
  ['Yoga', 'yoga'],
  ['Pilates', 'pilates'],
  ['Kickboxing', 'kickboxing'],
  ['Martial Arts', 'martial_arts'],
  ['Tennis', 'tennis'],
  ['Golf', 'golf'],
  ['Sport', 'other'],
  ['Workout', 'other'],
];
const BY_NAME = new Map(FITBIT_ACTIVITY_NAMES.map(([name, type]) => [workoutKey(name), type]));

/**
 * Activity type ids seen in Fitbit payloads (90013 in the reference entry, 90009 in several public
 * Fitbit examples), for an entry without a name. Other ids are not guessed.
 */
const BY_TYPE_ID = new Map<number, WorkoutType>([
  [90013, 'walking'],
  [90009, 'running'],
]);

/** Name table, then id table (both exact), then the catalog's generic guess from the name. */
export function fitbitWorkoutType(name: unknown, typeId: unknown): WorkoutTypeMapping {
  const text = typeof name === 'string' ? name : '';
  const byName = BY_NAME.get(workoutKey(text));
  if (byName !== undefined) return { type: byName, exact: true };
  const byId = typeof typeId === 'number' ? BY_TYPE_ID.get(typeId) : undefined;
  if (byId !== undefined) return { type: byId, exact: true };
  return text.trim() === '' ? { type: 'other', exact: false } : toCanonicalWorkoutType('sdk', text);
}

/** `{name, min, max, minutes, caloriesOut}` zones, as canonical statistics. */
function zones(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((z) => ({
    name: typeof z.name === 'string' ? z.name : null,
    min_bpm: num(z.min),
    max_bpm: num(z.max),
    minutes: num(z.minutes),
    energy_kcal: num(z.caloriesOut),
  }));
}

/**
 * The start: `startTime` with its offset (list.json), a local `startTime` (exports; needs the caller's
 * offset), or the day log's `startDate` + `HH:MM` `startTime`.
 */
function startOf(entry: Record<string, unknown>, options: FitbitLegacyOptions) {
  const { startTime, startDate } = entry;
  if (typeof startTime === 'string' && /^\d{2}:\d{2}$/.test(startTime) && typeof startDate === 'string')
    return parseFitbitTime(`${startDate}T${startTime}:00`, options);
  return parseFitbitTime(startTime, options);
}

function mapEntry(
  batch: CanonicalBatch,
  source: number,
  entry: Record<string, unknown>,
  options: FitbitLegacyOptions,
): void {
  const start = startOf(entry, options);
  // `duration` is the whole span (pauses included); `activeDuration` excludes pauses.
  const durationMs = num(entry.duration) ?? num(entry.activeDuration);
  if (start === null || durationMs === null || durationMs <= 0) return;
  const id = num(entry.logId) ?? num(entry.id);
  const { type } = fitbitWorkoutType(entry.activityName, entry.activityTypeId);
  const distance = num(entry.distance);
  const elevation = num(entry.elevationGain);
  const avgHr = num(entry.averageHeartRate);
  const activeMs = num(entry.activeDuration);
  const azm = isRecord(entry.activeZoneMinutes) ? entry.activeZoneMinutes : null;
  const levels = Array.isArray(entry.activityLevel) ? entry.activityLevel.filter(isRecord) : [];
  batch.workouts.push({
    source,
    externalId: id === null ? null : String(id),
    type,
    sourceActivityType:
      typeof entry.activityName === 'string' ? entry.activityName : idText(entry.activityTypeId),
    startMs: start.ms,
    endMs: start.ms + durationMs,
    durationS: durationMs / 1000,
    distanceM:
      distance === null || distance < 0 ? null : distanceMetres(distance, entry.distanceUnit, options),
    energyKcal: nonNegative(num(entry.calories)),
    avgHeartRateBpm: avgHr !== null && avgHr > 0 ? avgHr : null,
    maxHeartRateBpm: null,
    elevationGainM: elevation === null || elevation < 0 ? null : elevationMetres(elevation, options),
    steps: nonNegative(num(entry.steps)),
    utcOffsetMin: start.utcOffsetMin,
    statistics: {
      active_duration_s: activeMs === null ? null : activeMs / 1000,
      heart_rate_zones: zones(entry.heartRateZones),
      active_zone_minutes: azm === null ? null : num(azm.totalMinutes),
      activity_level_minutes: Object.fromEntries(
        levels.filter((l) => typeof l.name === 'string').map((l) => [l.name as string, num(l.minutes)]),
      ),
    },
    segments: [],
    metadata: {
      log_type: typeof entry.logType === 'string' ? entry.logType : null,
      activity_type_id: num(entry.activityTypeId),
      last_modified: typeof entry.lastModified === 'string' ? entry.lastModified : null,
    },
    route: [],
  });
}

const nonNegative = (v: number | null) => (v !== null && v >= 0 ? v : null);
const idText = (v: unknown) => (typeof v === 'number' ? String(v) : null);

/**
 * Activity log entries: one entry, an array, or the list answer (`{activities: [...], pagination}`).
 * An entry without a usable start or duration is skipped; the others still map.
 */
export function mapLegacyActivityLog(
  batch: CanonicalBatch,
  source: number,
  payload: unknown,
  options: FitbitLegacyOptions,
): void {
  for (const entry of documentsOf(payload, 'activities', (d) => 'startTime' in d)) {
    mapEntry(batch, source, entry, options);
  }
}
