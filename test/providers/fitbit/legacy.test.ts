import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch } from '../../../src/health-data/canonical.ts';
import {
  mapFitbitLegacy,
  parseLegacyFitbitNotifications,
  sleepTimeline,
} from '../../../src/providers/fitbit/legacy/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

/** Sleep intervals as readable rows. */
const sleepRows = (batch: CanonicalBatch) =>
  batch.sleep.map((s) => [s.stage, iso(s.startMs), iso(s.endMs)] as const);

const samplesByName = (batch: CanonicalBatch) =>
  Object.fromEntries(
    batch.samples.map((s) => [
      findSeriesTypeById(s.seriesTypeId)?.name,
      { at: iso(s.startMs), durationMs: s.durationMs, value: s.value, utcOffsetMin: s.utcOffsetMin },
    ]),
  );

const level = (dateTime: string, lvl: string, seconds: number) => ({ dateTime, level: lvl, seconds });

/** A one-hour "stages" night, local time (UTC+2 on the caller's word), with three short wake bouts. */
const stagesLog = {
  logId: 777,
  dateOfSleep: '2024-03-02',
  type: 'stages',
  isMainSleep: true,
  startTime: '2024-03-01T23:00:00.000',
  endTime: '2024-03-02T00:00:00.000',
  duration: 3_600_000,
  levels: {
    data: [
      level('2024-03-01T23:00:00.000', 'wake', 120),
      level('2024-03-01T23:02:00.000', 'light', 1200),
      level('2024-03-01T23:22:00.000', 'deep', 900),
      level('2024-03-01T23:37:00.000', 'rem', 1380),
    ],
    shortData: [
      // Inside the light entry: splits it in two.
      level('2024-03-01T23:10:00.000', 'wake', 60),
      // Starts inside the first wake entry and spills 30 s into light: one wake interval, not two.
      level('2024-03-01T23:01:30.000', 'wake', 60),
      // Inside REM.
      level('2024-03-01T23:50:00.000', 'wake', 90),
    ],
    summary: { deep: { count: 1, minutes: 15 }, light: { count: 2, minutes: 18 } },
  },
};

