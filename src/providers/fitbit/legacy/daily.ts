import type { SeriesTypeName } from '../../../catalog/series-types.ts';
import type { CanonicalBatch } from '../../../health-data/canonical.ts';
import {
  DAY_MS,
  distanceMetres,
  type FitbitLegacyOptions,
  isRecord,
  num,
  optionOffset,
  seriesId,
} from './common.ts';

/**
 * The daily activity summary (the `summary` of `GET /1/user/-/activities/date/{date}.json`) → one
 * day-long sample per value, from the local midnight of `options.date`:
 * - `steps`; `floors` → flights_climbed; `restingHeartRate` → resting_heart_rate;
 * - energy: `caloriesBMR` → basal_energy and `caloriesOut − caloriesBMR` → energy (WearLink's energy is
 *   active only, total = energy + basal_energy). `activityCalories` is not used: it overlaps the BMR
 *   (in the reference summary 1099 BMR + 1101 activity ≠ 2030 out);
 * - distance: the tracker's (pedometer) distance → distance_walking_running; `loggedActivities` distance
 *   belongs to logged workouts and the per-intensity distances are a breakdown of the tracker's;
 * - lightly + fairly + very active minutes → active_time.
 * Not mapped (no canonical series): heart-rate zones, `elevation` (a climb, not an altitude),
 * `marginalCalories`, `activeScore` (-1 = not computed), sedentary minutes.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The tracker distance from `distances` as an object (`{tracker, total, …}`) or Fitbit's array of `{activity, distance}`. */
function trackerDistance(distances: unknown): number | null {
  const pick = (key: string): number | null => {
    if (isRecord(distances)) return num(distances[key]);
    if (!Array.isArray(distances)) return null;
    const row = distances.find((d) => isRecord(d) && d.activity === key);
    return isRecord(row) ? num(row.distance) : null;
  };
  return pick('tracker') ?? pick('total');
}

const nonNegative = (v: number | null) => (v !== null && v >= 0 ? v : null);

function sumMinutes(summary: Record<string, unknown>, keys: string[]): number | null {
  const values = keys.map((k) => nonNegative(num(summary[k])));
  return values.every((v) => v === null) ? null : values.reduce<number>((acc, v) => acc + (v ?? 0), 0);
}

/**
 * One summary, or the whole day answer (`{summary, activities, goals}`: only `summary` maps here; its
 * `activities` are mapped as activity log entries). Without a valid `options.date` nothing maps.
 */
export function mapLegacyDailySummary(
  batch: CanonicalBatch,
  source: number,
  payload: unknown,
  options: FitbitLegacyOptions,
): void {
  if (!isRecord(payload) || typeof options.date !== 'string' || !DAY.test(options.date)) return;
  const summary = isRecord(payload.summary) ? payload.summary : payload;
  const midnightUtc = Date.parse(`${options.date}T00:00:00Z`);
  if (!Number.isFinite(midnightUtc)) return;
  // Local midnight with the caller's offset; without one, midnight UTC with an unknown offset.
  const offset = optionOffset(options);
  const startMs = midnightUtc - (offset ?? 0) * 60_000;
  const push = (name: SeriesTypeName, value: number | null) => {
    if (value === null) return;
    batch.samples.push({
      source,
      seriesTypeId: seriesId(name),
      startMs,
      durationMs: DAY_MS,
      value,
      utcOffsetMin: offset ?? null,
    });
  };

  push('steps', nonNegative(num(summary.steps)));
  const out = nonNegative(num(summary.caloriesOut));
  const bmr = nonNegative(num(summary.caloriesBMR));
  push('basal_energy', bmr);
  if (out !== null && bmr !== null && out >= bmr) push('energy', out - bmr);
  const distance = nonNegative(trackerDistance(summary.distances));
  push('distance_walking_running', distance === null ? null : distanceMetres(distance, null, options));
  push('flights_climbed', nonNegative(num(summary.floors)));
  push(
    'active_time',
    sumMinutes(summary, ['lightlyActiveMinutes', 'fairlyActiveMinutes', 'veryActiveMinutes']),
  );
  const resting = num(summary.restingHeartRate);
  push('resting_heart_rate', resting !== null && resting > 0 ? resting : null);
}
