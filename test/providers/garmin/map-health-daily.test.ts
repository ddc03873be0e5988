import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapGarminHealth } from '../../../src/providers/garmin/map-health.ts';

/** Garmin dailies, epochs and stress details → canonical records, every value worked out by hand. */

const T = Date.UTC(2026, 10, 30, 0, 0, 0) / 1000; // 2026-11-30T00:00:00Z, epoch seconds

function rows(batch: CanonicalBatch): [string, number, number, number, number | null][] {
  return batch.samples.map((s) => [
    findSeriesTypeById(s.seriesTypeId)?.name ?? `#${s.seriesTypeId}`,
    s.startMs / 1000,
    s.durationMs / 1000,
    s.value,
    s.utcOffsetMin,
  ]);
}

function health(resource: string, items: unknown[]): CanonicalBatch {
  const batch = mapGarminHealth(resource, items);
  if (batch === undefined) throw new Error(`${resource} is not a Health API resource`);
  return batch;
}

/** The identity of a stored sample (samples.repo: series, start, source, duration). */
const keys = (batch: CanonicalBatch) =>
  batch.samples.map((s) => `${s.seriesTypeId}|${s.startMs}|${s.source}|${s.durationMs}`);

describe('dailies', () => {
  const day = {
    summaryId: 'd-1',
    calendarDate: '2026-11-30',
    startTimeInSeconds: T - 3600,
    startTimeOffsetInSeconds: 3600,
    durationInSeconds: 86400,
    steps: 4210,
    activeKilocalories: 321,
    distanceInMeters: 3146.5,
    bmrKilocalories: 1731,
    floorsClimbed: 8,
    activeTimeInSeconds: 12240,
    restingHeartRateInBeatsPerMinute: 55,
    averageHeartRateInBeatsPerMinute: 64,
    timeOffsetHeartRateSamples: { '15': 75, '30': 0, '3180': 76, '3195': -1, abc: 80 },
    averageStressLevel: 43,
    maxStressLevel: 87,
    stressQualifier: 'stressful_awake',
    restStressDurationInSeconds: 7600,
    bodyBatteryChargedValue: 40,
  };

  it('heart rate per 15 s before each offset; day values once the day is complete; no step/energy totals', () => {
    const batch = health('dailies', [day]);
    const S = T - 3600;
    expect(rows(batch)).toEqual([
      ['heart_rate', S, 15, 75, 60],
      ['heart_rate', S + 3165, 15, 76, 60],
      ['resting_heart_rate', S, 86400, 55, 60],
      ['basal_energy', S, 86400, 1731, 60],
      ['flights_climbed', S, 86400, 8, 60],
      ['active_time', S, 86400, 204, 60],
    ]);
    expect(batch.scores).toEqual([
      {
        source: 0,
        provider: 'garmin',
        date: '2026-11-30',
        category: 'stress',
        score: 43,
        rangeMin: 0,
        rangeMax: 100,
        components: {
          summary_id: 'd-1',
          max_stress_level: 87,
          stress_qualifier: 'stressful_awake',
          stress_duration_s: null,
          rest_stress_duration_s: 7600,
          activity_stress_duration_s: null,
          low_stress_duration_s: null,
          medium_stress_duration_s: null,
          high_stress_duration_s: null,
          body_battery_charged: 40,
          body_battery_drained: null,
          monitored_duration_s: 86400,
        },
      },
    ]);
  });

  it('a day synced mid-way gives its heart rate and score only; −1 stress is no score; day from the offset', () => {
    const partial = {
      ...day,
      calendarDate: undefined,
      durationInSeconds: 43200,
      averageStressLevel: undefined,
      averageStresslevel: 37,
      timeOffsetHeartRateSamples: { '15': 75 },
    };
    const batch = health('dailies', [partial, { ...partial, summaryId: 'd-2', averageStresslevel: -1 }]);
    expect(rows(batch)).toEqual([
      ['heart_rate', T - 3600, 15, 75, 60],
      ['heart_rate', T - 3600, 15, 75, 60],
    ]);
    // 23:00 UTC on the 29th is 00:00 on the 30th at the device's +1 h.
    expect(batch.scores.map((s) => [s.date, s.category, s.score])).toEqual([['2026-11-30', 'stress', 37]]);
  });
});

