import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { ProviderResponseError } from '../../../src/providers/errors.ts';
import { mapPolar } from '../../../src/providers/polar/map.ts';
import { parseIsoDurationMs } from '../../../src/providers/polar/time.ts';

const named = (batch: CanonicalBatch, name: string) =>
  batch.samples.filter((s) => findSeriesTypeById(s.seriesTypeId)?.name === name);

describe('Polar ISO-8601 durations', () => {
  it.each([
    ['PT1H2M3.5S', 3_723_500],
    ['PT2H44M45S', 9_885_000],
    ['PT0.001S', 1],
    ['PT210.026S', 210_026],
    ['PT3H11M', 11_460_000],
    ['PT45S', 45_000],
    ['P1DT2H', 93_600_000],
    ['PT0S', 0],
  ])('%s is %i ms exactly', (raw, ms) => expect(parseIsoDurationMs(raw)).toBe(ms));

  it.each(['P1W', 'P1M', 'PT', 'P', '1H', '', 'PT-5S', 'PT1.5H'])(
    '%j is refused with a clear error',
    (raw) => {
      expect(() => parseIsoDurationMs(raw)).toThrow(ProviderResponseError);
      expect(() => parseIsoDurationMs(raw)).toThrow(/ISO-8601 duration/);
    },
  );
});

/** A /v3/exercises/{id}?samples&zones&route answer (snake_case, as the non-transactional API sends). */
const trailRun = {
  id: 'aQlC83',
  upload_time: '2026-11-28T08:00:00.000Z',
  device: 'Polar Grit X2 Pro',
  device_id: 'ABCD1234',
  start_time: '2026-11-28T06:30:00',
  start_time_utc_offset: -300,
  duration: 'PT1H2M3.5S',
  calories: 812,
  distance: 12345.6,
  heart_rate: { average: 151, maximum: 178 },
  training_load: 160.5,
  sport: 'RUNNING',
  detailed_sport_info: 'TRAIL_RUNNING',
  has_route: true,
  'running-index': 55,
  heart_rate_zones: [
    { index: 0, 'lower-limit': 95, 'upper-limit': 114, 'in-zone': 'PT4M30.5S' },
    { index: 1, 'lower-limit': 114, 'upper-limit': 133, 'in-zone': 'PT20M' },
  ],
  samples: [
    { 'recording-rate': 1, 'sample-type': '0', data: '120,NULL,122,,124' },
    { 'recording-rate': 5, 'sample-type': '1', data: '36,18' },
    { 'recording-rate': null, 'sample-type': '11', data: '500,520' },
    { 'recording-rate': 1, 'sample-type': '9', data: '21,21' },
  ],
  route: [{ latitude: 60.21, longitude: 25.13, time: 'PT210.026S', satellites: 7, fix: 1 }],
};

