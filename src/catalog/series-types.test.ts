import { describe, expect, it } from 'vitest';
import {
  CANONICAL_UNITS,
  findSeriesTypeById,
  findSeriesTypeByName,
  isSeriesTypeName,
  SERIES_FAMILIES,
  SERIES_TYPE_NAMES,
  SERIES_TYPES,
  SERIES_VALUE_RANGES,
  SeriesTypeNameSchema,
  seriesType,
  seriesTypesInFamily,
  seriesValueProblem,
} from './series-types.ts';

/** DESIGN §2 "Canonical series types", name → unit, transcribed by hand. */
const DESIGN_UNITS: Record<string, string> = {
  heart_rate: 'bpm',
  resting_heart_rate: 'bpm',
  heart_rate_variability_sdnn: 'ms',
  heart_rate_variability_rmssd: 'ms',
  heart_rate_recovery_one_minute: 'bpm',
  walking_heart_rate_average: 'bpm',
  rr_interval: 'ms',
  oxygen_saturation: 'percent',
  blood_glucose: 'mg_dl',
  blood_pressure_systolic: 'mmHg',
  blood_pressure_diastolic: 'mmHg',
  respiratory_rate: 'brpm',
  sleeping_breathing_disturbances: 'count',
  blood_alcohol_content: 'mg_dl',
  peripheral_perfusion_index: 'score',
  forced_vital_capacity: 'liters',
  forced_expiratory_volume_1: 'liters',
  peak_expiratory_flow_rate: 'L/min',
  breathing_disturbance_index: 'score',
  height: 'cm',
  weight: 'kg',
  body_fat_percentage: 'percent',
  body_mass_index: 'kg_m2',
  lean_body_mass: 'kg',
  body_temperature: 'celsius',
  skin_temperature: 'celsius',
  skin_temperature_deviation: 'celsius',
  waist_circumference: 'cm',
  body_fat_mass: 'kg',
  skeletal_muscle_mass: 'kg',
  vo2_max: 'ml_kg_min',
  six_minute_walk_test_distance: 'meters',
  cardiovascular_age: 'years',
  steps: 'count',
  energy: 'kcal',
  basal_energy: 'kcal',
  stand_time: 'minutes',
  exercise_time: 'minutes',
  physical_effort: 'score',
  flights_climbed: 'count',
  average_met: 'met',
  active_time: 'minutes',
  distance_walking_running: 'meters',
  distance_cycling: 'meters',
  distance_swimming: 'meters',
  distance_downhill_snow_sports: 'meters',
  distance_other: 'meters',
  walking_step_length: 'cm',
  walking_speed: 'm_per_s',
  walking_double_support_percentage: 'percent',
  walking_asymmetry_percentage: 'percent',
  walking_steadiness: 'percent',
  stair_ascent_speed: 'm_per_s',
  stair_descent_speed: 'm_per_s',
  running_power: 'watts',
  running_speed: 'm_per_s',
  running_vertical_oscillation: 'cm',
  running_ground_contact_time: 'ms',
  running_stride_length: 'cm',
  swimming_stroke_count: 'count',
  cadence: 'rpm',
  power: 'watts',
  speed: 'm_per_s',
  environmental_audio_exposure: 'dB',
  headphone_audio_exposure: 'dB',
  time_in_daylight: 'minutes',
  uv_exposure: 'count',
  elevation: 'meters',
  stress_level: 'score',
  body_battery: 'percent',
  hydration: 'mL',
  number_of_times_fallen: 'count',
  electrodermal_activity: 'count',
  mindful_minutes: 'minutes',
};

/**
 * Ids are persisted: this pins every one. Adding a type appends a line; changing or removing a line
 * here means stored samples would change meaning, which must never happen.
 */
const PINNED_IDS: Record<string, number> = {
  heart_rate: 1,
  resting_heart_rate: 2,
  heart_rate_variability_sdnn: 3,
  heart_rate_variability_rmssd: 4,
  heart_rate_recovery_one_minute: 5,
  walking_heart_rate_average: 6,
  rr_interval: 7,
  oxygen_saturation: 8,
  blood_glucose: 9,
  blood_pressure_systolic: 10,
  blood_pressure_diastolic: 11,
  respiratory_rate: 12,
  sleeping_breathing_disturbances: 13,
  blood_alcohol_content: 14,
  peripheral_perfusion_index: 15,
  forced_vital_capacity: 16,
  forced_expiratory_volume_1: 17,
  peak_expiratory_flow_rate: 18,
  breathing_disturbance_index: 19,
  height: 20,
  weight: 21,
  body_fat_percentage: 22,
  body_mass_index: 23,
  lean_body_mass: 24,
  body_temperature: 25,
  skin_temperature: 26,
  skin_temperature_deviation: 27,
  waist_circumference: 28,
  body_fat_mass: 29,
  skeletal_muscle_mass: 30,
  vo2_max: 31,
  six_minute_walk_test_distance: 32,
  cardiovascular_age: 33,
  steps: 34,
  energy: 35,
  basal_energy: 36,
  stand_time: 37,
  exercise_time: 38,
  physical_effort: 39,
  flights_climbed: 40,
  average_met: 41,
  active_time: 42,
  distance_walking_running: 43,
  distance_cycling: 44,
  distance_swimming: 45,
  distance_downhill_snow_sports: 46,
  distance_other: 47,
  walking_step_length: 48,
  walking_speed: 49,
  walking_double_support_percentage: 50,
  walking_asymmetry_percentage: 51,
  walking_steadiness: 52,
  stair_ascent_speed: 53,
  stair_descent_speed: 54,
  running_power: 55,
  running_speed: 56,
  running_vertical_oscillation: 57,
  running_ground_contact_time: 58,
  running_stride_length: 59,
  swimming_stroke_count: 60,
  cadence: 61,
  power: 62,
  speed: 63,
  environmental_audio_exposure: 64,
  headphone_audio_exposure: 65,
  time_in_daylight: 66,
  uv_exposure: 67,
  elevation: 68,
  stress_level: 69,
  body_battery: 70,
  hydration: 71,
  number_of_times_fallen: 72,
  electrodermal_activity: 73,
  mindful_minutes: 74,
};

