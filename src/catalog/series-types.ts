/**
 * Canonical series types: the closed vocabulary every timeseries sample is stored under (DESIGN §2).
 *
 * `id` is what the database persists (samples reference the type by this small integer, not by name).
 * Ids are therefore permanent: never change or reuse one, never renumber. A new type takes the next free
 * id at the end of the table; a retired type keeps its row (and its id) forever.
 *
 * `unit` is the one canonical unit values are stored in; `units.ts` converts into it.
 * `aggregation` says how samples combine over a time bucket: `sum` for amounts accumulated over an
 * interval (steps, energy, distance, minutes), `avg` (served with min/max) for levels sampled at an
 * instant (heart rate, SpO2, temperature, weight).
 * `family` groups types for webhook group events and API grouping; it is not persisted, so it may evolve.
 */
import { z } from 'zod';

export const CANONICAL_UNITS = [
  'bpm',
  'ms',
  'percent',
  'mg_dl',
  'mmHg',
  'brpm',
  'count',
  'score',
  'liters',
  'L/min',
  'cm',
  'kg',
  'kg_m2',
  'celsius',
  'ml_kg_min',
  'meters',
  'years',
  'kcal',
  'minutes',
  'met',
  'm_per_s',
  'watts',
  'rpm',
  'dB',
  'mL',
] as const;
export type CanonicalUnit = (typeof CANONICAL_UNITS)[number];

export type Aggregation = 'sum' | 'avg';

export const SERIES_FAMILIES = [
  'heart',
  'blood',
  'respiratory',
  'sleep',
  'body',
  'temperature',
  'fitness',
  'activity',
  'mobility',
  'workout',
  'environment',
  'wellbeing',
  'nutrition',
  'safety',
] as const;
export type SeriesFamily = (typeof SERIES_FAMILIES)[number];

interface SeriesTypeShape {
  readonly id: number;
  readonly name: string;
  readonly unit: CanonicalUnit;
  readonly aggregation: Aggregation;
  readonly family: SeriesFamily;
}

