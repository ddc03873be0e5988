/**
 * Health Connect record types and Samsung Health data types → canonical series.
 *
 * Names are accepted as SDKs spell them: `HeartRateRecord`, `HeartRate`, `HEART_RATE`, `heart_rate`,
 * `heartRate`, or package-qualified (`androidx.health.connect.client.records.HeartRateRecord`).
 * Samsung Health SDK types are full names (`com.samsung.health.heart_rate`) and are looked up first.
 *
 * `valueField` is the record's field holding the value (Jetpack property name; Samsung column name) and
 * `unit` the unit that field is in, for `toCanonical`. `layout: 'samples'` means the record carries an
 * array of timed samples (`samples[]`, or `deltas[]` for skin temperature) and `valueField` is a path
 * into each element; otherwise there is one value for the record's interval or instant.
 *
 * Decisions:
 * - TotalCaloriesBurnedRecord is total energy (active + basal). It is not stored as `energy`, which is
 *   active only; it is `derived` with `subtract_basal_energy`: active = total − basal over the same
 *   interval, when the same source provides basal energy (or BMR). Otherwise it stays raw.
 * - BasalMetabolicRateRecord is a rate (kcal/day) at an instant; it becomes `basal_energy` by
 *   multiplying the rate over the interval it applies to (`rate_times_duration`).
 * - DistanceRecord is not activity-specific: `distance_other`, unless the importer knows the exercise
 *   session it falls in (then `distanceSeriesForWorkout` in workout-types.ts picks the series).
 * - ElevationGainedRecord is kept raw: the `elevation` series is altitude, not gain.
 */

import type { KeptRawReason } from './healthkit.ts';
import type { SeriesTypeName } from './series-types.ts';

export interface FieldMapping {
  readonly field: string;
  readonly seriesType: SeriesTypeName;
  readonly unit: string;
}

export type HealthConnectClassification =
  | {
      readonly kind: 'series';
      readonly seriesType: SeriesTypeName;
      readonly valueField: string;
      readonly unit: string;
      readonly layout: 'record' | 'samples';
    }
  /** One record carrying several canonical values (blood pressure, Samsung body composition). */
  | { readonly kind: 'multi_series'; readonly fields: readonly FieldMapping[] }
  | {
      readonly kind: 'derived';
      readonly seriesType: SeriesTypeName;
      readonly valueField: string;
      readonly unit: string;
      readonly derivation: 'subtract_basal_energy' | 'rate_times_duration';
    }
  | { readonly kind: 'duration_series'; readonly seriesType: SeriesTypeName }
  | { readonly kind: 'sleep' }
  | { readonly kind: 'workout' }
  | { readonly kind: 'kept_raw'; readonly reason: KeptRawReason; readonly detail: string };

const series = (
  seriesType: SeriesTypeName,
  valueField: string,
  unit: string,
  layout: 'record' | 'samples' = 'record',
): HealthConnectClassification => ({ kind: 'series', seriesType, valueField, unit, layout });

const kept = (reason: KeptRawReason, detail: string): HealthConnectClassification => ({
  kind: 'kept_raw',
  reason,
  detail,
});

