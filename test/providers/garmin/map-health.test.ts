import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch } from '../../../src/health-data/canonical.ts';
import { mapGarminHealth } from '../../../src/providers/garmin/map-health.ts';

/**
 * Garmin Health API summaries → canonical records, on small hand-built items whose every output value is
 * worked out here. Dailies, epochs, stress and sleeps: map-health-daily.test.ts, map-health-sleep.test.ts;
 * the reference push files: map-health-reference.test.ts.
 */

const T = Date.UTC(2026, 10, 30, 0, 0, 0) / 1000; // 2026-11-30T00:00:00Z, epoch seconds

/** Samples as readable rows: series name, start (s), duration (s), value, offset (min). */
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

const HEALTH_RESOURCES = [
  'dailies',
  'epochs',
  'sleeps',
  'body_comps',
  'stress_details',
  'user_metrics',
  'pulse_ox',
  'respiration',
  'health_snapshot',
  'hrv',
  'blood_pressures',
  'skin_temp',
];

describe('mapGarminHealth: resources and malformed input', () => {
  it('answers undefined for resources that are not the Health API', () => {
    for (const r of ['activities', 'activity_details', 'move_iq', 'manually_updated_activities', 'nope'])
      expect(mapGarminHealth(r, [{ startTimeInSeconds: T }])).toBeUndefined();
    expect(mapGarminHealth('toString', [])).toBeUndefined();
  });

  it('maps nothing (not even a source) from garbage items, without throwing', () => {
    const garbage = [
      null,
      1,
      'x',
      [],
      {},
      { startTimeInSeconds: 'soon' },
      { startTimeInSeconds: -5, measurementTimeInSeconds: Number.NaN },
      { calendarDate: '2026-02-31', vo2Max: 50 },
      { startTimeInSeconds: T, sleepLevelsMap: 7, timeOffsetSpo2Values: [1, 2], summaries: 'no' },
    ];
    for (const r of HEALTH_RESOURCES) {
      expect(health(r, [])).toEqual(emptyBatch());
      expect(health(r, garbage), r).toEqual(emptyBatch());
    }
    expect(mapGarminHealth('dailies', 'not an array' as unknown as unknown[])).toEqual(emptyBatch());
  });

  it('keeps the valid items of a batch that also holds bad ones', () => {
    const batch = health('blood_pressures', [
      null,
      { systolic: 'high', measurementTimeInSeconds: 'x' },
      { systolic: 121, diastolic: 79, measurementTimeInSeconds: T, measurementTimeOffsetInSeconds: 3600 },
    ]);
    expect(batch.sources).toEqual([{ provider: 'garmin', deviceManufacturer: 'Garmin' }]);
    expect(rows(batch)).toEqual([
      ['blood_pressure_systolic', T, 0, 121, 60],
      ['blood_pressure_diastolic', T, 0, 79, 60],
    ]);
  });
});