export const SERIES_TYPES = [
  // heart
  { id: 1, name: 'heart_rate', unit: 'bpm', aggregation: 'avg', family: 'heart' },
  { id: 2, name: 'resting_heart_rate', unit: 'bpm', aggregation: 'avg', family: 'heart' },
  { id: 3, name: 'heart_rate_variability_sdnn', unit: 'ms', aggregation: 'avg', family: 'heart' },
  { id: 4, name: 'heart_rate_variability_rmssd', unit: 'ms', aggregation: 'avg', family: 'heart' },
  { id: 5, name: 'heart_rate_recovery_one_minute', unit: 'bpm', aggregation: 'avg', family: 'heart' },
  { id: 6, name: 'walking_heart_rate_average', unit: 'bpm', aggregation: 'avg', family: 'heart' },
  { id: 7, name: 'rr_interval', unit: 'ms', aggregation: 'avg', family: 'heart' },
  // blood and respiratory
  { id: 8, name: 'oxygen_saturation', unit: 'percent', aggregation: 'avg', family: 'blood' },
  { id: 9, name: 'blood_glucose', unit: 'mg_dl', aggregation: 'avg', family: 'blood' },
  { id: 10, name: 'blood_pressure_systolic', unit: 'mmHg', aggregation: 'avg', family: 'blood' },
  { id: 11, name: 'blood_pressure_diastolic', unit: 'mmHg', aggregation: 'avg', family: 'blood' },
  { id: 12, name: 'respiratory_rate', unit: 'brpm', aggregation: 'avg', family: 'respiratory' },
  // Apple reports this per night as a rate-like count, so buckets average it rather than add nights up.
  { id: 13, name: 'sleeping_breathing_disturbances', unit: 'count', aggregation: 'avg', family: 'sleep' },
  { id: 14, name: 'blood_alcohol_content', unit: 'mg_dl', aggregation: 'avg', family: 'blood' },
  { id: 15, name: 'peripheral_perfusion_index', unit: 'score', aggregation: 'avg', family: 'blood' },
  { id: 16, name: 'forced_vital_capacity', unit: 'liters', aggregation: 'avg', family: 'respiratory' },
  { id: 17, name: 'forced_expiratory_volume_1', unit: 'liters', aggregation: 'avg', family: 'respiratory' },
  { id: 18, name: 'peak_expiratory_flow_rate', unit: 'L/min', aggregation: 'avg', family: 'respiratory' },
  { id: 19, name: 'breathing_disturbance_index', unit: 'score', aggregation: 'avg', family: 'sleep' },
  // body
  { id: 20, name: 'height', unit: 'cm', aggregation: 'avg', family: 'body' },
  { id: 21, name: 'weight', unit: 'kg', aggregation: 'avg', family: 'body' },
  { id: 22, name: 'body_fat_percentage', unit: 'percent', aggregation: 'avg', family: 'body' },
  { id: 23, name: 'body_mass_index', unit: 'kg_m2', aggregation: 'avg', family: 'body' },
  { id: 24, name: 'lean_body_mass', unit: 'kg', aggregation: 'avg', family: 'body' },
  { id: 25, name: 'body_temperature', unit: 'celsius', aggregation: 'avg', family: 'temperature' },
  { id: 26, name: 'skin_temperature', unit: 'celsius', aggregation: 'avg', family: 'temperature' },
  // A difference from the wearer's baseline, not a temperature: unit conversion is scale-only (see units.ts).
  { id: 27, name: 'skin_temperature_deviation', unit: 'celsius', aggregation: 'avg', family: 'temperature' },
  { id: 28, name: 'waist_circumference', unit: 'cm', aggregation: 'avg', family: 'body' },
  { id: 29, name: 'body_fat_mass', unit: 'kg', aggregation: 'avg', family: 'body' },
  { id: 30, name: 'skeletal_muscle_mass', unit: 'kg', aggregation: 'avg', family: 'body' },
  // fitness
  { id: 31, name: 'vo2_max', unit: 'ml_kg_min', aggregation: 'avg', family: 'fitness' },
  { id: 32, name: 'six_minute_walk_test_distance', unit: 'meters', aggregation: 'avg', family: 'fitness' },
  { id: 33, name: 'cardiovascular_age', unit: 'years', aggregation: 'avg', family: 'fitness' },
  // activity
  { id: 34, name: 'steps', unit: 'count', aggregation: 'sum', family: 'activity' },
  // Active energy only; resting/basal energy is `basal_energy`, so total = energy + basal_energy.
  { id: 35, name: 'energy', unit: 'kcal', aggregation: 'sum', family: 'activity' },
  { id: 36, name: 'basal_energy', unit: 'kcal', aggregation: 'sum', family: 'activity' },
  { id: 37, name: 'stand_time', unit: 'minutes', aggregation: 'sum', family: 'activity' },
  { id: 38, name: 'exercise_time', unit: 'minutes', aggregation: 'sum', family: 'activity' },
  { id: 39, name: 'physical_effort', unit: 'score', aggregation: 'avg', family: 'activity' },
  { id: 40, name: 'flights_climbed', unit: 'count', aggregation: 'sum', family: 'activity' },
  { id: 41, name: 'average_met', unit: 'met', aggregation: 'avg', family: 'activity' },
  { id: 42, name: 'active_time', unit: 'minutes', aggregation: 'sum', family: 'activity' },
  { id: 43, name: 'distance_walking_running', unit: 'meters', aggregation: 'sum', family: 'activity' },
  { id: 44, name: 'distance_cycling', unit: 'meters', aggregation: 'sum', family: 'activity' },
  { id: 45, name: 'distance_swimming', unit: 'meters', aggregation: 'sum', family: 'activity' },
  { id: 46, name: 'distance_downhill_snow_sports', unit: 'meters', aggregation: 'sum', family: 'activity' },
  { id: 47, name: 'distance_other', unit: 'meters', aggregation: 'sum', family: 'activity' },
  // mobility
  { id: 48, name: 'walking_step_length', unit: 'cm', aggregation: 'avg', family: 'mobility' },
  { id: 49, name: 'walking_speed', unit: 'm_per_s', aggregation: 'avg', family: 'mobility' },
  {
    id: 50,
    name: 'walking_double_support_percentage',
    unit: 'percent',
    aggregation: 'avg',
    family: 'mobility',
  },
  { id: 51, name: 'walking_asymmetry_percentage', unit: 'percent', aggregation: 'avg', family: 'mobility' },
  { id: 52, name: 'walking_steadiness', unit: 'percent', aggregation: 'avg', family: 'mobility' },
  { id: 53, name: 'stair_ascent_speed', unit: 'm_per_s', aggregation: 'avg', family: 'mobility' },
  { id: 54, name: 'stair_descent_speed', unit: 'm_per_s', aggregation: 'avg', family: 'mobility' },
  // workout metrics
  { id: 55, name: 'running_power', unit: 'watts', aggregation: 'avg', family: 'workout' },
  { id: 56, name: 'running_speed', unit: 'm_per_s', aggregation: 'avg', family: 'workout' },
  { id: 57, name: 'running_vertical_oscillation', unit: 'cm', aggregation: 'avg', family: 'workout' },
  { id: 58, name: 'running_ground_contact_time', unit: 'ms', aggregation: 'avg', family: 'workout' },
  { id: 59, name: 'running_stride_length', unit: 'cm', aggregation: 'avg', family: 'workout' },
  { id: 60, name: 'swimming_stroke_count', unit: 'count', aggregation: 'sum', family: 'workout' },
  { id: 61, name: 'cadence', unit: 'rpm', aggregation: 'avg', family: 'workout' },
  { id: 62, name: 'power', unit: 'watts', aggregation: 'avg', family: 'workout' },
  { id: 63, name: 'speed', unit: 'm_per_s', aggregation: 'avg', family: 'workout' },
  // environment
  { id: 64, name: 'environmental_audio_exposure', unit: 'dB', aggregation: 'avg', family: 'environment' },
  { id: 65, name: 'headphone_audio_exposure', unit: 'dB', aggregation: 'avg', family: 'environment' },
  { id: 66, name: 'time_in_daylight', unit: 'minutes', aggregation: 'sum', family: 'environment' },
  // Apple's UV exposure is the UV index at the sample time: a level, so it averages.
  { id: 67, name: 'uv_exposure', unit: 'count', aggregation: 'avg', family: 'environment' },
  // Altitude above sea level (barometric or GPS), a level. Elevation *gain* is a workout/day statistic.
  { id: 68, name: 'elevation', unit: 'meters', aggregation: 'avg', family: 'environment' },
  // wellbeing and the rest
  { id: 69, name: 'stress_level', unit: 'score', aggregation: 'avg', family: 'wellbeing' },
  { id: 70, name: 'body_battery', unit: 'percent', aggregation: 'avg', family: 'wellbeing' },
  { id: 71, name: 'hydration', unit: 'mL', aggregation: 'sum', family: 'nutrition' },
  { id: 72, name: 'number_of_times_fallen', unit: 'count', aggregation: 'sum', family: 'safety' },
  { id: 73, name: 'electrodermal_activity', unit: 'count', aggregation: 'avg', family: 'wellbeing' },
  { id: 74, name: 'mindful_minutes', unit: 'minutes', aggregation: 'sum', family: 'wellbeing' },
] as const satisfies readonly SeriesTypeShape[];