describe('mapFitbitLegacy sleep', () => {
  it('maps a stages log with shortData bouts cut into the timeline, placed with the caller offset', () => {
    const batch = mapFitbitLegacy('sleep', stagesLog, { utcOffsetMinutes: 120 });
    expect(batch.sources).toEqual([{ provider: 'fitbit' }]);
    expect(sleepRows(batch)).toEqual([
      ['in_bed', '2024-03-01T21:00:00.000Z', '2024-03-01T22:00:00.000Z'],
      ['awake', '2024-03-01T21:00:00.000Z', '2024-03-01T21:02:30.000Z'],
      ['light', '2024-03-01T21:02:30.000Z', '2024-03-01T21:10:00.000Z'],
      ['awake', '2024-03-01T21:10:00.000Z', '2024-03-01T21:11:00.000Z'],
      ['light', '2024-03-01T21:11:00.000Z', '2024-03-01T21:22:00.000Z'],
      ['deep', '2024-03-01T21:22:00.000Z', '2024-03-01T21:37:00.000Z'],
      ['rem', '2024-03-01T21:37:00.000Z', '2024-03-01T21:50:00.000Z'],
      ['awake', '2024-03-01T21:50:00.000Z', '2024-03-01T21:51:30.000Z'],
      ['rem', '2024-03-01T21:51:30.000Z', '2024-03-01T22:00:00.000Z'],
    ]);
    expect(batch.sleep.every((s) => s.utcOffsetMin === 120 && s.source === 0)).toBe(true);
    expect(batch.sleep[0]?.externalId).toBe('777');
    expect(batch.sleep[2]?.externalId).toBe('777@2024-03-01T21:02:30.000Z');
    // Never double counted: the stages tile the hour exactly, 5 minutes of it awake.
    const stages = batch.sleep.slice(1);
    const total = stages.reduce((acc, s) => acc + (s.endMs - s.startMs), 0);
    expect(total).toBe(3_600_000);
    const awake = stages.filter((s) => s.stage === 'awake').reduce((a, s) => a + s.endMs - s.startMs, 0);
    expect(awake).toBe(5 * 60_000);
    for (let i = 1; i < stages.length; i++) expect(stages[i]?.startMs).toBe(stages[i - 1]?.endMs);
  });

  it('maps a classic log (asleep/restless/awake); restless and awake touching become one awake interval', () => {
    const classic = {
      logId: 5,
      type: 'classic',
      startTime: '2016-01-10T22:00:00.000',
      endTime: '2016-01-10T22:30:00.000',
      levels: {
        data: [
          level('2016-01-10T22:00:00.000', 'asleep', 600),
          level('2016-01-10T22:10:00.000', 'restless', 180),
          level('2016-01-10T22:13:00.000', 'awake', 120),
          level('2016-01-10T22:15:00.000', 'asleep', 900),
        ],
        shortData: [],
        summary: { asleep: { count: 2, minutes: 25 }, restless: { count: 1, minutes: 3 } },
      },
    };
    const batch = mapFitbitLegacy('sleep', { sleep: [classic] }, { utcOffsetMinutes: -300 });
    expect(sleepRows(batch)).toEqual([
      ['in_bed', '2016-01-11T03:00:00.000Z', '2016-01-11T03:30:00.000Z'],
      ['sleeping', '2016-01-11T03:00:00.000Z', '2016-01-11T03:10:00.000Z'],
      ['awake', '2016-01-11T03:10:00.000Z', '2016-01-11T03:15:00.000Z'],
      ['sleeping', '2016-01-11T03:15:00.000Z', '2016-01-11T03:30:00.000Z'],
    ]);
    expect(new Set(batch.sleep.map((s) => s.utcOffsetMin))).toEqual(new Set([-300]));
  });

  it('skips a log of local times when no offset is given, and uses an offset the times carry', () => {
    expect(mapFitbitLegacy('sleep', stagesLog)).toEqual(emptyBatch());
    expect(mapFitbitLegacy('sleep', stagesLog, { utcOffsetMinutes: 9999 })).toEqual(emptyBatch());
    const withOffset = {
      logId: 8,
      startTime: '2024-03-01T23:00:00.000+02:00',
      endTime: '2024-03-01T23:05:00.000+02:00',
      levels: { data: [level('2024-03-01T23:00:00.000+02:00', 'deep', 300)] },
    };
    const batch = mapFitbitLegacy('sleep', withOffset);
    expect(sleepRows(batch)).toEqual([
      ['in_bed', '2024-03-01T21:00:00.000Z', '2024-03-01T21:05:00.000Z'],
      ['deep', '2024-03-01T21:00:00.000Z', '2024-03-01T21:05:00.000Z'],
    ]);
    expect(batch.sleep[0]?.utcOffsetMin).toBe(120);
  });

  it('keeps the well-formed logs and level items of a partly malformed answer', () => {
    const badLevels = {
      ...stagesLog,
      logId: 9,
      levels: {
        data: [
          level('2024-03-01T23:00:00.000', 'light', 3600),
          { dateTime: 'yesterday', level: 'deep', seconds: 60 },
          { dateTime: '2024-03-01T23:10:00.000', level: 'deep', seconds: -5 },
          'not an item',
        ],
        shortData: 'nope',
      },
    };
    const endBeforeStart = { ...stagesLog, logId: 10, endTime: '2024-03-01T22:00:00.000', duration: -1 };
    const batch = mapFitbitLegacy(
      'sleep',
      { sleep: [badLevels, endBeforeStart, null, 3] },
      { utcOffsetMinutes: 0 },
    );
    expect(sleepRows(batch)).toEqual([
      ['in_bed', '2024-03-01T23:00:00.000Z', '2024-03-02T00:00:00.000Z'],
      ['light', '2024-03-01T23:00:00.000Z', '2024-03-02T00:00:00.000Z'],
    ]);
  });

  it('sleepTimeline: overlapping bouts and overlapping data entries never count time twice', () => {
    const p = (s: number, e: number, stage: 'light' | 'deep' | 'awake') => ({ startMs: s, endMs: e, stage });
    const out = sleepTimeline(
      [p(0, 100, 'light'), p(90, 200, 'deep')],
      [p(40, 60, 'awake'), p(50, 70, 'awake'), p(190, 260, 'awake')],
      0,
      220,
    );
    expect(out).toEqual([
      p(0, 40, 'light'),
      p(40, 70, 'awake'),
      p(70, 100, 'light'),
      p(100, 190, 'deep'),
      p(190, 220, 'awake'),
    ]);
  });
});