describe('epochs', () => {
  const epoch = (activityType: string, fields: Record<string, unknown>) => ({
    summaryId: `e-${activityType}`,
    activityType,
    startTimeInSeconds: T,
    startTimeOffsetInSeconds: -21600,
    durationInSeconds: 900,
    ...fields,
  });

  it("sums a slice's activity-type records into one sample per series over the 15 minutes", () => {
    const batch = health('epochs', [
      epoch('WALKING', {
        steps: 100,
        activeKilocalories: 5,
        distanceInMeters: 80,
        met: 3,
        activeTimeInSeconds: 300,
      }),
      epoch('RUNNING', {
        steps: 400,
        activeKilocalories: 30,
        distanceInMeters: 600,
        met: 9,
        activeTimeInSeconds: 200,
      }),
      epoch('SEDENTARY', {
        steps: 0,
        activeKilocalories: 0,
        distanceInMeters: 0,
        met: 1,
        activeTimeInSeconds: 400,
      }),
      epoch('GENERIC', {
        startTimeInSeconds: T + 900,
        steps: 0,
        activeKilocalories: 7,
        distanceInMeters: 12,
      }),
    ]);
    expect(rows(batch)).toEqual([
      ['steps', T, 900, 500, -360],
      ['energy', T, 900, 35, -360],
      ['distance_walking_running', T, 900, 680, -360],
      // MET weighted by each type's active time: (3·300 + 9·200 + 1·400) / 900.
      ['average_met', T, 900, 3100 / 900, -360],
      ['steps', T + 900, 900, 0, -360],
      ['energy', T + 900, 900, 7, -360],
      ['distance_other', T + 900, 900, 12, -360],
    ]);
  });

  it('skips partial records (synced mid-slice) and lets a later record of the same slice and type replace', () => {
    const partial = epoch('WALKING', { durationInSeconds: 720, steps: 60, activeKilocalories: 3 });
    const complete = epoch('WALKING', { steps: 93, activeKilocalories: 4 });
    expect(health('epochs', [partial])).toEqual(health('epochs', []));
    const merged = epoch('WALKING', { steps: 3000, activeKilocalories: 90 });
    const batch = health('epochs', [partial, complete, merged]);
    expect(rows(batch)).toEqual([
      ['steps', T, 900, 3000, -360],
      ['energy', T, 900, 90, -360],
    ]);
    // A re-sent complete slice maps to the keys already stored: samples.repo keeps one row, never two.
    expect(keys(health('epochs', [complete]))).toEqual(keys(batch));
  });

  it('an epoch without a usable start or duration is skipped', () => {
    const batch = health('epochs', [
      epoch('WALKING', { startTimeInSeconds: null, steps: 5 }),
      epoch('WALKING', { durationInSeconds: '900', steps: 5 }),
    ]);
    expect(batch.samples).toEqual([]);
    expect(batch.sources).toEqual([]);
  });
});

describe('stress_details', () => {
  it('stress levels over 3-minute windows without the negative codes; Body Battery levels at instants', () => {
    const batch = health('stress_details', [
      {
        summaryId: 's-1',
        startTimeInSeconds: T,
        startTimeOffsetInSeconds: 7200,
        durationInSeconds: 900,
        timeOffsetStressLevelValues: {
          '0': 18,
          '180': -1,
          '360': -2,
          '540': 51,
          '720': -3,
          '900': -4,
          '1080': -5,
        },
        timeOffsetBodyBatteryValues: { '0': 55, '180': -1, '360': 101, '540': 0 },
      },
    ]);
    expect(rows(batch)).toEqual([
      ['stress_level', T, 180, 18, 120],
      ['stress_level', T + 540, 180, 51, 120],
      ['body_battery', T, 0, 55, 120],
      ['body_battery', T + 540, 0, 0, 120],
    ]);
    expect(batch.scores).toEqual([]);
  });

  it('a later, longer summary of the day re-maps the earlier values to the same keys', () => {
    const early = { startTimeInSeconds: T, timeOffsetStressLevelValues: { '0': 18 } };
    const later = { startTimeInSeconds: T, timeOffsetStressLevelValues: { '0': 18, '180': 30 } };
    const [a, b] = [keys(health('stress_details', [early])), keys(health('stress_details', [later]))];
    expect(b.slice(0, 1)).toEqual(a);
    expect(b).toHaveLength(2);
  });
});