describe('series types', () => {
  it('covers exactly the DESIGN list, each with the DESIGN unit', () => {
    const actual = Object.fromEntries(SERIES_TYPES.map((t) => [t.name, t.unit]));
    expect(actual).toEqual(DESIGN_UNITS);
  });

  it('keeps every persisted id where it was', () => {
    const actual = Object.fromEntries(SERIES_TYPES.map((t) => [t.name, t.id]));
    expect(actual).toEqual(PINNED_IDS);
  });

  it('has unique names and unique small positive integer ids', () => {
    const ids = SERIES_TYPES.map((t) => t.id);
    const names = SERIES_TYPES.map((t) => t.name);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
    for (const id of ids) {
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(0);
      expect(id).toBeLessThan(32_768);
    }
    expect(names.every((n) => /^[a-z][a-z0-9_]*$/.test(n))).toBe(true);
  });

  it('uses only declared units and families', () => {
    for (const t of SERIES_TYPES) {
      expect(CANONICAL_UNITS).toContain(t.unit);
      expect(SERIES_FAMILIES).toContain(t.family);
      expect(['sum', 'avg']).toContain(t.aggregation);
    }
  });

  it('sums amounts and averages levels', () => {
    const sums = [
      'steps',
      'energy',
      'basal_energy',
      'flights_climbed',
      'distance_other',
      'mindful_minutes',
    ] as const;
    for (const name of sums) expect(seriesType(name).aggregation).toBe('sum');
    const avgs = [
      'heart_rate',
      'oxygen_saturation',
      'body_temperature',
      'weight',
      'vo2_max',
      'stress_level',
    ] as const;
    for (const name of avgs) expect(seriesType(name).aggregation).toBe('avg');
  });

  it('keeps active and basal energy apart', () => {
    expect(seriesType('energy')).toMatchObject({ unit: 'kcal', family: 'activity' });
    expect(seriesType('basal_energy').id).not.toBe(seriesType('energy').id);
  });

  it('looks up by name and by id', () => {
    expect(findSeriesTypeByName('heart_rate')?.id).toBe(1);
    expect(findSeriesTypeById(34)?.name).toBe('steps');
    expect(findSeriesTypeByName('heartrate')).toBeUndefined();
    expect(findSeriesTypeById(0)).toBeUndefined();
    expect(findSeriesTypeById(9999)).toBeUndefined();
    for (const t of SERIES_TYPES) expect(findSeriesTypeById(t.id)).toBe(t);
  });

  it('recognises series type names', () => {
    expect(isSeriesTypeName('vo2_max')).toBe(true);
    expect(isSeriesTypeName('VO2_MAX')).toBe(false);
    expect(isSeriesTypeName('spo2')).toBe(false);
    expect(isSeriesTypeName(8)).toBe(false);
    expect(isSeriesTypeName(undefined)).toBe(false);
    expect(SERIES_TYPE_NAMES).toHaveLength(SERIES_TYPES.length);
  });

  it('validates names with the zod schema', () => {
    expect(SeriesTypeNameSchema.parse('steps')).toBe('steps');
    expect(SeriesTypeNameSchema.safeParse('stepz').success).toBe(false);
  });

  it('groups by family', () => {
    const heart = seriesTypesInFamily('heart').map((t) => t.name);
    expect(heart).toContain('heart_rate');
    expect(heart).toContain('rr_interval');
    expect(heart).not.toContain('steps');
    const total = SERIES_FAMILIES.reduce((n, f) => n + seriesTypesInFamily(f).length, 0);
    expect(total).toBe(SERIES_TYPES.length);
  });
});

describe('value ranges per series type (issue 15 #3)', () => {
  it('bounds every type with finite limits far from overflow', () => {
    for (const t of SERIES_TYPES) {
      const [min, max] = SERIES_VALUE_RANGES[t.name];
      expect(Number.isFinite(min) && Number.isFinite(max) && min < max, t.name).toBe(true);
      // 50,000-sample batches of extreme values, summed over years of hourly rollups, stay finite.
      expect(Math.max(Math.abs(min), Math.abs(max)), t.name).toBeLessThan(1e9);
      expect(seriesValueProblem(t, min), t.name).toBeUndefined();
      expect(seriesValueProblem(t, max), t.name).toBeUndefined();
    }
  });

  it('refuses non-finite values and catches unit mistakes with a reason', () => {
    const hr = seriesType('heart_rate');
    expect(seriesValueProblem(hr, 72)).toBeUndefined();
    expect(seriesValueProblem(hr, 1e308)).toMatch(/outside the range of series type 'heart_rate'/);
    expect(seriesValueProblem(hr, Number.POSITIVE_INFINITY)).toMatch(/not a finite number/);
    expect(seriesValueProblem(hr, Number.NaN)).toMatch(/not a finite number/);
    // 72 count/s taken for count/min, °F sent as °C, grams sent as kilograms.
    expect(seriesValueProblem(hr, 72 * 60)).toBeDefined();
    expect(seriesValueProblem(seriesType('body_temperature'), 98.6)).toBeDefined();
    expect(seriesValueProblem(seriesType('weight'), 70_500)).toBeDefined();
  });
});
