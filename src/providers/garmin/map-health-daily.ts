import type { SeriesTypeName } from '../../catalog/series-types.ts';
import {
  calendarDay,
  displayOffsetMin,
  epochMs,
  type HealthBatch,
  type Item,
  isItem,
  level0to100,
  localDay,
  num,
  positive,
  str,
} from './map-health-common.ts';

/**
 * Garmin's day-level summaries: dailies, epochs (15-minute slices) and stress details.
 *
 * Steps, active energy and distance come from the epochs only. The dailies carry the same amounts as day
 * totals, and both series sum over a day: mapping both would count every step twice.
 *
 * Garmin re-sends a summary whenever it has more (a day or a slice synced mid-way, a second device
 * merged in) and the latest one is meant to replace the earlier. Stored samples are immutable (a key
 * already stored is kept, see samples.repo.ts), so values that grow are only mapped once they are final:
 * epochs of a complete 900-s slice, day totals of a complete 86 400-s day. Samples at fixed instants
 * (heart rate, stress, Body Battery) are the same key and value in every re-send.
 */

const DAY_S = 86_400;
export const EPOCH_S = 900;
/** Each `timeOffsetHeartRateSamples` value stands for the 15 s before its offset. */
const HR_SAMPLE_S = 15;
/** Stress values come every 3 minutes, each the level of that window. */
const STRESS_WINDOW_S = 180;

/**
 * Dailies → heart-rate samples (each over the 15 s before its offset), and once the day is complete its
 * resting heart rate, basal energy, floors and active time; the day's average stress as a `stress` score
 * (a later summary of the day replaces the score, so partial days are scored too).
 */
export function mapDailies(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    const day = calendarDay(item.calendarDate) ?? localDay(startMs, offset);

    out.offsets('heart_rate', startMs, item.timeOffsetHeartRateSamples, offset, positive, (o) => [
      Math.max(0, o - HR_SAMPLE_S),
      Math.min(o, HR_SAMPLE_S),
    ]);

    if ((num(item.durationInSeconds) ?? 0) >= DAY_S) {
      const total = (name: SeriesTypeName, value: number | undefined, ok: (v: number) => boolean) => {
        if (value !== undefined && ok(value)) out.sample(name, startMs, DAY_S * 1000, value, offset);
      };
      total('resting_heart_rate', num(item.restingHeartRateInBeatsPerMinute), positive);
      total('basal_energy', num(item.bmrKilocalories), (v) => v >= 0);
      total('flights_climbed', num(item.floorsClimbed), (v) => v >= 0);
      const active = num(item.activeTimeInSeconds);
      total('active_time', active === undefined ? undefined : active / 60, (v) => v >= 0);
    }

    // The field table spells it averageStressLevel, Garmin's own example averageStresslevel: both occur.
    const stress = num(item.averageStressLevel) ?? num(item.averageStresslevel);
    const seconds = (key: string) => num(item[key]) ?? null;
    const maxStress = num(item.maxStressLevel);
    out.score('stress', day, stress, {
      summary_id: str(item.summaryId) ?? null,
      max_stress_level: maxStress !== undefined && maxStress >= 0 ? maxStress : null,
      stress_qualifier: str(item.stressQualifier) ?? null,
      stress_duration_s: seconds('stressDurationInSeconds'),
      rest_stress_duration_s: seconds('restStressDurationInSeconds'),
      activity_stress_duration_s: seconds('activityStressDurationInSeconds'),
      low_stress_duration_s: seconds('lowStressDurationInSeconds'),
      medium_stress_duration_s: seconds('mediumStressDurationInSeconds'),
      high_stress_duration_s: seconds('highStressDurationInSeconds'),
      body_battery_charged: seconds('bodyBatteryChargedValue'),
      body_battery_drained: seconds('bodyBatteryDrainedValue'),
      monitored_duration_s: seconds('durationInSeconds'),
    });
  }
}

/** Walking and running steps cover distance on foot; a wheelchair push or anything else does not. */
function distanceSeries(activityType: string): SeriesTypeName {
  return activityType === 'WALKING' || activityType === 'RUNNING'
    ? 'distance_walking_running'
    : 'distance_other';
}

/**
 * Epochs → per 15-minute slice: steps, active energy, distance, and the slice's MET averaged over the
 * activity types' active time. Garmin sends one record per activity type per slice, so the slice's
 * records are summed into one sample per series (duration 900 s), the key a complete re-send of the
 * slice maps to again. Partial records (duration < 900 s: synced mid-slice) are skipped; Garmin sends
 * the complete slice on the next sync. Within a batch a later record of the same slice and activity
 * type replaces the earlier one.
 */
export function mapEpochs(out: HealthBatch, items: unknown[]): void {
  const slices = new Map<number, Map<string, Item>>();
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    const duration = num(item.durationInSeconds);
    if (startMs === undefined || duration === undefined || duration < EPOCH_S) continue;
    const byType = slices.get(startMs) ?? new Map<string, Item>();
    byType.set(str(item.activityType) ?? 'UNKNOWN', item);
    slices.set(startMs, byType);
  }
  for (const [startMs, byType] of [...slices].sort((a, b) => a[0] - b[0])) {
    const records = [...byType.entries()];
    const offset = displayOffsetMin(records[0]?.[1].startTimeOffsetInSeconds);
    const sums = new Map<SeriesTypeName, number>();
    const add = (name: SeriesTypeName, value: number | undefined) => {
      if (value !== undefined && value >= 0) sums.set(name, (sums.get(name) ?? 0) + value);
    };
    let metTime = 0;
    let metWeighted = 0;
    for (const [activityType, r] of records) {
      add('steps', num(r.steps));
      add('energy', num(r.activeKilocalories));
      // Zero distance says nothing the steps do not (sedentary records carry 0.0): not stored.
      const distance = num(r.distanceInMeters) ?? num(r.pushDistanceInMeters);
      if (distance !== undefined && distance > 0) add(distanceSeries(activityType), distance);
      const met = num(r.met);
      const active = num(r.activeTimeInSeconds);
      if (met !== undefined && met > 0 && active !== undefined && active > 0) {
        metTime += active;
        metWeighted += met * active;
      }
    }
    for (const [name, value] of sums) out.sample(name, startMs, EPOCH_S * 1000, value, offset);
    if (metTime > 0) out.sample('average_met', startMs, EPOCH_S * 1000, metWeighted / metTime, offset);
  }
}

/**
 * Stress details → `stress_level` samples (3-minute windows; Garmin's negative codes −1 off wrist,
 * −2 large motion, −3 not enough data, −4 recovering, −5 unidentified are not levels) and `body_battery`
 * samples (levels at their instant).
 */
export function mapStressDetails(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    out.offsets('stress_level', startMs, item.timeOffsetStressLevelValues, offset, level0to100, (o) => [
      o,
      STRESS_WINDOW_S,
    ]);
    out.offsets('body_battery', startMs, item.timeOffsetBodyBatteryValues, offset, level0to100);
  }
}