describe('mapGarminHealth: body and spot readings', () => {
  it('body_comps: grams become kg, percentages and BMI as sent, at the measurement time', () => {
    const batch = health('body_comps', [
      {
        summaryId: 'bc-1',
        measurementTimeInSeconds: T + 600,
        measurementTimeOffsetInSeconds: -18000,
        weightInGrams: 75450,
        muscleMassInGrams: 25478,
        boneMassInGrams: 2437,
        bodyWaterInPercent: 59.4,
        bodyFatInPercent: 17.1,
        bodyMassIndex: 23.2,
      },
    ]);
    expect(rows(batch)).toEqual([
      ['weight', T + 600, 0, 75.45, -300],
      ['skeletal_muscle_mass', T + 600, 0, 25.478, -300],
      ['body_fat_percentage', T + 600, 0, 17.1, -300],
      ['body_mass_index', T + 600, 0, 23.2, -300],
    ]);
  });

  it('blood_pressures: systolic, diastolic and the pulse as heart rate; zeros are no reading', () => {
    const batch = health('blood_pressures', [
      { systolic: 120, diastolic: 80, pulse: 62, measurementTimeInSeconds: T },
      { systolic: 0, diastolic: 0, pulse: 70, measurementTimeInSeconds: T + 60 },
    ]);
    expect(rows(batch)).toEqual([
      ['blood_pressure_systolic', T, 0, 120, null],
      ['blood_pressure_diastolic', T, 0, 80, null],
      ['heart_rate', T, 0, 62, null],
      ['heart_rate', T + 60, 0, 70, null],
    ]);
  });

  it('user_metrics: VO2 max at UTC midnight of its calendar day; other metrics are not mapped', () => {
    const batch = health('user_metrics', [
      { calendarDate: '2026-11-29', vo2Max: 48, vo2MaxCycling: 51, fitnessAge: 32, enhanced: true },
      { calendarDate: 'yesterday', vo2Max: 50 },
      { calendarDate: '2026-11-30', vo2Max: 0, fitnessAge: 30 },
    ]);
    expect(rows(batch)).toEqual([['vo2_max', T - 86400, 0, 48, null]]);
  });

  it('pulse_ox: one SpO2 reading per valid map entry, at start + offset', () => {
    const batch = health('pulse_ox', [
      {
        startTimeInSeconds: T,
        startTimeOffsetInSeconds: 3600,
        durationInSeconds: 240,
        timeOffsetSpo2Values: { '0': 96, '60': 0, '120': 101, '180': 94.5, '-60': 95, x: 90 },
      },
    ]);
    expect(rows(batch)).toEqual([
      ['oxygen_saturation', T, 0, 96, 60],
      ['oxygen_saturation', T + 180, 0, 94.5, 60],
    ]);
  });

  it('respiration: breaths per minute at start + offset, in time order', () => {
    const batch = health('respiration', [
      {
        startTimeInSeconds: T,
        startTimeOffsetInSeconds: -18000,
        durationInSeconds: 900,
        timeOffsetEpochToBreaths: { '120': 14.38, '0': 14.63, '60': -1 },
      },
    ]);
    expect(rows(batch)).toEqual([
      ['respiratory_rate', T, 0, 14.63, -300],
      ['respiratory_rate', T + 120, 0, 14.38, -300],
    ]);
  });

  it('health_snapshot: epoch readings per type, avg-only types over the session, either offset field', () => {
    const summaries = [
      { summaryType: 'heart_rate', avgValue: 83, epochSummaries: { '0': 84, '1': 83 } },
      { summaryType: 'stress', avgValue: 82, epochSummaries: { '0': 78, '1': -2 } },
      { summaryType: 'spo2', epochSummaries: { '0': 86 } },
      { summaryType: 'respiration', epochSummaries: { '2': 15.3 } },
      { summaryType: 'rmssd_hrv', avgValue: 20 },
      { summaryType: 'sdrr_hrv', avgValue: 32 },
      { summaryType: 'something_new', avgValue: 1 },
    ];
    const [a, b] = [
      health('health_snapshot', [
        { startTimeInSeconds: T, durationInSeconds: 120, offsetStartTimeInSeconds: 7200, summaries },
      ]),
      health('health_snapshot', [
        { startTimeInSeconds: T, durationInSeconds: 120, startTimeOffsetInSeconds: 7200, summaries },
      ]),
    ];
    const expected = [
      ['heart_rate', T, 0, 84, 120],
      ['heart_rate', T + 1, 0, 83, 120],
      ['stress_level', T, 0, 78, 120],
      ['oxygen_saturation', T, 0, 86, 120],
      ['respiratory_rate', T + 2, 0, 15.3, 120],
      ['heart_rate_variability_rmssd', T, 120, 20, 120],
      ['heart_rate_variability_sdnn', T, 120, 32, 120],
    ];
    expect(rows(a)).toEqual(expected);
    expect(rows(b)).toEqual(expected);
  });

  it('hrv: RMSSD per map entry; lastNightAvg only when the map is empty', () => {
    const withValues = health('hrv', [
      {
        summaryId: 'h1',
        startTimeInSeconds: T,
        startTimeOffsetInSeconds: -18000,
        durationInSeconds: 3820,
        lastNightAvg: 44,
        hrvValues: { '300': 32, '600': 0, '900': 31 },
      },
    ]);
    expect(rows(withValues)).toEqual([
      ['heart_rate_variability_rmssd', T + 300, 0, 32, -300],
      ['heart_rate_variability_rmssd', T + 900, 0, 31, -300],
    ]);
    const avgOnly = health('hrv', [{ startTimeInSeconds: T, durationInSeconds: 3820, lastNightAvg: 44 }]);
    expect(rows(avgOnly)).toEqual([['heart_rate_variability_rmssd', T, 3820, 44, null]]);
  });

  it('skin_temp: the deviation (°C, may be negative) over the sleep window', () => {
    const batch = health('skin_temp', [
      {
        summaryId: 'example-65f83c38',
        calendarDate: '2024-03-18',
        avgDeviationCelsius: -1.6,
        durationInSeconds: 1980,
        startTimeInSeconds: T,
        startTimeOffsetInSeconds: -21600,
      },
      { startTimeInSeconds: T, durationInSeconds: 60 },
    ]);
    expect(rows(batch)).toEqual([['skin_temperature_deviation', T, 1980, -1.6, -360]]);
  });
});
