import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import { ProviderResponseError } from '../../../src/providers/errors.ts';
import { parseStravaJson } from '../../../src/providers/strava/json.ts';
import { mapStrava } from '../../../src/providers/strava/map.ts';
import { stravaTimeZoneName, stravaUtcOffsetMin } from '../../../src/providers/strava/map-activity.ts';
import type { StravaActivity } from '../../../src/providers/strava/schemas.ts';
import {
  type ActivitySpec,
  ATHLETE_ID,
  BIG_ID,
  detailOf,
  stravaText,
  streamsOf,
  summaryOf,
} from '../../support/vendor-mocks/strava-data.ts';

const ride: ActivitySpec = {
  id: BIG_ID,
  sportType: 'MountainBikeRide',
  type: 'Ride',
  start: '2026-07-04T06:30:00.000Z',
  offsetMin: 120, // Berlin, summer time
  elapsedS: 3600,
  movingS: 3300,
  distanceM: 25_000.5,
  calories: 812.4,
};

/** What pull hands the mapper, through the same text → parser path. */
function payloadOf(activities: Record<string, unknown>[], streams: Record<string, unknown> = {}): unknown {
  return parseStravaJson(stravaText({ activities, streams }));
}

const seriesName = (id: number) => findSeriesTypeById(id)?.name;

