import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { type WorkoutType, workoutGroup } from '../../catalog/workout-types.ts';
import type { CanonicalBatch, CanonicalRoutePoint, CanonicalWorkout } from '../../health-data/canonical.ts';
import { type GarminItem, isItem, num, workoutOfSummary } from './map-activity-summary.ts';

/**
 * One `activityDetails` item → its workout (from `summary`, under the same external id as the activity
 * summary, so the two deliveries are one workout), the samples as canonical series, the route from the
 * samples' coordinates and the laps as segments. Samples come at up to 1 Hz and each value holds until
 * the next sample (API-NOTES §1.3), so a sample's duration reaches the next one's start.
 */

const seriesId = (name: SeriesTypeName) => findSeriesTypeByName(name)?.id as number;

/**
 * Sample fields with a canonical series in the unit Garmin names. Run cadence (steps/min) and swim
 * cadence (strokes/min) have no series in their unit and stay out; cumulative distance stays out too:
 * the day's distance is in the dailies and epochs, and a second copy would be counted twice.
 */
const SAMPLE_FIELDS: readonly [field: string, series: (running: boolean) => SeriesTypeName, min: number][] = [
  ['heartRate', () => 'heart_rate', 1], // 0 is a strap without contact
  ['speedMetersPerSecond', (running) => (running ? 'running_speed' : 'speed'), 0],
  ['powerInWatts', (running) => (running ? 'running_power' : 'power'), 0],
  ['bikeCadenceInRPM', () => 'cadence', 0],
  ['wheelChairCadenceInRPM', () => 'cadence', 0],
  ['elevationInMeters', () => 'elevation', Number.NEGATIVE_INFINITY],
];

/** Activities longer than 24 h are never delivered, so no sample can hold longer than that. */
const MAX_HOLD_MS = 24 * 3600 * 1000;

interface TimedSample {
  atMs: number;
  sample: GarminItem;
}

/** Samples with a time, in time order; of two at the same second the later one in the list wins. */
function timedSamples(raw: unknown): TimedSample[] {
  if (!Array.isArray(raw)) return [];
  const byTime = new Map<number, GarminItem>();
  for (const s of raw) {
    if (!isItem(s)) continue;
    const t = num(s, 'startTimeInSeconds');
    if (t !== null) byTime.set(t * 1000, s);
  }
  return [...byTime].sort(([a], [b]) => a - b).map(([atMs, sample]) => ({ atMs, sample }));
}

/** A coordinate pair that is a position: in range, and not the (0, 0) a device sends without a fix. */
function routePoint(atMs: number, s: GarminItem): CanonicalRoutePoint | undefined {
  const latitude = num(s, 'latitudeInDegree');
  const longitude = num(s, 'longitudeInDegree');
  if (latitude === null || longitude === null) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || (latitude === 0 && longitude === 0))
    return undefined;
  const speed = num(s, 'speedMetersPerSecond');
  return {
    timeMs: atMs,
    latitude,
    longitude,
    altitudeM: num(s, 'elevationInMeters'),
    speedMPerS: speed !== null && speed >= 0 ? speed : null,
  };
}

/** Laps carry only their start: each runs to the next lap's start, the last to the workout's end. */
function lapSegments(raw: unknown, endMs: number): Record<string, unknown>[] {
  if (!Array.isArray(raw)) return [];
  const starts = raw
    .map((lap) => (isItem(lap) ? num(lap, 'startTimeInSeconds') : null))
    .filter((t): t is number => t !== null)
    .map((t) => t * 1000)
    .sort((a, b) => a - b);
  return starts.map((startMs, index) => {
    const lapEnd = Math.max(startMs, starts[index + 1] ?? endMs);
    return {
      kind: 'lap',
      index,
      start: new Date(startMs).toISOString(),
      end: new Date(lapEnd).toISOString(),
      duration_s: (lapEnd - startMs) / 1000,
    };
  });
}

function pushSamples(batch: CanonicalBatch, w: CanonicalWorkout, samples: TimedSample[]): void {
  const running = workoutGroup(w.type as WorkoutType) === 'running';
  samples.forEach(({ atMs, sample }, i) => {
    // The last sample holds until the workout ends (or is a moment, if it lies beyond the end).
    const nextMs = samples[i + 1]?.atMs ?? Math.max(atMs, w.endMs);
    const durationMs = Math.min(nextMs - atMs, MAX_HOLD_MS);
    for (const [field, series, min] of SAMPLE_FIELDS) {
      const value = num(sample, field);
      if (value === null || value < min) continue;
      batch.samples.push({
        source: w.source,
        seriesTypeId: seriesId(series(running)),
        startMs: atMs,
        durationMs,
        value,
        utcOffsetMin: w.utcOffsetMin,
      });
    }
  });
}

/** Maps one `activityDetails` item into `batch`; false (nothing added) when it is malformed. */
export function mapActivityDetails(batch: CanonicalBatch, item: GarminItem, source: number): boolean {
  const summary = item.summary;
  if (!isItem(summary)) return false;
  const workout = workoutOfSummary(summary, item, source, 'activity_details');
  if (workout === undefined) return false;
  const samples = timedSamples(item.samples);
  workout.route = samples
    .map(({ atMs, sample }) => routePoint(atMs, sample))
    .filter((p): p is CanonicalRoutePoint => p !== undefined);
  workout.segments = lapSegments(item.laps, workout.endMs);
  batch.workouts.push(workout);
  pushSamples(batch, workout, samples);
  return true;
}
