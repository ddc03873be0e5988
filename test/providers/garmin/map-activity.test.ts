import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import {
  type CanonicalBatch,
  type SourceDescriptor,
  sourceFingerprint,
} from '../../../src/health-data/canonical.ts';
import { workoutDedupeKey } from '../../../src/health-data/workouts.repo.ts';
import { mapGarmin } from '../../../src/providers/garmin/map.ts';
import { mapGarminActivity } from '../../../src/providers/garmin/map-activity.ts';

/** 2026-11-30T07:00:00Z, a run in Berlin (device display offset +1 h). */
const T0 = 1_796_022_000;
const T0_MS = T0 * 1000;

const run = (over: Record<string, unknown> = {}) => ({
  userId: 'user-1',
  summaryId: '9001',
  activityId: 9001,
  activityName: 'Morning run',
  activityType: 'RUNNING',
  startTimeInSeconds: T0,
  startTimeOffsetInSeconds: 3600,
  durationInSeconds: 1800,
  distanceInMeters: 5000.5,
  activeKilocalories: 350,
  averageHeartRateInBeatsPerMinute: 150,
  maxHeartRateInBeatsPerMinute: 172,
  totalElevationGainInMeters: 42,
  totalElevationLossInMeters: 40,
  steps: 5200,
  averageSpeedInMetersPerSecond: 2.78,
  averageRunCadenceInStepsPerMinute: 86,
  deviceName: 'Forerunner 965',
  ...over,
});

/** The details of the same run: its own summaryId, the activity's id, samples out of order. */
const runDetails = (over: Record<string, unknown> = {}) => ({
  userId: 'user-1',
  summaryId: '9001-detail',
  activityId: 9001,
  summary: { ...run(), deviceName: 'forerunner965' },
  samples: [
    {
      startTimeInSeconds: T0 + 5,
      heartRate: 0,
      latitudeInDegree: 0,
      longitudeInDegree: 0,
      elevationInMeters: 35,
    },
    {
      startTimeInSeconds: T0,
      heartRate: 101,
      speedMetersPerSecond: 2.5,
      powerInWatts: 250,
      elevationInMeters: 34.5,
      latitudeInDegree: 52.52,
      longitudeInDegree: 13.405,
      stepsPerMinute: 84,
      totalDistanceInMeters: 0,
    },
    { startTimeInSeconds: T0 + 1, heartRate: 103, latitudeInDegree: 52.5201, longitudeInDegree: 13.4051 },
    'not a sample',
    { heartRate: 200 },
  ],
  laps: [{ startTimeInSeconds: T0 + 900 }, { startTimeInSeconds: T0 }, { nope: true }],
  ...over,
});

const named = (batch: CanonicalBatch) =>
  batch.samples.map((s) => ({ ...s, series: findSeriesTypeById(s.seriesTypeId)?.name }));
const only = <T>(list: T[]): T => {
  expect(list).toHaveLength(1);
  return list[0] as T;
};