describe('Strava activities mapper', () => {
  it('maps a detailed ride with its streams: exact id, catalog type, units, local offset, laps', () => {
    const batch = mapStrava('activities', payloadOf([detailOf(ride)], { [BIG_ID]: streamsOf(ride) }));
    expect(batch.sources).toEqual([{ provider: 'strava', appName: 'Strava' }]);
    expect(batch.workouts).toHaveLength(1);
    const w = batch.workouts[0];
    expect(w).toMatchObject({
      externalId: BIG_ID,
      type: 'mountain_biking',
      sourceActivityType: 'MountainBikeRide',
      startMs: Date.parse('2026-07-04T06:30:00Z'),
      endMs: Date.parse('2026-07-04T07:30:00Z'),
      durationS: 3600,
      distanceM: 25_000.5,
      energyKcal: 812.4,
      avgHeartRateBpm: 141.5,
      maxHeartRateBpm: 178,
      elevationGainM: 120.5,
      utcOffsetMin: 120,
      steps: null,
    });
    expect(w?.statistics).toMatchObject({
      moving_time: { value: 3300, unit: 's' },
      elapsed_time: { value: 3600, unit: 's' },
      work: { value: 650.2, unit: 'kJ' },
      relative_effort: { value: 55, unit: 'score' },
    });
    expect(w?.metadata).toMatchObject({
      strava_activity_id: BIG_ID,
      upload_id: '987654321234567891234',
      strava_athlete_id: ATHLETE_ID,
      time_zone: 'Europe/Berlin',
      device_name: 'Garmin Edge 1030',
      strava_type: 'Ride',
    });
    expect(w?.segments).toEqual([
      expect.objectContaining({
        kind: 'lap',
        start: '2026-07-04T06:30:00.000Z',
        end: '2026-07-04T07:00:00.000Z',
        distance_m: 12_500.25,
        avg_heart_rate_bpm: 139,
      }),
    ]);
    // Route: every point of the latlng stream, timed by the `time` stream, with altitude and speed.
    expect(w?.route).toHaveLength(6);
    expect(w?.route[1]).toEqual({
      timeMs: Date.parse('2026-07-04T06:30:10Z'),
      latitude: expect.closeTo(52.521, 9),
      longitude: expect.closeTo(13.406, 9),
      altitudeM: 35,
      speedMPerS: 5.5,
    });
  });

  it('turns the heartrate stream into bpm samples at start + time[i], skipping 0 (no contact)', () => {
    const batch = mapStrava('activities', payloadOf([detailOf(ride)], { [BIG_ID]: streamsOf(ride) }));
    const hr = batch.samples.filter((s) => seriesName(s.seriesTypeId) === 'heart_rate');
    expect(hr.map((s) => [s.startMs - Date.parse(ride.start), s.value])).toEqual([
      [0, 120],
      [10_000, 121],
      [30_000, 123],
      [40_000, 124],
      [50_000, 125],
    ]);
    expect(hr.every((s) => s.durationMs === 0 && s.utcOffsetMin === 120)).toBe(true);
  });

  it('adds the distance (in the workout type’s distance series, metres) and energy (kcal) over the span', () => {
    const batch = mapStrava('activities', payloadOf([detailOf(ride)]));
    const bySeries = Object.fromEntries(batch.samples.map((s) => [seriesName(s.seriesTypeId), s]));
    expect(bySeries.distance_cycling).toMatchObject({ value: 25_000.5, durationMs: 3_600_000 });
    expect(bySeries.energy).toMatchObject({ value: 812.4, durationMs: 3_600_000, utcOffsetMin: 120 });
    const run = { ...ride, id: '17', sportType: 'TrailRun', type: 'Run' };
    const runBatch = mapStrava('activities', payloadOf([summaryOf(run)]));
    expect(runBatch.workouts[0]?.type).toBe('trail_running');
    expect(seriesName(runBatch.samples[0]?.seriesTypeId ?? 0)).toBe('distance_walking_running');
    const ski = { ...ride, id: '18', sportType: 'AlpineSki', type: 'AlpineSki' };
    const skiBatch = mapStrava('activities', payloadOf([summaryOf(ski)]));
    expect(skiBatch.workouts[0]?.type).toBe('downhill_skiing');
    expect(seriesName(skiBatch.samples[0]?.seriesTypeId ?? 0)).toBe('distance_downhill_snow_sports');
  });

  it('a summary has no calories: energy stays null (kilojoules of work are not calories burned)', () => {
    const batch = mapStrava('activities', payloadOf([summaryOf(ride)]));
    expect(batch.workouts[0]?.energyKcal).toBeNull();
    expect(batch.workouts[0]?.statistics.work).toEqual({ value: 650.2, unit: 'kJ' });
    expect(batch.samples.map((s) => seriesName(s.seriesTypeId))).toEqual(['distance_cycling']);
  });

  it('falls back to `type` without `sport_type`, and to other for a sport the catalog lacks', () => {
    const old = { ...summaryOf(ride), sport_type: undefined, type: 'Ride' };
    expect(mapStrava('activities', payloadOf([old])).workouts[0]).toMatchObject({
      type: 'cycling',
      sourceActivityType: 'Ride',
    });
    const odd = { ...summaryOf(ride), sport_type: 'Quidditch' };
    expect(mapStrava('activities', payloadOf([odd])).workouts[0]?.type).toBe('other');
  });

  it('a manual activity without streams is a workout without route or heart-rate samples', () => {
    const manual = { ...ride, id: '42', manual: true, hr: false, gps: false };
    const batch = mapStrava('activities', payloadOf([summaryOf(manual)]));
    expect(batch.workouts[0]?.route).toEqual([]);
    expect(batch.samples.filter((s) => seriesName(s.seriesTypeId) === 'heart_rate')).toEqual([]);
    expect(batch.workouts[0]?.metadata.manual).toBe(true);
  });

  it('reads the streams in their array form (no key_by_type) too', () => {
    const keyed = streamsOf(ride) as Record<string, Record<string, unknown>>;
    const asArray = Object.entries(keyed).map(([type, s]) => ({ type, ...s }));
    const batch = mapStrava('activities', payloadOf([detailOf(ride)], { [BIG_ID]: asArray }));
    expect(batch.workouts[0]?.route).toHaveLength(6);
  });
});