/** Health Connect (androidx.health.connect.client.records) record types, keyed by record class name. */
export const HEALTH_CONNECT_RECORD_TYPES: Readonly<Record<string, HealthConnectClassification>> = {
  HeartRateRecord: series('heart_rate', 'samples[].beatsPerMinute', 'bpm', 'samples'),
  RestingHeartRateRecord: series('resting_heart_rate', 'beatsPerMinute', 'bpm'),
  HeartRateVariabilityRmssdRecord: series('heart_rate_variability_rmssd', 'heartRateVariabilityMillis', 'ms'),
  StepsRecord: series('steps', 'count', 'count'),
  DistanceRecord: series('distance_other', 'distance', 'm'),
  ActiveCaloriesBurnedRecord: series('energy', 'energy', 'kcal'),
  TotalCaloriesBurnedRecord: {
    kind: 'derived',
    seriesType: 'energy',
    valueField: 'energy',
    unit: 'kcal',
    derivation: 'subtract_basal_energy',
  },
  BasalMetabolicRateRecord: {
    kind: 'derived',
    seriesType: 'basal_energy',
    valueField: 'basalMetabolicRate',
    unit: 'kcal/day',
    derivation: 'rate_times_duration',
  },
  FloorsClimbedRecord: series('flights_climbed', 'floors', 'count'),
  ElevationGainedRecord: kept('no_canonical_series', 'elevation gain; the elevation series is altitude'),
  WeightRecord: series('weight', 'weight', 'kg'),
  HeightRecord: series('height', 'height', 'm'),
  BodyFatRecord: series('body_fat_percentage', 'percentage', 'percent'),
  LeanBodyMassRecord: series('lean_body_mass', 'mass', 'kg'),
  BoneMassRecord: kept('no_canonical_series', 'bone mass has no canonical series yet'),
  BodyWaterMassRecord: kept('no_canonical_series', 'body water mass has no canonical series yet'),
  BodyTemperatureRecord: series('body_temperature', 'temperature', 'degC'),
  BasalBodyTemperatureRecord: series('body_temperature', 'temperature', 'degC'),
  // Health Connect stores skin temperature as deltas from a baseline, sample by sample.
  SkinTemperatureRecord: series('skin_temperature_deviation', 'deltas[].delta', 'degC', 'samples'),
  BloodGlucoseRecord: series('blood_glucose', 'level', 'mmol/L'),
  BloodPressureRecord: {
    kind: 'multi_series',
    fields: [
      { field: 'systolic', seriesType: 'blood_pressure_systolic', unit: 'mmHg' },
      { field: 'diastolic', seriesType: 'blood_pressure_diastolic', unit: 'mmHg' },
    ],
  },
  OxygenSaturationRecord: series('oxygen_saturation', 'percentage', 'percent'),
  RespiratoryRateRecord: series('respiratory_rate', 'rate', 'count/min'),
  Vo2MaxRecord: series('vo2_max', 'vo2MillilitersPerMinuteKilogram', 'mL/kg*min'),
  HydrationRecord: series('hydration', 'volume', 'L'),
  PowerRecord: series('power', 'samples[].power', 'W', 'samples'),
  SpeedRecord: series('speed', 'samples[].speed', 'm/s', 'samples'),
  StepsCadenceRecord: series('cadence', 'samples[].rate', 'steps/min', 'samples'),
  CyclingPedalingCadenceRecord: series('cadence', 'samples[].revolutionsPerMinute', 'rpm', 'samples'),
  WheelchairPushesRecord: kept('no_canonical_series', 'wheelchair pushes have no canonical series yet'),
  SleepSessionRecord: { kind: 'sleep' },
  ExerciseSessionRecord: { kind: 'workout' },
  MindfulnessSessionRecord: { kind: 'duration_series', seriesType: 'mindful_minutes' },
  NutritionRecord: kept('nutrition', 'meals are kept raw until nutrition is modelled'),
  ActivityIntensityRecord: kept('no_canonical_series', 'moderate/vigorous intervals'),
  PlannedExerciseSessionRecord: kept('no_canonical_series', 'a training plan, not a measurement'),
  ExerciseRouteRecord: { kind: 'workout' },
  MenstruationFlowRecord: kept('reproductive_health', 'cycle tracking'),
  MenstruationPeriodRecord: kept('reproductive_health', 'cycle tracking'),
  IntermenstrualBleedingRecord: kept('reproductive_health', 'cycle tracking'),
  OvulationTestRecord: kept('reproductive_health', 'cycle tracking'),
  CervicalMucusRecord: kept('reproductive_health', 'cycle tracking'),
  SexualActivityRecord: kept('reproductive_health', 'cycle tracking'),
};

/**
 * Samsung Health SDK for Android data types (`HealthConstants.*`). Values are in the SDK's documented
 * units (heart rate bpm, distance m, calorie kcal, SpO2 0–100, glucose mmol/L, water mL).
 * `step_daily_trend` is Samsung's merged daily total across sources (source_type −2): storing it and
 * the per-device step counts for the same day double-counts; the daily source-priority rule must pick one.
 */