const entry = {
  logId: 123456,
  activityName: 'Run',
  activityTypeId: 90009,
  logType: 'manual',
  startTime: '2024-05-04T07:30:00.000+01:00',
  duration: 1_800_000,
  activeDuration: 1_700_000,
  calories: 320,
  steps: 4200,
  distance: 5.2,
  elevationGain: 12.5,
  averageHeartRate: 151,
  heartRateZones: [
    { name: 'Out of Range', min: 30, max: 96, minutes: 2, caloriesOut: 10.5 },
    { name: 'Cardio', min: 118, max: 146, minutes: 28, caloriesOut: 300 },
  ],
  activeZoneMinutes: { totalMinutes: 40 },
  activityLevel: [
    { name: 'sedentary', minutes: 0 },
    { name: 'very', minutes: 28 },
  ],
  lastModified: '2024-05-04T08:10:00.000Z',
};

describe('mapFitbitLegacy activity_log', () => {
  it('maps an activity log entry to a workout', () => {
    const batch = mapFitbitLegacy('activity_log', entry, { deviceName: 'Charge 6' });
    expect(batch.sources).toEqual([{ provider: 'fitbit', deviceName: 'Charge 6' }]);
    expect(batch.samples).toEqual([]);
    expect(batch.workouts).toEqual([
      {
        source: 0,
        externalId: '123456',
        type: 'running',
        sourceActivityType: 'Run',
        startMs: at('2024-05-04T06:30:00Z'),
        endMs: at('2024-05-04T07:00:00Z'),
        durationS: 1800,
        distanceM: 5200,
        energyKcal: 320,
        avgHeartRateBpm: 151,
        maxHeartRateBpm: null,
        elevationGainM: 12.5,
        steps: 4200,
        utcOffsetMin: 60,
        statistics: {
          active_duration_s: 1700,
          heart_rate_zones: [
            { name: 'Out of Range', min_bpm: 30, max_bpm: 96, minutes: 2, energy_kcal: 10.5 },
            { name: 'Cardio', min_bpm: 118, max_bpm: 146, minutes: 28, energy_kcal: 300 },
          ],
          active_zone_minutes: 40,
          activity_level_minutes: { sedentary: 0, very: 28 },
        },
        segments: [],
        metadata: { log_type: 'manual', activity_type_id: 90009, last_modified: '2024-05-04T08:10:00.000Z' },
        route: [],
      },
    ]);
  });

  it('converts US units, reads a local start with the caller offset, and maps by id or name', () => {
    const us = mapFitbitLegacy(
      'activity_log',
      { activities: [{ ...entry, activityName: undefined, startTime: '2024-05-04T07:30:00.000' }] },
      { units: 'us', utcOffsetMinutes: -420 },
    );
    const w = us.workouts[0];
    expect(w?.type).toBe('running');
    expect(w?.sourceActivityType).toBe('90009');
    expect(w?.startMs).toBe(at('2024-05-04T14:30:00Z'));
    expect(w?.utcOffsetMin).toBe(-420);
    expect(w?.distanceM).toBeCloseTo(5.2 * 1609.344, 6);
    expect(w?.elevationGainM).toBeCloseTo(12.5 * 0.3048, 9);

    const named = (activityName: string, activityTypeId = 1) =>
      mapFitbitLegacy('activity_log', { ...entry, activityName, activityTypeId }).workouts[0]?.type;
    expect(named('Outdoor Bike')).toBe('cycling');
    expect(named('Spinning')).toBe('indoor_cycling');
    expect(named('Walk', 90013)).toBe('walking');
    expect(named('Mystery Thing')).toBe('other');
    // An explicit distanceUnit wins over the request's unit system.
    const metres = mapFitbitLegacy(
      'activity_log',
      { ...entry, distance: 8500, distanceUnit: 'METERS' },
      { units: 'us' },
    );
    expect(metres.workouts[0]?.distanceM).toBe(8500);
  });

  it('skips entries without a start or duration and keeps the rest', () => {
    const batch = mapFitbitLegacy('activity_log', [
      entry,
      { ...entry, logId: 2, startTime: 'soon' },
      { ...entry, logId: 3, duration: 0, activeDuration: null },
      { ...entry, logId: 4, startTime: '2024-05-04T07:30:00.000' }, // local time, no offset given
    ]);
    expect(batch.workouts.map((w) => w.externalId)).toEqual(['123456']);
  });
});

