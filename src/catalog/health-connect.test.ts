import { describe, expect, it } from 'vitest';
import type { HealthConnectClassification } from './health-connect.ts';
import {
  classifyHealthConnectType,
  HEALTH_CONNECT_RECORD_TYPES,
  healthConnectKey,
  SAMSUNG_DATA_TYPES,
} from './health-connect.ts';
import { isSeriesTypeName } from './series-types.ts';
import { toCanonical } from './units.ts';

function convertibleFields(c: HealthConnectClassification): { series: string; unit: string }[] {
  switch (c.kind) {
    case 'series':
      return [{ series: c.seriesType, unit: c.unit }];
    case 'multi_series':
      return c.fields.map((f) => ({ series: f.seriesType, unit: f.unit }));
    default:
      return [];
  }
}

describe('Health Connect record types', () => {
  it('target known series types in units toCanonical accepts', () => {
    for (const [name, c] of [
      ...Object.entries(HEALTH_CONNECT_RECORD_TYPES),
      ...Object.entries(SAMSUNG_DATA_TYPES),
    ]) {
      for (const { series, unit } of convertibleFields(c)) {
        expect(isSeriesTypeName(series), name).toBe(true);
        if (isSeriesTypeName(series)) expect(toCanonical(series, 1, unit).ok, `${name} ${unit}`).toBe(true);
      }
      if (c.kind === 'derived' || c.kind === 'duration_series')
        expect(isSeriesTypeName(c.seriesType)).toBe(true);
    }
  });

  it('maps the core records with their value fields', () => {
    expect(classifyHealthConnectType('HeartRateRecord')).toEqual({
      kind: 'series',
      seriesType: 'heart_rate',
      valueField: 'samples[].beatsPerMinute',
      unit: 'bpm',
      layout: 'samples',
    });
    expect(classifyHealthConnectType('StepsRecord')).toMatchObject({
      seriesType: 'steps',
      valueField: 'count',
    });
    expect(classifyHealthConnectType('RestingHeartRateRecord')).toMatchObject({
      seriesType: 'resting_heart_rate',
    });
    expect(classifyHealthConnectType('HeartRateVariabilityRmssdRecord')).toMatchObject({
      seriesType: 'heart_rate_variability_rmssd',
      unit: 'ms',
    });
    expect(classifyHealthConnectType('ActiveCaloriesBurnedRecord')).toMatchObject({ seriesType: 'energy' });
    expect(classifyHealthConnectType('OxygenSaturationRecord')).toMatchObject({ unit: 'percent' });
    expect(classifyHealthConnectType('SleepSessionRecord')).toEqual({ kind: 'sleep' });
    expect(classifyHealthConnectType('ExerciseSessionRecord')).toEqual({ kind: 'workout' });
  });

  it('accepts the spellings SDKs use', () => {
    const expected = classifyHealthConnectType('HeartRateRecord');
    for (const name of [
      'HeartRate',
      'HEART_RATE',
      'heart_rate',
      'heartRate',
      'androidx.health.connect.client.records.HeartRateRecord',
    ]) {
      expect(classifyHealthConnectType(name), name).toEqual(expected);
    }
    expect(healthConnectKey('Vo2MaxRecord')).toBe('vo2max');
    expect(classifyHealthConnectType('VO2_MAX')).toMatchObject({ seriesType: 'vo2_max' });
  });

  it('derives active energy from total calories instead of storing total as active', () => {
    expect(classifyHealthConnectType('TotalCaloriesBurnedRecord')).toEqual({
      kind: 'derived',
      seriesType: 'energy',
      valueField: 'energy',
      unit: 'kcal',
      derivation: 'subtract_basal_energy',
    });
    expect(classifyHealthConnectType('BasalMetabolicRateRecord')).toMatchObject({
      kind: 'derived',
      seriesType: 'basal_energy',
      derivation: 'rate_times_duration',
    });
  });

  it('splits blood pressure into two series', () => {
    expect(classifyHealthConnectType('BloodPressureRecord')).toEqual({
      kind: 'multi_series',
      fields: [
        { field: 'systolic', seriesType: 'blood_pressure_systolic', unit: 'mmHg' },
        { field: 'diastolic', seriesType: 'blood_pressure_diastolic', unit: 'mmHg' },
      ],
    });
  });

  it('converts Health Connect units into canonical ones', () => {
    expect(toCanonical('blood_glucose', 5.5, 'mmol/L')).toMatchObject({ ok: true });
    expect(toCanonical('height', 1.75, 'm')).toEqual({ ok: true, value: 175, unit: 'cm' });
    expect(toCanonical('hydration', 0.25, 'L')).toEqual({ ok: true, value: 250, unit: 'mL' });
  });

  it('keeps nutrition and types without a series raw, and unknown types unmapped', () => {
    expect(classifyHealthConnectType('NutritionRecord')).toMatchObject({
      kind: 'kept_raw',
      reason: 'nutrition',
    });
    expect(classifyHealthConnectType('BoneMassRecord')).toMatchObject({
      kind: 'kept_raw',
      reason: 'no_canonical_series',
    });
    expect(classifyHealthConnectType('ElevationGainedRecord')).toMatchObject({ kind: 'kept_raw' });
    expect(classifyHealthConnectType('TeleportationRecord')).toMatchObject({
      kind: 'kept_raw',
      reason: 'unmapped',
    });
    expect(classifyHealthConnectType('')).toMatchObject({ kind: 'kept_raw', reason: 'unmapped' });
  });

  it('maps mindfulness sessions to their duration', () => {
    expect(classifyHealthConnectType('MindfulnessSessionRecord')).toEqual({
      kind: 'duration_series',
      seriesType: 'mindful_minutes',
    });
  });
});

describe('Samsung Health data types', () => {
  it('maps known type names, case-insensitively', () => {
    expect(classifyHealthConnectType('com.samsung.health.heart_rate')).toMatchObject({
      kind: 'series',
      seriesType: 'heart_rate',
      unit: 'bpm',
    });
    expect(classifyHealthConnectType('com.samsung.shealth.step_daily_trend')).toMatchObject({
      kind: 'multi_series',
    });
    expect(classifyHealthConnectType('COM.SAMSUNG.HEALTH.SLEEP_STAGE')).toEqual({ kind: 'sleep' });
    expect(classifyHealthConnectType('com.samsung.health.exercise')).toEqual({ kind: 'workout' });
  });

  it('reads Samsung SpO2 as 0–100 percent', () => {
    expect(classifyHealthConnectType('com.samsung.health.oxygen_saturation')).toMatchObject({
      unit: 'percent',
    });
    expect(toCanonical('oxygen_saturation', 97, 'percent')).toEqual({ ok: true, value: 97, unit: 'percent' });
  });
});