export type SeriesTypeInfo = (typeof SERIES_TYPES)[number];
export type SeriesTypeName = SeriesTypeInfo['name'];

export const SERIES_TYPE_NAMES: readonly SeriesTypeName[] = SERIES_TYPES.map((t) => t.name);

const byName: ReadonlyMap<string, SeriesTypeInfo> = new Map(SERIES_TYPES.map((t) => [t.name, t]));
const byId: ReadonlyMap<number, SeriesTypeInfo> = new Map(SERIES_TYPES.map((t) => [t.id, t]));

export function isSeriesTypeName(value: unknown): value is SeriesTypeName {
  return typeof value === 'string' && byName.has(value);
}

/** Total over the closed union: a `SeriesTypeName` always has a row. */
export function seriesType(name: SeriesTypeName): SeriesTypeInfo {
  const found = byName.get(name);
  if (found === undefined) throw new Error(`series type table has no row for '${name}'`);
  return found;
}

export function findSeriesTypeByName(name: string): SeriesTypeInfo | undefined {
  return byName.get(name);
}

export function findSeriesTypeById(id: number): SeriesTypeInfo | undefined {
  return byId.get(id);
}

export function seriesTypesInFamily(family: SeriesFamily): readonly SeriesTypeInfo[] {
  return SERIES_TYPES.filter((t) => t.family === family);
}

export const SeriesTypeNameSchema = z.enum(
  SERIES_TYPES.map((t) => t.name) as [SeriesTypeName, ...SeriesTypeName[]],
);

/**
 * The values a sample of each series type may hold, in its canonical unit, both ends inclusive. Wider
 * than any human or device produces, so no real reading is refused, yet finite and far from overflow:
 * a bucket sum of every sample a user could store stays a finite double, and the typical unit mistake
 * (°F sent as °C, count/s taken for count/min, grams for kilograms) lands outside and is rejected with
 * a reason instead of being stored. Cumulative types bound one sample, which may span up to ~24.8 days
 * (the longest duration stored), so their ceilings are a month of an extreme day.
 */