export const SAMSUNG_DATA_TYPES: Readonly<Record<string, HealthConnectClassification>> = {
  'com.samsung.health.heart_rate': series('heart_rate', 'heart_rate', 'bpm'),
  'com.samsung.health.step_count': series('steps', 'count', 'count'),
  'com.samsung.shealth.step_daily_trend': {
    kind: 'multi_series',
    fields: [
      { field: 'count', seriesType: 'steps', unit: 'count' },
      { field: 'distance', seriesType: 'distance_walking_running', unit: 'm' },
      { field: 'calorie', seriesType: 'energy', unit: 'kcal' },
    ],
  },
  'com.samsung.health.exercise': { kind: 'workout' },
  'com.samsung.health.sleep': { kind: 'sleep' },
  'com.samsung.health.sleep_stage': { kind: 'sleep' },
  'com.samsung.health.oxygen_saturation': series('oxygen_saturation', 'spo2', 'percent'),
  'com.samsung.health.blood_pressure': {
    kind: 'multi_series',
    fields: [
      { field: 'systolic', seriesType: 'blood_pressure_systolic', unit: 'mmHg' },
      { field: 'diastolic', seriesType: 'blood_pressure_diastolic', unit: 'mmHg' },
    ],
  },
  'com.samsung.health.blood_glucose': series('blood_glucose', 'glucose', 'mmol/L'),
  'com.samsung.health.body_temperature': series('body_temperature', 'temperature', 'degC'),
  'com.samsung.health.weight': {
    kind: 'multi_series',
    fields: [
      { field: 'weight', seriesType: 'weight', unit: 'kg' },
      { field: 'body_fat', seriesType: 'body_fat_percentage', unit: 'percent' },
      { field: 'body_fat_mass', seriesType: 'body_fat_mass', unit: 'kg' },
      { field: 'skeletal_muscle_mass', seriesType: 'skeletal_muscle_mass', unit: 'kg' },
      { field: 'fat_free_mass', seriesType: 'lean_body_mass', unit: 'kg' },
    ],
  },
  'com.samsung.health.height': series('height', 'height', 'cm'),
  'com.samsung.health.water_intake': series('hydration', 'amount', 'mL'),
  'com.samsung.health.floors_climbed': series('flights_climbed', 'floor', 'count'),
  'com.samsung.health.uv_exposure': series('uv_exposure', 'uv_index', 'count'),
  'com.samsung.shealth.stress': series('stress_level', 'score', 'score'),
  'com.samsung.health.caffeine_intake': kept('nutrition', 'intake log'),
  'com.samsung.health.food_intake': kept('nutrition', 'meals are kept raw until nutrition is modelled'),
  'com.samsung.health.food_info': kept('nutrition', 'food database entry'),
  'com.samsung.health.hba1c': kept('clinical', 'lab result'),
  'com.samsung.health.electrocardiogram': kept('clinical', 'ECG recording'),
};

/** `HeartRateRecord` → `heartrate`; `HEART_RATE`, `heart_rate`, `HeartRate` give the same key. */
export function healthConnectKey(name: string): string {
  const lastSegment = name.trim().split('.').pop() ?? '';
  return lastSegment
    .replace(/Record$/, '')
    .replace(/_RECORD$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const recordsByKey: ReadonlyMap<string, HealthConnectClassification> = new Map(
  Object.entries(HEALTH_CONNECT_RECORD_TYPES).map(([name, c]) => [healthConnectKey(name), c]),
);

const samsungByName: ReadonlyMap<string, HealthConnectClassification> = new Map(
  Object.entries(SAMSUNG_DATA_TYPES).map(([name, c]) => [name.toLowerCase(), c]),
);

/**
 * What WearLink does with a Health Connect record type or Samsung Health data type. Total: an unknown
 * name is `kept_raw` with reason `unmapped`.
 */
export function classifyHealthConnectType(name: string): HealthConnectClassification {
  const samsung = samsungByName.get(name.trim().toLowerCase());
  if (samsung !== undefined) return samsung;
  const key = healthConnectKey(name);
  const found = key === '' ? undefined : recordsByKey.get(key);
  return found ?? kept('unmapped', `no catalog entry for '${name}'`);
}