describe('Strava time zones', () => {
  const base = summaryOf(ride) as unknown as StravaActivity;
  it('takes the offset from start_date_local − start_date (DST included)', () => {
    expect(
      stravaUtcOffsetMin({
        ...base,
        start_date: '2018-02-16T14:52:54Z',
        start_date_local: '2018-02-16T06:52:54Z',
      }),
    ).toBe(-480);
    // Los Angeles in May is UTC−7 although the timezone label says GMT−08:00.
    expect(
      stravaUtcOffsetMin({
        ...base,
        start_date: '2018-05-02T12:15:09Z',
        start_date_local: '2018-05-02T05:15:09Z',
        utc_offset: -25200,
      }),
    ).toBe(-420);
    expect(
      stravaUtcOffsetMin({
        ...base,
        start_date: '2026-01-01T00:00:00Z',
        start_date_local: '2026-01-01T05:45:00Z',
      }),
    ).toBe(345); // Nepal
  });
  it('falls back to utc_offset (seconds) without a usable local time, else null', () => {
    expect(stravaUtcOffsetMin({ ...base, start_date_local: undefined, utc_offset: 19_800 })).toBe(330);
    expect(stravaUtcOffsetMin({ ...base, start_date_local: '2030-01-01T00:00:00Z', utc_offset: 3600 })).toBe(
      60,
    );
    expect(stravaUtcOffsetMin({ ...base, start_date_local: undefined, utc_offset: undefined })).toBeNull();
  });
  it('reads the zone name from the timezone label', () => {
    expect(stravaTimeZoneName('(GMT-08:00) America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(stravaTimeZoneName('(GMT+05:45) Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(stravaTimeZoneName('Europe/Berlin')).toBeUndefined();
    expect(stravaTimeZoneName(null)).toBeUndefined();
  });
});

describe('Strava malformed payloads', () => {
  const expectError = (fn: () => unknown, message: string) => {
    expect(fn).toThrow(ProviderResponseError);
    expect(fn).toThrow(message);
  };
  it('refuses an id JSON.parse already rounded (beyond 2^53) instead of storing a wrong one', () => {
    const rounded = JSON.parse(stravaText({ activities: [summaryOf(ride)] }));
    expectError(() => mapStrava('activities', rounded), 'activity #0 is not in the documented shape: id:');
    expectError(() => mapStrava('activities', rounded), '2^53');
  });
  it('names the field that is missing or of the wrong type', () => {
    const { start_date: _, ...noStart } = summaryOf(ride);
    expectError(
      () => mapStrava('activities', payloadOf([noStart])),
      'activity #0 is not in the documented shape: start_date',
    );
    expectError(
      () => mapStrava('activities', payloadOf([{ ...summaryOf(ride), distance: '25 km' }])),
      'distance',
    );
    expectError(() => mapStrava('activities', { activities: 'nope' }), 'activities payload');
    expectError(() => mapStrava('activities', null), 'activities payload');
    expectError(() => mapStrava('sleep', {}), 'Strava has no resource "sleep"');
  });
  it('refuses streams whose lengths disagree with the time stream', () => {
    const streams = streamsOf(ride) as Record<string, { data: unknown[] }>;
    streams.heartrate = { data: [120, 121] };
    expectError(
      () => mapStrava('activities', payloadOf([detailOf(ride)], { [BIG_ID]: streams })),
      'stream "heartrate" of activity 9007199254740993 has 2 points, "time" has 6',
    );
    const { time: _, ...noTime } = streamsOf(ride);
    expectError(
      () => mapStrava('activities', payloadOf([detailOf(ride)], { [BIG_ID]: noTime })),
      'no "time" stream',
    );
  });
});

describe('Strava athlete mapper', () => {
  const athlete = (weight: number | null) =>
    parseStravaJson(
      stravaText({
        athlete: { id: `#${ATHLETE_ID}`, weight, updated_at: '2026-11-20T08:00:00Z' },
        fetched_at: '2026-12-01T00:00:00Z',
      }),
    );
  it('maps the profile weight in kg, dated by the profile update', () => {
    const batch = mapStrava('athlete', athlete(68.5));
    expect(batch.samples).toEqual([
      expect.objectContaining({ value: 68.5, startMs: Date.parse('2026-11-20T08:00:00Z'), durationMs: 0 }),
    ]);
    expect(seriesName(batch.samples[0]?.seriesTypeId ?? 0)).toBe('weight');
  });
  it('weight 0 or null is "not set", and a window without the profile maps to nothing', () => {
    expect(mapStrava('athlete', athlete(0)).samples).toEqual([]);
    expect(mapStrava('athlete', athlete(null)).samples).toEqual([]);
    expect(mapStrava('athlete', { athlete: null, fetched_at: '2026-12-01T00:00:00Z' }).samples).toEqual([]);
  });
});
