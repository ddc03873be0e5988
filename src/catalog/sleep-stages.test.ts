import { describe, expect, it } from 'vitest';
import type { SleepStage } from './sleep-stages.ts';
import { isAsleepStage, isSleepStage, SLEEP_STAGES, toCanonicalSleepStage } from './sleep-stages.ts';

const exact = (stage: SleepStage) => ({ stage, exact: true });
const miss = { stage: 'unknown', exact: false };

describe('canonical sleep stages', () => {
  it('are the seven of DESIGN §2', () => {
    expect(SLEEP_STAGES).toEqual(['in_bed', 'awake', 'sleeping', 'light', 'deep', 'rem', 'unknown']);
    expect(isSleepStage('rem')).toBe(true);
    expect(isSleepStage('asleep_rem')).toBe(false);
  });

  it('count only sleep stages as asleep', () => {
    expect(SLEEP_STAGES.filter(isAsleepStage)).toEqual(['sleeping', 'light', 'deep', 'rem']);
  });
});

describe('SDK stages (spec 001)', () => {
  it('maps every SDK string', () => {
    expect(toCanonicalSleepStage('sdk', 'in_bed')).toEqual(exact('in_bed'));
    expect(toCanonicalSleepStage('sdk', 'sleeping')).toEqual(exact('sleeping'));
    expect(toCanonicalSleepStage('sdk', 'awake')).toEqual(exact('awake'));
    expect(toCanonicalSleepStage('sdk', 'asleep_light')).toEqual(exact('light'));
    expect(toCanonicalSleepStage('sdk', 'asleep_deep')).toEqual(exact('deep'));
    expect(toCanonicalSleepStage('sdk', 'asleep_rem')).toEqual(exact('rem'));
    expect(toCanonicalSleepStage('sdk', 'unknown')).toEqual(exact('unknown'));
  });

  it('tolerates other casings and HealthKit names', () => {
    expect(toCanonicalSleepStage('sdk', 'ASLEEP_DEEP')).toEqual(exact('deep'));
    expect(toCanonicalSleepStage('sdk', 'asleepCore')).toEqual(exact('light'));
    expect(toCanonicalSleepStage('sdk', 'inBed')).toEqual(exact('in_bed'));
    expect(toCanonicalSleepStage('sdk', 'napping')).toEqual(miss);
    expect(toCanonicalSleepStage('sdk', 3)).toEqual(miss);
  });
});

describe('HealthKit values', () => {
  it('accepts names and integers', () => {
    const cases: [string, number, SleepStage][] = [
      ['HKCategoryValueSleepAnalysisInBed', 0, 'in_bed'],
      ['HKCategoryValueSleepAnalysisAsleepUnspecified', 1, 'sleeping'],
      ['HKCategoryValueSleepAnalysisAwake', 2, 'awake'],
      ['HKCategoryValueSleepAnalysisAsleepCore', 3, 'light'],
      ['HKCategoryValueSleepAnalysisAsleepDeep', 4, 'deep'],
      ['HKCategoryValueSleepAnalysisAsleepREM', 5, 'rem'],
    ];
    for (const [name, value, stage] of cases) {
      expect(toCanonicalSleepStage('healthkit', name)).toEqual(exact(stage));
      expect(toCanonicalSleepStage('healthkit', value)).toEqual(exact(stage));
    }
    expect(toCanonicalSleepStage('healthkit', 'HKCategoryValueSleepAnalysisAsleep')).toEqual(
      exact('sleeping'),
    );
    expect(toCanonicalSleepStage('healthkit', 'AsleepDeep')).toEqual(exact('deep'));
    expect(toCanonicalSleepStage('healthkit', '4')).toEqual(exact('deep'));
    expect(toCanonicalSleepStage('healthkit', 6)).toEqual(miss);
  });
});

describe('Health Connect stages', () => {
  it('maps every STAGE_TYPE value and name', () => {
    const cases: [number, string, SleepStage][] = [
      [0, 'STAGE_TYPE_UNKNOWN', 'unknown'],
      [1, 'STAGE_TYPE_AWAKE', 'awake'],
      [2, 'STAGE_TYPE_SLEEPING', 'sleeping'],
      [3, 'STAGE_TYPE_OUT_OF_BED', 'awake'],
      [4, 'STAGE_TYPE_LIGHT', 'light'],
      [5, 'STAGE_TYPE_DEEP', 'deep'],
      [6, 'STAGE_TYPE_REM', 'rem'],
      [7, 'STAGE_TYPE_AWAKE_IN_BED', 'awake'],
    ];
    for (const [value, name, stage] of cases) {
      expect(toCanonicalSleepStage('health_connect', value)).toEqual(exact(stage));
      expect(toCanonicalSleepStage('health_connect', name)).toEqual(exact(stage));
    }
    expect(toCanonicalSleepStage('health_connect', 'awake_in_bed')).toEqual(exact('awake'));
    expect(toCanonicalSleepStage('health_connect', 8)).toEqual(miss);
  });
});

describe('Samsung, Oura, Polar and Fitbit stages', () => {
  it('maps Samsung sleep stage codes', () => {
    expect(toCanonicalSleepStage('samsung', 40001)).toEqual(exact('awake'));
    expect(toCanonicalSleepStage('samsung', 40002)).toEqual(exact('light'));
    expect(toCanonicalSleepStage('samsung', 40003)).toEqual(exact('deep'));
    expect(toCanonicalSleepStage('samsung', '40004')).toEqual(exact('rem'));
    expect(toCanonicalSleepStage('samsung', 'REM')).toEqual(exact('rem'));
    expect(toCanonicalSleepStage('samsung', 40005)).toEqual(miss);
  });

  it('maps Oura phase characters, Polar hypnogram values and Fitbit levels', () => {
    expect([...'1234'].map((c) => toCanonicalSleepStage('oura', c).stage)).toEqual([
      'deep',
      'light',
      'rem',
      'awake',
    ]);
    expect([0, 1, 2, 3, 4, 5].map((v) => toCanonicalSleepStage('polar', v).stage)).toEqual([
      'awake',
      'rem',
      'light',
      'light',
      'deep',
      'unknown',
    ]);
    expect(toCanonicalSleepStage('fitbit', 'wake')).toEqual(exact('awake'));
    expect(toCanonicalSleepStage('fitbit', 'asleep')).toEqual(exact('sleeping'));
    expect(toCanonicalSleepStage('oura', '9')).toEqual(miss);
  });
});