describe('mapFitbitLegacy daily_summary', () => {
  const summary = {
    steps: 1000,
    caloriesOut: 2000,
    caloriesBMR: 1500,
    activityCalories: 700,
    distances: [
      { activity: 'total', distance: 3.5 },
      { activity: 'tracker', distance: 3.0 },
      { activity: 'loggedActivities', distance: 0.5 },
    ],
    floors: 4,
    elevation: 12,
    lightlyActiveMinutes: 100,
    fairlyActiveMinutes: 20,
    veryActiveMinutes: 10,
    sedentaryMinutes: 700,
    restingHeartRate: 60,
    heartRateZones: [{ name: 'Fat Burn', min: 97, max: 119, minutes: 10 }],
  };

  it('maps the day totals from local midnight', () => {
    const batch = mapFitbitLegacy(
      'daily_summary',
      { summary, activities: [] },
      { date: '2024-03-01', utcOffsetMinutes: 60 },
    );
    const day = { at: '2024-02-29T23:00:00.000Z', durationMs: 86_400_000, utcOffsetMin: 60 };
    expect(samplesByName(batch)).toEqual({
      steps: { ...day, value: 1000 },
      basal_energy: { ...day, value: 1500 },
      energy: { ...day, value: 500 },
      distance_walking_running: { ...day, value: 3000 },
      flights_climbed: { ...day, value: 4 },
      active_time: { ...day, value: 130 },
      resting_heart_rate: { ...day, value: 60 },
    });
    expect(batch.samples).toHaveLength(7);
  });

  it('without an offset uses midnight UTC with an unknown offset; US units are miles', () => {
    const batch = mapFitbitLegacy('daily_summary', summary, { date: '2024-03-01', units: 'us' });
    const distance = samplesByName(batch).distance_walking_running;
    expect(distance?.at).toBe('2024-03-01T00:00:00.000Z');
    expect(distance?.utcOffsetMin).toBeNull();
    expect(distance?.value).toBeCloseTo(3 * 1609.344, 6);
  });

  it('needs the date: without it nothing maps', () => {
    expect(mapFitbitLegacy('daily_summary', summary)).toEqual(emptyBatch());
    expect(mapFitbitLegacy('daily_summary', summary, { date: '01/03/2024' })).toEqual(emptyBatch());
  });
});

describe('malformed input', () => {
  const junk: unknown[] = [
    null,
    undefined,
    42,
    'text',
    [],
    {},
    [null, 1, 'x'],
    { sleep: 'x' },
    { levels: 5 },
  ];
  for (const kind of ['sleep', 'activity_log', 'daily_summary'] as const) {
    it(`${kind}: returns an empty batch without throwing`, () => {
      for (const json of junk) {
        expect(mapFitbitLegacy(kind, json, { utcOffsetMinutes: 0, date: '2024-03-01' })).toEqual(
          emptyBatch(),
        );
      }
    });
  }

  it('an unknown kind gives an empty batch', () => {
    expect(mapFitbitLegacy('weight' as never, entry)).toEqual(emptyBatch());
  });

  it('a throwing getter does not escape', () => {
    const hostile = {
      get startTime(): string {
        throw new Error('boom');
      },
    };
    expect(mapFitbitLegacy('activity_log', [hostile])).toEqual(emptyBatch());
  });
});

describe('parseLegacyFitbitNotifications', () => {
  it('turns the notification array into pulls of the notified day', () => {
    const day = at('2010-03-01T00:00:00Z');
    const window = { fromMs: day - 14 * 3_600_000, toMs: day + 38 * 3_600_000 };
    const out = parseLegacyFitbitNotifications([
      { collectionType: 'sleep', date: '2010-03-01', ownerId: 'A1', ownerType: 'user', subscriptionId: 's1' },
      {
        collectionType: 'activities',
        date: '2010-03-01',
        ownerId: 'B2',
        ownerType: 'user',
        subscriptionId: 's2',
      },
      { collectionType: 'foods', date: '2010-03-01', ownerId: 'B2', ownerType: 'user', subscriptionId: 's3' },
      { collectionType: 'sleep', date: 'March', ownerId: 'A1', ownerType: 'user' },
      { collectionType: 'sleep', date: '2010-03-01', ownerType: 'user' },
      'junk',
    ]);
    expect(out).toEqual([
      {
        kind: 'pull',
        providerUserId: 'A1',
        target: {
          resource: 'sleep',
          ...window,
          details: { date: '2010-03-01', collectionType: 'sleep', subscriptionId: 's1' },
        },
      },
      ...(['activity_log', 'daily_summary'] as const).map((resource) => ({
        kind: 'pull',
        providerUserId: 'B2',
        target: {
          resource,
          ...window,
          details: { date: '2010-03-01', collectionType: 'activities', subscriptionId: 's2' },
        },
      })),
      { kind: 'ignore', reason: 'Fitbit collection "foods" is not imported' },
    ]);
  });

  it('a body that is not an array gives nothing', () => {
    expect(parseLegacyFitbitNotifications({ collectionType: 'sleep' })).toEqual([]);
    expect(parseLegacyFitbitNotifications(null)).toEqual([]);
  });
});