describe('Polar exercises', () => {
  const batch = mapPolar('exercises', [trailRun]);
  const [w] = batch.workouts;

  it('start is local time minus the offset; the offset is kept', () => {
    expect(w?.startMs).toBe(Date.parse('2026-11-28T11:30:00Z'));
    expect(w?.utcOffsetMin).toBe(-300);
    expect(w?.endMs).toBe(Date.parse('2026-11-28T11:30:00Z') + 3_723_500);
    expect(w?.durationS).toBe(3723.5);
  });

  it('detailed sport → catalog type, units as sent (m, kcal, bpm), device as the source', () => {
    expect(w?.type).toBe('trail_running');
    expect(w?.sourceActivityType).toBe('TRAIL_RUNNING');
    expect([w?.distanceM, w?.energyKcal, w?.avgHeartRateBpm, w?.maxHeartRateBpm]).toEqual([
      12345.6, 812, 151, 178,
    ]);
    expect(batch.sources[w?.source as number]).toMatchObject({
      provider: 'polar',
      deviceName: 'Polar Grit X2 Pro',
    });
    expect(w?.externalId).toBe('aQlC83');
  });

  it('heart-rate zones in seconds, training load and running index kept', () => {
    expect(w?.statistics.heart_rate_zones).toEqual([
      { index: 0, lower_bpm: 95, upper_bpm: 114, seconds: 270.5 },
      { index: 1, lower_bpm: 114, upper_bpm: 133, seconds: 1200 },
    ]);
    expect(w?.statistics.training_load).toBe(160.5);
    expect(w?.statistics.running_index).toBe(55);
  });

  it('samples: HR at the recording rate (offline gaps skipped), speed km/h → m/s, RR cumulative; no series for temperature', () => {
    const start = Date.parse('2026-11-28T11:30:00Z');
    expect(named(batch, 'heart_rate').map((s) => [s.startMs - start, s.value])).toEqual([
      [0, 120],
      [2000, 122],
      [4000, 124],
    ]);
    expect(named(batch, 'speed').map((s) => [s.startMs - start, s.value])).toEqual([
      [0, 10],
      [5000, 5],
    ]);
    expect(named(batch, 'rr_interval').map((s) => [s.startMs - start, s.value])).toEqual([
      [500, 500],
      [1020, 520],
    ]);
    expect(batch.samples).toHaveLength(7);
    expect(batch.samples.every((s) => s.utcOffsetMin === -300)).toBe(true);
  });

  it('route point time is a duration from the start', () => {
    expect(w?.route).toEqual([
      {
        timeMs: Date.parse('2026-11-28T11:30:00Z') + 210_026,
        latitude: 60.21,
        longitude: 25.13,
        altitudeM: null,
      },
    ]);
  });

  it('an unknown sport is `other`, marked inexact', () => {
    const [x] = mapPolar('exercises', { ...trailRun, detailed_sport_info: null, sport: 'ZORBING' }).workouts;
    expect(x?.type).toBe('other');
    expect(x?.metadata.sport_mapping_exact).toBe(false);
  });

  it('malformed payloads fail with the path, not a TypeError', () => {
    expect(() => mapPolar('exercises', [{ id: 'x' }])).toThrow(
      /Polar exercise payload is malformed at 0\.start_time/,
    );
    expect(() => mapPolar('exercises', [{ ...trailRun, duration: '1 hour' }])).toThrow(ProviderResponseError);
    expect(() => mapPolar('exercises', 'nonsense')).toThrow(ProviderResponseError);
    expect(() => mapPolar('nope', {})).toThrow(/no resource "nope"/);
  });
});

/** A night that starts before midnight in New York (−05:00), keys deliberately out of order. */
const night = {
  date: '2026-12-01',
  sleep_start_time: '2026-11-30T23:10:20-05:00',
  sleep_end_time: '2026-12-01T06:20:00-05:00',
  device_id: 'ABCD1234',
  sleep_score: 77,
  continuity: 3.4,
  hypnogram: { '00:30': 1, '23:10': 2, '03:00': 0, '23:58': 4, '03:05': 3, '06:15': 0, '06:25': 5 },
  heart_rate_samples: { '23:15': 58, '00:05': 52, '06:10': 61 },
};
const recharge = {
  date: '2026-12-01',
  heart_rate_avg: 54,
  beat_to_beat_avg: 1111,
  heart_rate_variability_avg: 48,
  breathing_rate_avg: 13.9,
  nightly_recharge_status: 5,
  ans_charge: 4.2,
  ans_charge_status: 4,
  hrv_samples: { '23:45': 45, '01:00': 51 },
  breathing_samples: { '23:45': 14.1 },
};

