import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapFitbit } from '../../../src/providers/fitbit/map.ts';

/** Google Health data points → canonical records, value for value; bad points are skipped, never thrown. */

const iso = (ms: number) => new Date(ms).toISOString();
const page = (...dataPoints: unknown[]) => ({ dataPoints });
const watch = {
  recordingMethod: 'PASSIVELY_MEASURED',
  device: { displayName: 'Pixel Watch 3', manufacturer: 'Google', formFactor: 'WATCH' },
  platform: 'FITBIT',
};

function samplesOf(batch: CanonicalBatch, name: string) {
  return batch.samples
    .filter((s) => findSeriesTypeById(s.seriesTypeId)?.name === name)
    .map((s) => ({
      at: iso(s.startMs),
      durationMs: s.durationMs,
      value: s.value,
      utcOffsetMin: s.utcOffsetMin,
    }));
}

describe('Google Health samples', () => {
  it('heart rate, resting heart rate (a civil day), HRV (RMSSD and SDNN), daily HRV', () => {
    const batch = mapFitbit(
      'heart_rate',
      page(
        {
          dataSource: watch,
          heartRate: {
            beatsPerMinute: 61,
            sampleTime: { physicalTime: '2026-03-01T06:00:05Z', utcOffset: '3600s' },
          },
        },
        { heartRate: { beatsPerMinute: '64', sampleTime: { physicalTime: '2026-03-01T06:00:10.500Z' } } },
        { dailyRestingHeartRate: { beatsPerMinute: 52, date: { year: 2026, month: 3, day: 1 } } },
        {
          heartRateVariability: {
            rootMeanSquareOfSuccessiveDifferencesMilliseconds: 41.5,
            standardDeviationMilliseconds: 0,
            sampleTime: { physicalTime: '2026-03-01T03:00:00Z', utcOffset: '-18000s' },
          },
        },
        { dailyHeartRateVariability: { averageHeartRateVariabilityMilliseconds: 38, date: '2026-03-01' } },
      ),
    );
    expect(samplesOf(batch, 'heart_rate')).toEqual([
      { at: '2026-03-01T06:00:05.000Z', durationMs: 0, value: 61, utcOffsetMin: 60 },
      { at: '2026-03-01T06:00:10.500Z', durationMs: 0, value: 64, utcOffsetMin: null },
    ]);
    expect(samplesOf(batch, 'resting_heart_rate')).toEqual([
      { at: '2026-03-01T00:00:00.000Z', durationMs: 86_400_000, value: 52, utcOffsetMin: null },
    ]);
    // SDNN 0 is "not measured by this device", not a reading.
    expect(samplesOf(batch, 'heart_rate_variability_sdnn')).toEqual([]);
    expect(samplesOf(batch, 'heart_rate_variability_rmssd')).toEqual([
      { at: '2026-03-01T03:00:00.000Z', durationMs: 0, value: 41.5, utcOffsetMin: -300 },
      { at: '2026-03-01T00:00:00.000Z', durationMs: 86_400_000, value: 38, utcOffsetMin: null },
    ]);
    expect(batch.sources[batch.samples[0]?.source ?? -1]).toEqual({
      provider: 'fitbit',
      deviceName: 'Pixel Watch 3',
      deviceManufacturer: 'Google',
      deviceType: 'WATCH',
      appId: undefined,
    });
  });

  it('SpO2 (reading and daily), weight in grams as kg, body fat, steps over their interval', () => {
    const at = { physicalTime: '2026-03-02T07:15:00Z', utcOffset: '+01:00' };
    const batch = mapFitbit(
      'body',
      page(
        { oxygenSaturation: { percentage: 96.5, sampleTime: at } },
        { oxygenSaturation: { percentage: 140, sampleTime: at } },
        { dailyOxygenSaturation: { averagePercentage: 95.2, date: { year: 2026, month: 3, day: 2 } } },
        { weight: { weightGrams: 72500, sampleTime: at } },
        { bodyFat: { percentage: 18.4, sampleTime: at } },
        {
          steps: {
            count: '1234',
            interval: {
              startTime: '2026-03-02T08:00:00Z',
              endTime: '2026-03-02T08:01:00Z',
              startUtcOffset: '3600s',
            },
          },
        },
      ),
    );
    expect(samplesOf(batch, 'oxygen_saturation').map((s) => s.value)).toEqual([96.5, 95.2]);
    expect(samplesOf(batch, 'weight')).toEqual([
      { at: '2026-03-02T07:15:00.000Z', durationMs: 0, value: 72.5, utcOffsetMin: 60 },
    ]);
    expect(samplesOf(batch, 'body_fat_percentage').map((s) => s.value)).toEqual([18.4]);
    expect(samplesOf(batch, 'steps')).toEqual([
      { at: '2026-03-02T08:00:00.000Z', durationMs: 60_000, value: 1234, utcOffsetMin: 60 },
    ]);
  });

  it('skips malformed points and keeps the rest; unknown types and non-payloads map to nothing', () => {
    const good = { heartRate: { beatsPerMinute: 70, sampleTime: { physicalTime: '2026-03-01T00:00:00Z' } } };
    const batch = mapFitbit(
      'heart_rate',
      page(
        null,
        'x',
        { heartRate: { beatsPerMinute: 'fast', sampleTime: { physicalTime: '2026-03-01T00:00:00Z' } } },
        { heartRate: { beatsPerMinute: 70, sampleTime: { physicalTime: 'yesterday' } } },
        { heartRate: { beatsPerMinute: 70 } },
        { dailyRestingHeartRate: { beatsPerMinute: 50, date: { year: 2026, month: 13, day: 1 } } },
        { floors: { count: 3 } },
        good,
      ),
    );
    expect(samplesOf(batch, 'heart_rate').map((s) => s.value)).toEqual([70]);
    expect(batch.samples).toHaveLength(1);
    // Skipped points leave no source behind.
    expect(batch.sources).toHaveLength(1);
    for (const junk of [undefined, null, [], { dataPoints: 'no' }, { data: [good] }])
      expect(mapFitbit('heart_rate', junk).samples).toEqual([]);
  });
});

