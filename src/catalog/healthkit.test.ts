import { describe, expect, it } from 'vitest';
import {
  classifyHealthKitIdentifier,
  HEALTHKIT_CORRELATIONS,
  HEALTHKIT_KEPT_RAW,
  HEALTHKIT_QUANTITY_TYPES,
  healthKitIdentifiersFor,
  wristTemperatureSeries,
} from './healthkit.ts';
import { isSeriesTypeName } from './series-types.ts';
import { toCanonical } from './units.ts';
import { HEALTHKIT_WORKOUT_TYPES } from './workout-types.ts';

describe('HealthKit quantity types', () => {
  it('map to known series types, and their default unit converts', () => {
    for (const [id, q] of Object.entries(HEALTHKIT_QUANTITY_TYPES)) {
      expect(isSeriesTypeName(q.seriesType), id).toBe(true);
      expect(toCanonical(q.seriesType, 1, q.defaultUnit).ok, `${id} in ${q.defaultUnit}`).toBe(true);
      expect(classifyHealthKitIdentifier(id)).toEqual({ kind: 'series', ...q });
    }
  });

  it('never appear both mapped and kept raw', () => {
    for (const id of Object.keys(HEALTHKIT_KEPT_RAW)) expect(HEALTHKIT_QUANTITY_TYPES).not.toHaveProperty(id);
  });

  it('maps the core types to the expected series', () => {
    const expected: Record<string, string> = {
      HKQuantityTypeIdentifierHeartRate: 'heart_rate',
      HKQuantityTypeIdentifierHeartRateVariabilitySDNN: 'heart_rate_variability_sdnn',
      HKQuantityTypeIdentifierOxygenSaturation: 'oxygen_saturation',
      HKQuantityTypeIdentifierBodyMass: 'weight',
      HKQuantityTypeIdentifierActiveEnergyBurned: 'energy',
      HKQuantityTypeIdentifierBasalEnergyBurned: 'basal_energy',
      HKQuantityTypeIdentifierDistanceWheelchair: 'distance_other',
      HKQuantityTypeIdentifierDietaryWater: 'hydration',
      HKQuantityTypeIdentifierAppleSleepingWristTemperature: 'skin_temperature',
      HKQuantityTypeIdentifierCyclingCadence: 'cadence',
      HKQuantityTypeIdentifierCyclingPower: 'power',
      HKQuantityTypeIdentifierHeartRateRecoveryOneMinute: 'heart_rate_recovery_one_minute',
    };
    for (const [id, series] of Object.entries(expected)) {
      expect(classifyHealthKitIdentifier(id)).toMatchObject({ kind: 'series', seriesType: series });
    }
  });

  it('gives oxygen saturation the fraction unit %', () => {
    const spo2 = classifyHealthKitIdentifier('HKQuantityTypeIdentifierOxygenSaturation');
    expect(spo2).toEqual({ kind: 'series', seriesType: 'oxygen_saturation', defaultUnit: '%' });
    expect(toCanonical('oxygen_saturation', 0.97, '%')).toEqual({ ok: true, value: 97, unit: 'percent' });
  });

  it('lists the identifiers feeding one series', () => {
    expect(healthKitIdentifiersFor('speed')).toEqual([
      'HKQuantityTypeIdentifierCyclingSpeed',
      'HKQuantityTypeIdentifierCrossCountrySkiingSpeed',
      'HKQuantityTypeIdentifierPaddleSportsSpeed',
      'HKQuantityTypeIdentifierRowingSpeed',
    ]);
    expect(healthKitIdentifiersFor('rr_interval')).toEqual([]);
  });

  it('keeps nutrition and retired types raw, with a reason', () => {
    expect(classifyHealthKitIdentifier('HKQuantityTypeIdentifierDietaryEnergyConsumed')).toMatchObject({
      kind: 'kept_raw',
      reason: 'nutrition',
    });
    expect(classifyHealthKitIdentifier('HKQuantityTypeIdentifierNikeFuel')).toMatchObject({
      kind: 'kept_raw',
      reason: 'deprecated',
    });
  });
});

describe('HealthKit category, correlation and other types', () => {
  it('routes sleep analysis to sleep handling', () => {
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierSleepAnalysis')).toEqual({ kind: 'sleep' });
  });

  it('stores mindful sessions as their duration in minutes', () => {
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierMindfulSession')).toEqual({
      kind: 'duration_series',
      seriesType: 'mindful_minutes',
    });
  });

  it('keeps stand hours, events, symptoms and cycle tracking raw with distinct reasons', () => {
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierAppleStandHour')).toMatchObject({
      kind: 'kept_raw',
      reason: 'derived_elsewhere',
    });
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierHighHeartRateEvent')).toMatchObject({
      reason: 'event',
    });
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierHeadache')).toMatchObject({
      reason: 'symptom',
    });
    expect(classifyHealthKitIdentifier('HKCategoryTypeIdentifierSexualActivity')).toMatchObject({
      reason: 'reproductive_health',
    });
  });

  it('splits the blood pressure correlation into its two series', () => {
    expect(classifyHealthKitIdentifier('HKCorrelationTypeIdentifierBloodPressure')).toEqual({
      kind: 'correlation',
      children: HEALTHKIT_CORRELATIONS.HKCorrelationTypeIdentifierBloodPressure,
    });
    const children = HEALTHKIT_CORRELATIONS.HKCorrelationTypeIdentifierBloodPressure;
    expect(children.map((c) => c.seriesType)).toEqual([
      'blood_pressure_systolic',
      'blood_pressure_diastolic',
    ]);
    for (const c of children) {
      expect(classifyHealthKitIdentifier(c.identifier)).toMatchObject({
        kind: 'series',
        seriesType: c.seriesType,
      });
    }
  });

  it('keeps the sleep duration goal as a user goal', () => {
    expect(classifyHealthKitIdentifier('HKDataTypeSleepDurationGoal')).toMatchObject({
      kind: 'kept_raw',
      reason: 'user_goal',
    });
  });
});

