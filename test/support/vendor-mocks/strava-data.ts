/**
 * Strava payloads built from a small spec (the reference folder may not be present, and may not be
 * copied): shapes as Strava documents them, ids above 2^53 on purpose. The mock serves them; the
 * mapper tests map them.
 */

/** 2^53 + 1: JSON.parse would turn it into 2^53. */
export const BIG_ID = '9007199254740993';
export const ATHLETE_ID = '9007199254740995';

export interface ActivitySpec {
  id: string;
  sportType: string;
  type?: string;
  /** ISO instant of the start (UTC). */
  start: string;
  /** Minutes east of UTC at the start. */
  offsetMin: number;
  elapsedS: number;
  movingS?: number;
  distanceM: number;
  calories?: number;
  hr?: boolean;
  gps?: boolean;
  manual?: boolean;
  timezone?: string;
}

/** Local wall time written with a "Z", as Strava does. */
export function localZ(startIso: string, offsetMin: number): string {
  return new Date(Date.parse(startIso) + offsetMin * 60_000).toISOString().replace('.000Z', 'Z');
}

/** A SummaryActivity as `/athlete/activities` lists it, as JSON text (ids unquoted, like Strava). */
export function summaryOf(a: ActivitySpec, athleteId = ATHLETE_ID): Record<string, unknown> {
  return {
    resource_state: 2,
    athlete: { id: `#${athleteId}`, resource_state: 1 },
    name: `${a.sportType} test`,
    distance: a.distanceM,
    moving_time: a.movingS ?? a.elapsedS,
    elapsed_time: a.elapsedS,
    total_elevation_gain: 120.5,
    type: a.type ?? a.sportType,
    sport_type: a.sportType,
    workout_type: null,
    id: `#${a.id}`,
    external_id: `${a.id}.fit`,
    upload_id: '#987654321234567891234',
    start_date: a.start.replace('.000Z', 'Z'),
    start_date_local: localZ(a.start, a.offsetMin),
    timezone: a.timezone ?? '(GMT+01:00) Europe/Berlin',
    utc_offset: a.offsetMin * 60,
    start_latlng: a.gps === false ? [] : [52.52, 13.405],
    end_latlng: a.gps === false ? [] : [52.53, 13.41],
    map: { id: `a${a.id}`, summary_polyline: null, resource_state: 2 },
    trainer: a.gps === false,
    commute: false,
    manual: a.manual ?? false,
    private: false,
    gear_id: 'b12345',
    average_speed: a.distanceM / (a.movingS ?? a.elapsedS),
    max_speed: 11.2,
    average_watts: 180.5,
    kilojoules: 650.2,
    device_watts: true,
    has_heartrate: a.hr ?? true,
    ...(a.hr === false ? {} : { average_heartrate: 141.5, max_heartrate: 178 }),
    suffer_score: 55,
  };
}

/** A DetailedActivity: the summary plus calories, device and a lap. */
export function detailOf(a: ActivitySpec, athleteId = ATHLETE_ID): Record<string, unknown> {
  return {
    ...summaryOf(a, athleteId),
    resource_state: 3,
    calories: a.calories ?? 812.4,
    device_name: 'Garmin Edge 1030',
    description: 'quoted "text" and \\ backslash',
    laps: [
      {
        id: `#${BigInt(a.id) + 1n}`,
        resource_state: 2,
        name: 'Lap 1',
        activity: { id: `#${a.id}`, resource_state: 1 },
        elapsed_time: Math.floor(a.elapsedS / 2),
        moving_time: Math.floor(a.elapsedS / 2),
        start_date: a.start.replace('.000Z', 'Z'),
        start_date_local: localZ(a.start, a.offsetMin),
        distance: a.distanceM / 2,
        average_speed: 5.1,
        average_heartrate: 139,
        lap_index: 1,
        split: 1,
      },
    ],
  };
}

/** Keyed streams (`key_by_type=true`) of `points` seconds, one per 10 s. */
export function streamsOf(a: ActivitySpec, points = 6): Record<string, unknown> {
  const time = Array.from({ length: points }, (_, i) => i * 10);
  const stream = (data: unknown[]) => ({
    data,
    series_type: 'time',
    original_size: points,
    resolution: 'high',
  });
  return {
    time: stream(time),
    ...(a.hr === false ? {} : { heartrate: stream(time.map((_, i) => (i === 2 ? 0 : 120 + i))) }),
    ...(a.gps === false
      ? {}
      : {
          latlng: stream(time.map((_, i) => [52.52 + i / 1000, 13.405 + i / 1000])),
          altitude: stream(time.map((_, i) => 34 + i)),
          velocity_smooth: stream(time.map(() => 5.5)),
        }),
  };
}

/**
 * JSON text with Strava's unquoted int64 ids: values written as `"#123"` become the bare number 123,
 * exactly as Strava sends them (so JSON.parse would round them).
 */
export function stravaText(value: unknown): string {
  return JSON.stringify(value).replace(/"#(-?\d+)"/g, '$1');
}