describe('Google Health sessions', () => {
  it('sleep: the in-bed interval and its stages (clipped to the session), with the start offset', () => {
    const batch = mapFitbit(
      'sleep',
      page({
        name: 'users/g-1/dataTypes/sleep/dataPoints/night-1',
        dataSource: watch,
        sleep: {
          interval: {
            startTime: '2026-03-01T22:00:00Z',
            endTime: '2026-03-02T06:00:00Z',
            startUtcOffset: '3600s',
          },
          type: 'STAGES',
          stages: [
            { startTime: '2026-03-01T21:50:00Z', endTime: '2026-03-01T22:10:00Z', type: 'AWAKE' },
            { startTime: '2026-03-01T22:10:00Z', endTime: '2026-03-02T01:00:00Z', type: 'LIGHT' },
            { startTime: '2026-03-02T01:00:00Z', endTime: '2026-03-02T02:30:00Z', type: 'DEEP' },
            { startTime: '2026-03-02T02:30:00Z', endTime: '2026-03-02T04:00:00Z', type: 'REM' },
            { startTime: '2026-03-02T04:00:00Z', endTime: '2026-03-02T05:40:00Z', type: 'LIGHT' },
            { startTime: '2026-03-02T05:40:00Z', endTime: '2026-03-02T06:00:00Z', type: 'OUT_OF_BED' },
            { startTime: 'bad', endTime: '2026-03-02T06:00:00Z', type: 'DEEP' },
            { startTime: '2026-03-02T05:00:00Z', endTime: '2026-03-02T05:10:00Z', type: 'SNORING' },
          ],
        },
      }),
    );
    const rows = batch.sleep.map((s) => [s.stage, iso(s.startMs), iso(s.endMs), s.utcOffsetMin]);
    expect(rows).toEqual([
      ['in_bed', '2026-03-01T22:00:00.000Z', '2026-03-02T06:00:00.000Z', 60],
      ['awake', '2026-03-01T22:00:00.000Z', '2026-03-01T22:10:00.000Z', 60],
      ['light', '2026-03-01T22:10:00.000Z', '2026-03-02T01:00:00.000Z', 60],
      ['deep', '2026-03-02T01:00:00.000Z', '2026-03-02T02:30:00.000Z', 60],
      ['rem', '2026-03-02T02:30:00.000Z', '2026-03-02T04:00:00.000Z', 60],
      ['light', '2026-03-02T04:00:00.000Z', '2026-03-02T05:40:00.000Z', 60],
      ['awake', '2026-03-02T05:40:00.000Z', '2026-03-02T06:00:00.000Z', 60],
      ['unknown', '2026-03-02T05:00:00.000Z', '2026-03-02T05:10:00.000Z', 60],
    ]);
    expect(batch.sleep[0]?.externalId).toBe('users/g-1/dataTypes/sleep/dataPoints/night-1');
    expect(batch.sleep[1]?.externalId).toBe(
      'users/g-1/dataTypes/sleep/dataPoints/night-1@2026-03-01T22:00:00.000Z',
    );
    // A session whose end is not after its start is skipped.
    expect(
      mapFitbit(
        'sleep',
        page({ sleep: { interval: { startTime: '2026-03-02T06:00:00Z', endTime: '2026-03-02T06:00:00Z' } } }),
      ).sleep,
    ).toEqual([]);
  });

  it('exercise: a workout with Google’s metrics summary in canonical units, and its distance sample', () => {
    const batch = mapFitbit(
      'activity',
      page({
        name: 'users/g-1/dataTypes/exercise/dataPoints/run-1',
        exercise: {
          interval: {
            startTime: '2026-03-02T17:00:00Z',
            endTime: '2026-03-02T17:40:00Z',
            startUtcOffset: '7200s',
          },
          exerciseType: 'RUNNING',
          displayName: 'Evening run',
          activeDuration: '2280s',
          metricsSummary: {
            caloriesKcal: 390.5,
            distanceMillimeters: 5012500,
            steps: '5400',
            averageHeartRateBeatsPerMinute: '151',
            elevationGainMillimeters: 42000,
            averageSpeedMillimetersPerSecond: 2198.5,
          },
        },
      }),
    );
    expect(batch.workouts).toHaveLength(1);
    expect(batch.workouts[0]).toMatchObject({
      externalId: 'users/g-1/dataTypes/exercise/dataPoints/run-1',
      type: 'running',
      sourceActivityType: 'RUNNING',
      durationS: 2400,
      distanceM: 5012.5,
      energyKcal: 390.5,
      avgHeartRateBpm: 151,
      elevationGainM: 42,
      steps: 5400,
      utcOffsetMin: 120,
      statistics: { active_duration_s: 2280, average_speed_m_per_s: 2.1985 },
      metadata: { display_name: 'Evening run' },
    });
    expect(samplesOf(batch, 'distance_walking_running')).toEqual([
      { at: '2026-03-02T17:00:00.000Z', durationMs: 2_400_000, value: 5012.5, utcOffsetMin: 120 },
    ]);
  });

  it('an exercise without a name gets a stable id from its start; unknown types are "other"', () => {
    const exercise = {
      interval: { startTime: '2026-03-03T10:00:00Z', endTime: '2026-03-03T10:30:00Z' },
      exerciseType: 'UNDERWATER_BASKET_WEAVING',
    };
    const batch = mapFitbit('activity', page({ exercise }, { exercise: { exerciseType: 'RUNNING' } }));
    expect(batch.workouts.map((w) => [w.externalId, w.type, w.distanceM, w.energyKcal])).toEqual([
      ['exercise@2026-03-03T10:00:00.000Z', 'other', null, null],
    ]);
  });
});