describe('HealthKit values and keys', () => {
  it('maps sleep values by name', () => {
    expect(classifyHealthKitIdentifier('HKCategoryValueSleepAnalysisInBed')).toEqual({
      kind: 'sleep_value',
      stage: 'in_bed',
      value: 0,
    });
    expect(classifyHealthKitIdentifier('HKCategoryValueSleepAnalysisAsleep')).toEqual({
      kind: 'sleep_value',
      stage: 'sleeping',
      value: 1,
    });
    expect(classifyHealthKitIdentifier('HKCategoryValueSleepAnalysisAsleepCore')).toEqual({
      kind: 'sleep_value',
      stage: 'light',
      value: 3,
    });
    expect(classifyHealthKitIdentifier('HKCategoryValueSleepAnalysisAsleepREM')).toMatchObject({
      stage: 'rem',
    });
  });

  it('maps stand hour and shared category values', () => {
    expect(classifyHealthKitIdentifier('HKCategoryValueAppleStandHourStood')).toEqual({
      kind: 'category_value',
      categoryType: 'HKCategoryTypeIdentifierAppleStandHour',
      name: 'Stood',
      value: 0,
    });
    expect(classifyHealthKitIdentifier('HKCategoryValueAppleStandHourIdle')).toMatchObject({ value: 1 });
    expect(classifyHealthKitIdentifier('HKCategoryValueNotApplicable')).toEqual({
      kind: 'category_value',
      categoryType: null,
      name: 'NotApplicable',
      value: 0,
    });
    expect(classifyHealthKitIdentifier('HKCategoryValueSeverityModerate')).toMatchObject({ value: 3 });
  });

  it('classifies characteristic types and their values', () => {
    expect(classifyHealthKitIdentifier('HKCharacteristicTypeIdentifierBiologicalSex')).toEqual({
      kind: 'characteristic',
      characteristic: 'biological_sex',
      value: null,
    });
    expect(classifyHealthKitIdentifier('HKBiologicalSexFemale')).toEqual({
      kind: 'characteristic',
      characteristic: 'biological_sex',
      value: 'female',
    });
    expect(classifyHealthKitIdentifier('HKBloodTypeABNegative')).toMatchObject({ value: 'ab_negative' });
    expect(classifyHealthKitIdentifier('HKBloodTypeNotSet')).toMatchObject({ value: 'not_set' });
    expect(classifyHealthKitIdentifier('HKFitzpatrickSkinTypeVI')).toMatchObject({
      characteristic: 'fitzpatrick_skin_type',
      value: 'type_vi',
    });
    expect(classifyHealthKitIdentifier('HKCharacteristicTypeIdentifierDateOfBirth')).toMatchObject({
      characteristic: 'date_of_birth',
    });
  });

  it('recognises metadata keys in both spellings', () => {
    for (const key of ['HKMetadataKeySyncIdentifier', 'HKTimeZone', 'HKAverageMETs', 'HKSWOLFScore']) {
      expect(classifyHealthKitIdentifier(key)).toEqual({ kind: 'metadata_key', key });
    }
  });

  it('maps every HKWorkoutActivityType and workout event', () => {
    for (const [, name, type] of HEALTHKIT_WORKOUT_TYPES) {
      const id = `HKWorkoutActivityType${name[0]?.toUpperCase()}${name.slice(1)}`;
      expect(classifyHealthKitIdentifier(id)).toEqual({ kind: 'workout_activity_type', workoutType: type });
    }
    expect(classifyHealthKitIdentifier('HKWorkoutEventTypeMotionPaused')).toEqual({
      kind: 'workout_event',
      event: 'motion_paused',
    });
    expect(classifyHealthKitIdentifier('HKWorkoutTypeIdentifier')).toEqual({ kind: 'workout' });
    expect(classifyHealthKitIdentifier('HKWorkoutRouteTypeIdentifier')).toEqual({ kind: 'workout_route' });
  });

  it('answers unknown identifiers with kept_raw / unmapped, never undefined', () => {
    for (const id of [
      'HKQuantityTypeIdentifierSomethingNew',
      'HKCategoryValueSleepAnalysisDreaming',
      'HKBloodTypeZPositive',
      'HKWorkoutActivityTypeTeleportation',
      'not-healthkit',
      '',
    ]) {
      expect(classifyHealthKitIdentifier(id), id).toMatchObject({ kind: 'kept_raw', reason: 'unmapped' });
    }
  });
});

describe('wrist temperature', () => {
  it('routes absolute temperatures and deviations to different series', () => {
    expect(wristTemperatureSeries(35.4)).toBe('skin_temperature');
    expect(wristTemperatureSeries(0.23)).toBe('skin_temperature_deviation');
    expect(wristTemperatureSeries(-1.1)).toBe('skin_temperature_deviation');
  });
});