export const SERIES_VALUE_RANGES: { readonly [N in SeriesTypeName]: readonly [min: number, max: number] } = {
  heart_rate: [0, 400],
  resting_heart_rate: [0, 300],
  heart_rate_variability_sdnn: [0, 5000],
  heart_rate_variability_rmssd: [0, 5000],
  // A drop in beats per minute; negative when the rate went up.
  heart_rate_recovery_one_minute: [-300, 300],
  walking_heart_rate_average: [0, 300],
  rr_interval: [0, 60_000],
  oxygen_saturation: [0, 100],
  blood_glucose: [0, 5000],
  blood_pressure_systolic: [0, 400],
  blood_pressure_diastolic: [0, 400],
  respiratory_rate: [0, 200],
  sleeping_breathing_disturbances: [0, 10_000],
  blood_alcohol_content: [0, 2000],
  peripheral_perfusion_index: [0, 100],
  forced_vital_capacity: [0, 20],
  forced_expiratory_volume_1: [0, 20],
  peak_expiratory_flow_rate: [0, 2000],
  breathing_disturbance_index: [0, 10_000],
  height: [0, 300],
  weight: [0, 1000],
  body_fat_percentage: [0, 100],
  body_mass_index: [0, 300],
  lean_body_mass: [0, 1000],
  body_temperature: [0, 50],
  skin_temperature: [-50, 70],
  skin_temperature_deviation: [-30, 30],
  waist_circumference: [0, 500],
  body_fat_mass: [0, 1000],
  skeletal_muscle_mass: [0, 1000],
  vo2_max: [0, 150],
  six_minute_walk_test_distance: [0, 5000],
  cardiovascular_age: [0, 200],
  steps: [0, 10_000_000],
  energy: [0, 2_000_000],
  basal_energy: [0, 2_000_000],
  // Minutes of a sample that lasts at most ~35,800 minutes.
  stand_time: [0, 50_000],
  exercise_time: [0, 50_000],
  physical_effort: [0, 1000],
  flights_climbed: [0, 1_000_000],
  average_met: [0, 100],
  active_time: [0, 50_000],
  distance_walking_running: [0, 100_000_000],
  distance_cycling: [0, 100_000_000],
  distance_swimming: [0, 100_000_000],
  distance_downhill_snow_sports: [0, 100_000_000],
  distance_other: [0, 100_000_000],
  walking_step_length: [0, 500],
  walking_speed: [0, 50],
  walking_double_support_percentage: [0, 100],
  walking_asymmetry_percentage: [0, 100],
  walking_steadiness: [0, 100],
  stair_ascent_speed: [0, 50],
  stair_descent_speed: [0, 50],
  running_power: [0, 10_000],
  running_speed: [0, 100],
  running_vertical_oscillation: [0, 200],
  running_ground_contact_time: [0, 10_000],
  running_stride_length: [0, 1000],
  swimming_stroke_count: [0, 10_000_000],
  cadence: [0, 1000],
  power: [0, 10_000],
  // Any moving thing a wearable is carried on, aircraft included.
  speed: [0, 1000],
  environmental_audio_exposure: [0, 250],
  headphone_audio_exposure: [0, 250],
  time_in_daylight: [0, 50_000],
  uv_exposure: [0, 100],
  // Metres above sea level: deep mines and dives to the edge of the atmosphere.
  elevation: [-20_000, 100_000],
  // Vendor scores stored as sent; some use small negative codes for "not measurable".
  stress_level: [-100, 1000],
  body_battery: [0, 100],
  hydration: [0, 1_000_000],
  number_of_times_fallen: [0, 100_000],
  // Skin conductance as sent (siemens or a vendor count).
  electrodermal_activity: [0, 1_000_000],
  mindful_minutes: [0, 50_000],
};

/**
 * Why a canonical value cannot be stored under a series type (not finite, or outside its
 * SERIES_VALUE_RANGES), or undefined when it can.
 */
export function seriesValueProblem(type: SeriesTypeInfo, value: number): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `value ${String(value)} ${type.unit} for series type '${type.name}' is not a finite number`;
  }
  const [min, max] = SERIES_VALUE_RANGES[type.name];
  if (value < min || value > max) {
    return `value ${value} ${type.unit} is outside the range of series type '${type.name}' [${min}, ${max}] (a wrong unit?)`;
  }
  return undefined;
}
