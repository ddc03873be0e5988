import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { distanceSeriesForWorkout, toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import type { CanonicalBatch, CanonicalRoutePoint } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import type { StravaActivity, StravaLap, StravaStream, StravaStreams } from './schemas.ts';

const seriesId = (name: SeriesTypeName) => findSeriesTypeByName(name)?.id as number;
const HEART_RATE = seriesId('heart_rate');
const ENERGY = seriesId('energy');
/** Real offsets lie within UTC−12…UTC+14; anything else is a broken `start_date_local`. */
const MAX_OFFSET_MIN = 18 * 60;

/**
 * The athlete's offset from UTC at the start, in minutes. `start_date_local` ends in "Z" but is local
 * wall time, so wall time − `start_date` is the offset the athlete lived (DST included: the list's
 * `utc_offset` agrees with it, while the `timezone` label shows the zone's standard offset). Falls back
 * to `utc_offset` (seconds) when the local time is missing or nonsensical.
 */
export function stravaUtcOffsetMin(activity: StravaActivity): number | null {
  const utc = Date.parse(activity.start_date);
  if (activity.start_date_local != null) {
    const minutes = Math.round((Date.parse(activity.start_date_local) - utc) / 60_000);
    if (Math.abs(minutes) <= MAX_OFFSET_MIN) return minutes;
  }
  if (activity.utc_offset != null && Math.abs(activity.utc_offset) <= MAX_OFFSET_MIN * 60)
    return Math.round(activity.utc_offset / 60);
  return null;
}

/** `"(GMT-08:00) America/Los_Angeles"` → `America/Los_Angeles` (undefined when it has no zone name). */
export function stravaTimeZoneName(timezone: string | null | undefined): string | undefined {
  const match = /^\(GMT[+-]\d{1,2}:\d{2}\)\s*(\S+)\s*$/.exec(timezone ?? '');
  return match?.[1];
}

/** Streams by type, whichever form Strava answered in. */
function streamsByType(streams: StravaStreams | undefined): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  if (streams === undefined) return out;
  const list: [string | undefined, StravaStream][] = Array.isArray(streams)
    ? streams.map((s) => [s.type, s])
    : Object.entries(streams);
  for (const [type, stream] of list) if (type !== undefined) out.set(type, stream.data);
  return out;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Heart-rate samples and the route of one activity from its streams. Every stream is indexed like
 * `time` (seconds since `start_date`); a stream of another length is a malformed answer.
 */
function mapStreams(
  activityId: string,
  streams: StravaStreams | undefined,
  startMs: number,
  offset: number | null,
  source: number,
  batch: CanonicalBatch,
): CanonicalRoutePoint[] {
  const byType = streamsByType(streams);
  const time = byType.get('time');
  if (time === undefined) {
    if (byType.has('heartrate') || byType.has('latlng'))
      throw new ProviderResponseError(`Strava streams of activity ${activityId} have no "time" stream`);
    return [];
  }
  for (const [type, data] of byType)
    if (data.length !== time.length)
      throw new ProviderResponseError(
        `Strava stream "${type}" of activity ${activityId} has ${data.length} points, "time" has ${time.length}`,
      );
  const heartrate = byType.get('heartrate');
  const latlng = byType.get('latlng');
  const altitude = byType.get('altitude');
  const speed = byType.get('velocity_smooth');
  const route: CanonicalRoutePoint[] = [];
  for (let i = 0; i < time.length; i++) {
    const t = time[i];
    if (!finite(t)) continue;
    const atMs = startMs + t * 1000;
    const bpm = heartrate?.[i];
    // A strap that lost contact reports 0: no reading, not a heart at rest.
    if (finite(bpm) && bpm > 0)
      batch.samples.push({
        source,
        seriesTypeId: HEART_RATE,
        startMs: atMs,
        durationMs: 0,
        value: bpm,
        utcOffsetMin: offset,
      });
    const point = latlng?.[i];
    if (Array.isArray(point) && finite(point[0]) && finite(point[1])) {
      const [latitude, longitude] = point as [number, number];
      if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) continue;
      const alt = altitude?.[i];
      const v = speed?.[i];
      route.push({
        timeMs: atMs,
        latitude,
        longitude,
        altitudeM: finite(alt) ? alt : null,
        speedMPerS: finite(v) && v >= 0 ? v : null,
      });
    }
  }
  return route;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A lap as a workout segment (times as ISO instants, units in the key names). */
export function mapLap(lap: StravaLap): Record<string, unknown> {
  const startMs = Date.parse(lap.start_date);
  return {
    kind: 'lap',
    start: iso(startMs),
    end: iso(startMs + lap.elapsed_time * 1000),
    duration_s: lap.elapsed_time,
    ...(lap.lap_index == null ? {} : { index: lap.lap_index }),
    ...(lap.name == null ? {} : { name: lap.name }),
    ...(lap.moving_time == null ? {} : { moving_time_s: lap.moving_time }),
    ...(lap.distance == null ? {} : { distance_m: lap.distance }),
    ...(lap.total_elevation_gain == null ? {} : { elevation_gain_m: lap.total_elevation_gain }),
    ...(lap.average_speed == null ? {} : { avg_speed_m_per_s: lap.average_speed }),
    ...(lap.max_speed == null ? {} : { max_speed_m_per_s: lap.max_speed }),
    ...(lap.average_heartrate == null ? {} : { avg_heart_rate_bpm: lap.average_heartrate }),
    ...(lap.max_heartrate == null ? {} : { max_heart_rate_bpm: lap.max_heartrate }),
    ...(lap.average_cadence == null ? {} : { avg_cadence_rpm: lap.average_cadence }),
    ...(lap.average_watts == null ? {} : { avg_power_w: lap.average_watts }),
  };
}

/** Statistics as `{value, unit}` (the SDK's form), only those Strava gave. */
function statisticsOf(a: StravaActivity): Record<string, { value: number; unit: string }> {
  const rows: [string, number | null | undefined, string][] = [
    ['moving_time', a.moving_time, 's'],
    ['elapsed_time', a.elapsed_time, 's'],
    ['average_speed', a.average_speed, 'm/s'],
    ['max_speed', a.max_speed, 'm/s'],
    ['elevation_high', a.elev_high, 'm'],
    ['elevation_low', a.elev_low, 'm'],
    ['average_cadence', a.average_cadence, 'rpm'],
    ['average_power', a.average_watts, 'W'],
    ['weighted_average_power', a.weighted_average_watts, 'W'],
    ['max_power', a.max_watts, 'W'],
    // Mechanical work from a power meter, not the energy the athlete burned (that is `calories`).
    ['work', a.kilojoules, 'kJ'],
    // Strava's Relative Effort: open-ended, so a statistic rather than a bounded provider score.
    ['relative_effort', a.suffer_score, 'score'],
  ];
  const out: Record<string, { value: number; unit: string }> = {};
  for (const [name, value, unit] of rows) if (value != null) out[name] = { value, unit };
  return out;
}

/**
 * One Strava activity (summary or detail, plus its streams) → a workout with its route and laps, its
 * heart-rate samples, and its distance and energy as samples of the workout's span.
 */
export function mapActivity(
  activity: StravaActivity,
  streams: StravaStreams | undefined,
  source: number,
  batch: CanonicalBatch,
): void {
  const startMs = Date.parse(activity.start_date);
  const endMs = startMs + activity.elapsed_time * 1000;
  const offset = stravaUtcOffsetMin(activity);
  // `sport_type` is the finer one (MountainBikeRide vs Ride); `type` is its older, coarser form.
  const sourceType = activity.sport_type ?? activity.type ?? 'Workout';
  const { type } = toCanonicalWorkoutType('strava', sourceType);
  const route = mapStreams(activity.id, streams, startMs, offset, source, batch);
  const zone = stravaTimeZoneName(activity.timezone);
  const distance = activity.distance ?? null;
  // `calories` is on the detail only; Strava estimates it for the activity (active energy).
  const calories = activity.calories != null && activity.calories > 0 ? activity.calories : null;
  batch.workouts.push({
    source,
    externalId: activity.id,
    type,
    sourceActivityType: sourceType,
    startMs,
    endMs,
    durationS: activity.elapsed_time,
    distanceM: distance,
    energyKcal: calories,
    avgHeartRateBpm: activity.average_heartrate ?? null,
    maxHeartRateBpm: activity.max_heartrate ?? null,
    elevationGainM: activity.total_elevation_gain ?? null,
    steps: null,
    utcOffsetMin: offset,
    statistics: statisticsOf(activity),
    segments: (activity.laps ?? []).map(mapLap),
    metadata: {
      strava_activity_id: activity.id,
      ...(activity.name == null ? {} : { name: activity.name }),
      ...(activity.type == null ? {} : { strava_type: activity.type }),
      ...(zone === undefined ? {} : { time_zone: zone }),
      ...(activity.device_name == null ? {} : { device_name: activity.device_name }),
      ...(activity.external_id == null ? {} : { upload_external_id: activity.external_id }),
      ...(activity.upload_id == null ? {} : { upload_id: activity.upload_id }),
      ...(activity.gear_id == null ? {} : { gear_id: activity.gear_id }),
      ...(activity.athlete == null ? {} : { strava_athlete_id: activity.athlete.id }),
      trainer: activity.trainer ?? false,
      commute: activity.commute ?? false,
      manual: activity.manual ?? false,
      private: activity.private ?? false,
    },
    route,
  });
  const span = endMs - startMs;
  if (distance !== null && distance > 0 && span > 0)
    batch.samples.push({
      source,
      seriesTypeId: seriesId(distanceSeriesForWorkout(type)),
      startMs,
      durationMs: span,
      value: distance,
      utcOffsetMin: offset,
    });
  if (calories !== null && span > 0)
    batch.samples.push({
      source,
      seriesTypeId: ENERGY,
      startMs,
      durationMs: span,
      value: calories,
      utcOffsetMin: offset,
    });
}