describe('Garmin activity summaries', () => {
  it('maps an activity to a workout: units from the field names, epoch seconds, display offset', () => {
    const batch = mapGarminActivity('activities', [run()]) as CanonicalBatch;
    expect(batch.sources).toEqual([{ provider: 'garmin', deviceManufacturer: 'Garmin' }]);
    expect(batch.samples).toEqual([]); // dailies and epochs already count its steps, distance, energy
    expect(only(batch.workouts)).toEqual({
      source: 0,
      externalId: '9001',
      type: 'running',
      sourceActivityType: 'RUNNING',
      startMs: Date.parse('2026-11-30T07:00:00Z'),
      endMs: Date.parse('2026-11-30T07:30:00Z'),
      durationS: 1800,
      distanceM: 5000.5,
      energyKcal: 350,
      avgHeartRateBpm: 150,
      maxHeartRateBpm: 172,
      elevationGainM: 42,
      steps: 5200,
      utcOffsetMin: 60,
      statistics: {
        average_speed: { value: 2.78, unit: 'm/s' },
        average_run_cadence: { value: 86, unit: 'steps/min' },
        elevation_loss: { value: 40, unit: 'm' },
      },
      segments: [],
      metadata: {
        garmin_activity_id: '9001',
        garmin_summary_id: '9001',
        delivered_as: 'activities',
        activity_type_exact: true,
        name: 'Morning run',
        device_name: 'Forerunner 965',
      },
      route: [],
    });
  });

  it('keeps one identity for a re-send, a manual edit and the details, whatever device name they carry', () => {
    const first = mapGarmin('activities', [run()]);
    const resent = mapGarmin('activities', [run()]);
    expect(resent).toEqual(first);
    const edited = mapGarmin('manually_updated_activities', [
      run({ activityName: 'Renamed', activityType: 'TRAIL_RUNNING', deviceName: undefined, manual: true }),
    ]);
    const details = mapGarmin('activity_details', [runDetails()]);
    const identities = [first, edited, details].map((b) => {
      const w = only(b.workouts);
      return `${sourceFingerprint(b.sources[w.source] as SourceDescriptor)}/${workoutDedupeKey(w)}`;
    });
    expect(new Set(identities)).toEqual(new Set(['garmin||||garmin||/id:9001']));
    const w = only(edited.workouts);
    expect([w.type, w.metadata.name, w.metadata.manual, w.metadata.delivered_as]).toEqual([
      'trail_running',
      'Renamed',
      true,
      'manually_updated_activities',
    ]);
    expect(w.metadata).not.toHaveProperty('device_name');
  });

  it('keeps multi-sport legs as workouts pointing at their parent', () => {
    const batch = mapGarmin('activities', [
      run({ summaryId: '7000', activityId: 7000, activityType: 'MULTI_SPORT', isParent: true }),
      run({
        summaryId: '7001',
        activityId: 7001,
        activityType: 'OPEN_WATER_SWIMMING',
        parentSummaryId: '7000',
      }),
    ]);
    expect(
      batch.workouts.map((w) => [
        w.externalId,
        w.type,
        w.metadata.multisport_parent,
        w.metadata.parent_summary_id,
      ]),
    ).toEqual([
      ['7000', 'multisport', true, undefined],
      ['7001', 'open_water_swimming', undefined, '7000'],
    ]);
  });

  it('skips malformed items without throwing and maps the rest', () => {
    const items: unknown[] = [
      null,
      'x',
      [run()],
      run({ activityId: undefined, summaryId: undefined }),
      run({ startTimeInSeconds: '1796022000' }),
      run({ durationInSeconds: -5 }),
      run({ durationInSeconds: null }),
      run({
        summaryId: '9002',
        activityId: undefined,
        activityType: undefined,
        startTimeOffsetInSeconds: 90_000,
      }),
      run({
        summaryId: '9003',
        activityId: 9003,
        maxHeartRateInBeatsPerMinute: 0,
        steps: -1,
        distanceInMeters: 'far',
      }),
    ];
    let batch: CanonicalBatch | undefined;
    expect(() => {
      batch = mapGarminActivity('activities', items);
    }).not.toThrow();
    const [noType, zeros] = (batch as CanonicalBatch).workouts;
    expect((batch as CanonicalBatch).workouts).toHaveLength(2);
    // Without an activityId the summaryId is the identity; an offset beyond 24 h is no offset.
    expect([noType?.externalId, noType?.type, noType?.sourceActivityType, noType?.utcOffsetMin]).toEqual([
      '9002',
      'other',
      null,
      null,
    ]);
    expect(noType?.metadata.activity_type_exact).toBe(false);
    expect([zeros?.maxHeartRateBpm, zeros?.steps, zeros?.distanceM]).toEqual([null, null, null]);
    expect(mapGarminActivity('activities', [null, 'x'])).toEqual({
      sources: [],
      samples: [],
      workouts: [],
      sleep: [],
      scores: [],
    });
  });

  it('answers undefined for resources that are not the Activity API, and maps Move IQ to nothing', () => {
    expect(mapGarminActivity('dailies', [run()])).toBeUndefined();
    expect(
      mapGarminActivity('move_iq', [
        { summaryId: 'm1', activityType: 'Running', startTimeInSeconds: T0, durationInSeconds: 738 },
      ]),
    ).toEqual({
      sources: [],
      samples: [],
      workouts: [],
      sleep: [],
      scores: [],
    });
    expect(mapGarmin('activityFiles', [run()]).workouts).toEqual([]);
  });
});