describe('Polar sleep and Nightly Recharge', () => {
  const batch = mapPolar('sleep', { nights: [night], recharges: [recharge] });
  const utc = (iso: string) => Date.parse(iso);

  it('the hypnogram wraps past midnight, stages per the catalog, clipped to the night', () => {
    expect(
      batch.sleep.map((s) => [new Date(s.startMs).toISOString(), new Date(s.endMs).toISOString(), s.stage]),
    ).toEqual([
      ['2026-12-01T04:10:20.000Z', '2026-12-01T04:58:00.000Z', 'light'],
      ['2026-12-01T04:58:00.000Z', '2026-12-01T05:30:00.000Z', 'deep'],
      ['2026-12-01T05:30:00.000Z', '2026-12-01T08:00:00.000Z', 'rem'],
      ['2026-12-01T08:00:00.000Z', '2026-12-01T08:05:00.000Z', 'awake'],
      ['2026-12-01T08:05:00.000Z', '2026-12-01T11:15:00.000Z', 'light'],
      ['2026-12-01T11:15:00.000Z', '2026-12-01T11:20:00.000Z', 'awake'],
    ]);
    expect(batch.sleep.every((s) => s.utcOffsetMin === -300)).toBe(true);
  });

  it('heart rate, HRV labelled RMSSD (ms) and breathing (brpm) placed across midnight', () => {
    expect(named(batch, 'heart_rate').map((s) => [s.startMs, s.value])).toEqual([
      [utc('2026-12-01T04:15:00Z'), 58],
      [utc('2026-12-01T05:05:00Z'), 52],
      [utc('2026-12-01T11:10:00Z'), 61],
    ]);
    expect(named(batch, 'heart_rate_variability_rmssd').map((s) => [s.startMs, s.value])).toEqual([
      [utc('2026-12-01T04:45:00Z'), 45],
      [utc('2026-12-01T06:00:00Z'), 51],
    ]);
    expect(named(batch, 'heart_rate_variability_sdnn')).toHaveLength(0);
    expect(named(batch, 'respiratory_rate').map((s) => s.value)).toEqual([14.1]);
  });

  it('scores: sleep 1–100 and Nightly Recharge status 1–6 with the ANS charge', () => {
    expect(batch.scores).toEqual([
      expect.objectContaining({
        category: 'sleep',
        score: 77,
        rangeMin: 1,
        rangeMax: 100,
        date: '2026-12-01',
      }),
      expect.objectContaining({
        category: 'recovery',
        score: 5,
        rangeMin: 1,
        rangeMax: 6,
        components: expect.objectContaining({
          ans_charge: 4.2,
          ans_charge_range: [-10, 10],
          hrv_rmssd_avg_ms: 48,
        }),
      }),
    ]);
  });

  it('averages stand in when a recharge has no 5-minute samples (4 h from 30 min after sleep onset)', () => {
    const b = mapPolar('sleep', {
      nights: [night],
      recharges: [{ ...recharge, hrv_samples: {}, breathing_samples: null }],
    });
    const [hrv] = named(b, 'heart_rate_variability_rmssd');
    expect(hrv).toMatchObject({ value: 48, startMs: utc('2026-12-01T04:40:20Z'), durationMs: 4 * 3_600_000 });
    expect(named(b, 'respiratory_rate').map((s) => s.value)).toEqual([13.9]);
  });

  it('a night without a hypnogram is one asleep interval; a lone night object maps too', () => {
    const b = mapPolar('sleep', { ...night, hypnogram: undefined });
    expect(b.sleep.map((s) => s.stage)).toEqual(['sleeping']);
    expect(b.sleep[0]?.endMs).toBe(utc('2026-12-01T11:20:00Z'));
  });

  it('malformed nights and clock keys fail clearly', () => {
    expect(() => mapPolar('sleep', { nights: [{ date: 5 }] })).toThrow(
      /Polar sleep payload is malformed at nights\.0/,
    );
    expect(() => mapPolar('sleep', { nights: [{ ...night, hypnogram: { '25:00': 1 } }] })).toThrow(
      /clock time "25:00"/,
    );
    expect(() => mapPolar('sleep', { nights: [{ ...night, sleep_start_time: 'yesterday' }] })).toThrow(
      /unreadable time/,
    );
  });
});

