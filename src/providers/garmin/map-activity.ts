import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { mapActivityDetails } from './map-activity-details.ts';
import { isItem, workoutOfSummary } from './map-activity-summary.ts';

/**
 * Every Activity API record's source. The device (`deviceName`) goes to the workout's metadata instead:
 * a workout's identity is (source, external id), and the activity summary, its details and a later
 * manual edit must land on one workout even when they name the device differently or not at all.
 */
export const GARMIN_ACTIVITY_SOURCE = { provider: 'garmin', deviceManufacturer: 'Garmin' } as const;

const ACTIVITY_RESOURCES = new Set([
  'activities',
  'manually_updated_activities',
  'activity_details',
  'move_iq',
]);

/**
 * Activity API resources → canonical records; undefined for resources that are not the Activity API's.
 * `activities` and `manually_updated_activities` (same shape) become workouts keyed by `activityId`, so a
 * re-send or an edit on Garmin Connect updates the stored workout. `activity_details` adds the samples
 * (heart rate, speed, power, cadence, elevation), the route and the laps to that same workout.
 *
 * No distance, energy or step samples come from activities: Garmin's dailies and epochs already count
 * the activity's steps, distance and calories, and a second copy would be summed twice.
 *
 * `move_iq` maps to nothing, on purpose. Move IQ spans are Garmin's guesses from wrist motion ("they
 * are not fitness activities", API-NOTES §1.3): the user neither started nor confirmed them, their
 * steps and energy are already in the epochs, and a CanonicalWorkout has no confidence field that
 * readers filter on; every stored workout also fires a `workout.created` webhook. As workouts they
 * would sit among (and often duplicate) the activities the user recorded.
 *
 * Malformed items (not an object, no id, no start or duration) are skipped; the rest still map.
 *
 * @example
 * mapGarminActivity('activities', [{ activityId: 5001968355, activityType: 'RUNNING',
 *   startTimeInSeconds: 1452470400, startTimeOffsetInSeconds: 3600, durationInSeconds: 1800 }])
 * // → one 'running' workout, externalId '5001968355', utcOffsetMin 60
 */
export function mapGarminActivity(resource: string, items: unknown[]): CanonicalBatch | undefined {
  if (!ACTIVITY_RESOURCES.has(resource)) return undefined;
  const batch = emptyBatch();
  if (resource === 'move_iq') return batch;
  const sources = new SourceTable(batch);
  let source: number | undefined;
  const sourceIndex = () => {
    source ??= sources.indexOf(GARMIN_ACTIVITY_SOURCE);
    return source;
  };
  for (const item of items) {
    if (!isItem(item)) continue;
    if (resource === 'activity_details') {
      mapActivityDetails(batch, item, sourceIndex());
      continue;
    }
    const workout = workoutOfSummary(item, item, sourceIndex(), resource);
    if (workout !== undefined) batch.workouts.push(workout);
  }
  // A source no record points at would still be written: keep the batch empty when nothing mapped.
  if (batch.workouts.length === 0 && batch.samples.length === 0) batch.sources.length = 0;
  return batch;
}