describe('Garmin activity details', () => {
  it('maps samples to series that hold until the next sample, the route and the laps', () => {
    const batch = mapGarmin('activity_details', [runDetails()]);
    const w = only(batch.workouts);
    expect([
      w.externalId,
      w.type,
      w.utcOffsetMin,
      w.metadata.device_name,
      w.metadata.garmin_summary_id,
    ]).toEqual(['9001', 'running', 60, 'forerunner965', '9001-detail']);
    expect(w.route).toEqual([
      { timeMs: T0_MS, latitude: 52.52, longitude: 13.405, altitudeM: 34.5, speedMPerS: 2.5 },
      { timeMs: T0_MS + 1000, latitude: 52.5201, longitude: 13.4051, altitudeM: null, speedMPerS: null },
    ]);
    expect(w.segments).toEqual([
      {
        kind: 'lap',
        index: 0,
        start: '2026-11-30T07:00:00.000Z',
        end: '2026-11-30T07:15:00.000Z',
        duration_s: 900,
      },
      {
        kind: 'lap',
        index: 1,
        start: '2026-11-30T07:15:00.000Z',
        end: '2026-11-30T07:30:00.000Z',
        duration_s: 900,
      },
    ]);
    const row = (series: string, at: number, durationMs: number, value: number) => ({
      source: 0,
      series,
      seriesTypeId: expect.any(Number),
      startMs: T0_MS + at * 1000,
      durationMs,
      value,
      utcOffsetMin: 60,
    });
    // A run's speed and power are the running series; run cadence (steps/min), cumulative distance and
    // a heart rate of 0 add nothing; the last sample holds until the workout's end.
    expect(named(batch)).toEqual([
      row('heart_rate', 0, 1000, 101),
      row('running_speed', 0, 1000, 2.5),
      row('running_power', 0, 1000, 250),
      row('elevation', 0, 1000, 34.5),
      row('heart_rate', 1, 4000, 103),
      row('elevation', 5, 1_795_000, 35),
    ]);
  });

  it('puts a ride on the generic speed, power and cadence series', () => {
    const ride = runDetails({
      summary: { ...run(), activityType: 'ROAD_BIKING', startTimeOffsetInSeconds: -25_200 },
      samples: [
        { startTimeInSeconds: T0, speedMetersPerSecond: 8.5, powerInWatts: 210, bikeCadenceInRPM: 90 },
      ],
      laps: undefined,
    });
    const batch = mapGarmin('activity_details', [ride]);
    expect(only(batch.workouts).segments).toEqual([]);
    expect(named(batch).map((s) => [s.series, s.value, s.durationMs, s.utcOffsetMin])).toEqual([
      ['speed', 8.5, 1_800_000, -420],
      ['power', 210, 1_800_000, -420],
      ['cadence', 90, 1_800_000, -420],
    ]);
  });

  it('collapses samples at the same second (the later one wins) and gives a sample past the end no span', () => {
    const item = runDetails({
      samples: [
        { startTimeInSeconds: T0 + 1800, heartRate: 99 },
        { startTimeInSeconds: T0 + 3600, heartRate: 90 },
        { startTimeInSeconds: T0 + 3600, heartRate: 91 },
      ],
    });
    expect(
      named(mapGarmin('activity_details', [item])).map((s) => [s.startMs - T0_MS, s.durationMs, s.value]),
    ).toEqual([
      [1_800_000, 1_800_000, 99],
      [3_600_000, 0, 91],
    ]);
  });

  it('skips a details item without a usable summary and maps the next one', () => {
    const batch = mapGarmin('activity_details', [
      runDetails({ summary: null }),
      runDetails({ summary: { ...run(), startTimeInSeconds: null } }),
      {
        summaryId: 'x-detail',
        samples: 'nope',
        summary: run({ activityId: undefined, summaryId: undefined }),
      },
      runDetails({ samples: { heartRate: 1 }, laps: 'no' }),
    ]);
    // The third takes its identity from the item's summaryId, minus the details suffix.
    expect(batch.workouts.map((w) => [w.externalId, w.route.length, w.segments.length])).toEqual([
      ['x', 0, 0],
      ['9001', 0, 0],
    ]);
    expect(batch.samples).toEqual([]);
  });
});