describe('Polar daily data', () => {
  it('step samples: filtered repeats expanded back, device time shifted by the offset hint', () => {
    const day = {
      date: '2026-11-20',
      steps: {
        interval_ms: 60_000,
        total_steps: 250,
        samples: [
          { steps: 50, timestamp: '2026-11-20T08:00' },
          { steps: 0, timestamp: '2026-11-20T08:03' },
          { steps: 100, timestamp: '2026-11-20T09:00:00' },
        ],
      },
    };
    const b = mapPolar('activities', { activities: [day], utc_offset_min: 120 });
    const steps = named(b, 'steps');
    // 50 repeated at 08:00, 08:01, 08:02 (the next sample is 3 intervals later), then 100 once.
    expect(steps.map((s) => [new Date(s.startMs).toISOString(), s.value, s.durationMs])).toEqual([
      ['2026-11-20T06:00:00.000Z', 50, 60_000],
      ['2026-11-20T06:01:00.000Z', 50, 60_000],
      ['2026-11-20T06:02:00.000Z', 50, 60_000],
      ['2026-11-20T07:00:00.000Z', 100, 60_000],
    ]);
    expect(steps.every((s) => s.utcOffsetMin === 120)).toBe(true);
  });

  it('a summary: active energy, basal = total − active, distance in m, active time in minutes', () => {
    const b = mapPolar('activities', [
      {
        start_time: '2026-11-20T00:00:00',
        end_time: '2026-11-20T23:59:59',
        active_duration: 'PT1H30M30S',
        calories: 2400,
        active_calories: 600,
        steps: 9000,
        distance_from_steps: 6500.5,
      },
    ]);
    const value = (n: string) => named(b, n).map((s) => s.value);
    expect([
      value('energy'),
      value('basal_energy'),
      value('distance_walking_running'),
      value('active_time'),
      value('steps'),
    ]).toEqual([[600], [1800], [6500.5], [90.5], [9000]]);
    expect(b.samples[0]?.durationMs).toBe(86_400_000);
    expect(b.samples[0]?.utcOffsetMin).toBeNull();
  });

  it('continuous heart rate on the day of `date`, shifted by the offset hint', () => {
    const b = mapPolar('continuous_heart_rate', {
      days: [
        {
          date: '2026-11-20',
          heart_rate_samples: [
            { heart_rate: 61, sample_time: '00:02:08' },
            { heart_rate: null, sample_time: '00:07:08' },
          ],
        },
      ],
      utc_offset_min: 60,
    });
    expect(b.samples.map((s) => [new Date(s.startMs).toISOString(), s.value, s.utcOffsetMin])).toEqual([
      ['2026-11-19T23:02:08.000Z', 61, 60],
    ]);
    expect(() =>
      mapPolar('continuous_heart_rate', [
        { date: '2026-11-20', heart_rate_samples: [{ heart_rate: 61, sample_time: 'noon' }] },
      ]),
    ).toThrow(/clock time/);
  });

  it('SpO2: passed tests only, epoch seconds with their offset; skin temperature and its deviation in °C', () => {
    const b = mapPolar('biosensing', {
      spo2: [
        {
          test_time: 1_764_000_000,
          time_zone_offset: 120,
          test_status: 'SPO2_TEST_PASSED',
          blood_oxygen_percent: 97,
        },
        {
          test_time: 1_764_000_600,
          time_zone_offset: 120,
          test_status: 'SPO2_TEST_INCONCLUSIVE_TOO_LOW_OVERALL_QUALITY',
          blood_oxygen_percent: 80,
        },
      ],
      skin_temperature: [
        {
          sleep_date: '2026-11-20',
          sleep_time_skin_temperature_celsius: 33.9,
          deviation_from_baseline_celsius: -0.4,
        },
      ],
    });
    expect(named(b, 'oxygen_saturation').map((s) => [s.startMs, s.value, s.utcOffsetMin])).toEqual([
      [1_764_000_000_000, 97, 120],
    ]);
    expect(named(b, 'skin_temperature').map((s) => s.value)).toEqual([33.9]);
    expect(named(b, 'skin_temperature_deviation').map((s) => s.value)).toEqual([-0.4]);
  });

  it('physical info: weight kg, height cm, resting HR, VO2max at the modification time', () => {
    const b = mapPolar('physical_info', {
      weight: 70.5,
      height: 175,
      resting_heart_rate: 52,
      vo2_max: 50,
      modified: '2026-11-01T10:00:00Z',
    });
    expect(b.samples.map((s) => [findSeriesTypeById(s.seriesTypeId)?.name, s.value])).toEqual([
      ['weight', 70.5],
      ['height', 175],
      ['resting_heart_rate', 52],
      ['vo2_max', 50],
    ]);
    expect(b.samples[0]?.startMs).toBe(Date.parse('2026-11-01T10:00:00Z'));
    expect(() => mapPolar('physical_info', { weight: 'heavy' })).toThrow(
      /physical info payload is malformed at weight/,
    );
  });
});
