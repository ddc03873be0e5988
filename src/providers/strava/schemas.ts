import { z } from 'zod';

/**
 * The parts of Strava's payloads WearLink reads, checked before mapping so a body of the wrong shape
 * fails its run with the field named. Unknown fields pass (`looseObject`): Strava adds fields freely.
 */

const INTEGER_TEXT = /^-?\d+$/;

/**
 * An int64 id as its exact decimal string. A JSON number is accepted only while it is a safe integer:
 * above 2^53 it was already rounded by `JSON.parse`, and mapping it would silently merge activities.
 */
export const StravaId = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  ctx.addIssue({
    code: 'custom',
    message:
      typeof value === 'number' && Number.isInteger(value)
        ? `id ${value} is beyond 2^53 and was rounded by JSON.parse (parse with parseStravaJson)`
        : `expected an integer id, got ${JSON.stringify(value) ?? String(value)}`,
  });
  return z.NEVER;
});

const IsoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 date-time');
const Metres = z.number().finite().min(0);
const Seconds = z.number().finite().min(0);
const nullableNumber = z.number().finite().nullish();

export const StravaLap = z.looseObject({
  id: StravaId.nullish(),
  name: z.string().nullish(),
  lap_index: z.number().int().nullish(),
  start_date: IsoInstant,
  elapsed_time: Seconds,
  moving_time: Seconds.nullish(),
  distance: Metres.nullish(),
  total_elevation_gain: nullableNumber,
  average_speed: nullableNumber,
  max_speed: nullableNumber,
  average_heartrate: nullableNumber,
  max_heartrate: nullableNumber,
  average_cadence: nullableNumber,
  average_watts: nullableNumber,
});
export type StravaLap = z.infer<typeof StravaLap>;

/** SummaryActivity (the list) and DetailedActivity (one activity) share these fields. */
export const StravaActivity = z.looseObject({
  id: StravaId,
  name: z.string().nullish(),
  type: z.string().nullish(),
  sport_type: z.string().nullish(),
  start_date: IsoInstant,
  start_date_local: IsoInstant.nullish(),
  timezone: z.string().nullish(),
  utc_offset: nullableNumber,
  distance: Metres.nullish(),
  moving_time: Seconds.nullish(),
  elapsed_time: Seconds,
  total_elevation_gain: nullableNumber,
  elev_high: nullableNumber,
  elev_low: nullableNumber,
  average_speed: nullableNumber,
  max_speed: nullableNumber,
  average_cadence: nullableNumber,
  average_watts: nullableNumber,
  weighted_average_watts: nullableNumber,
  max_watts: nullableNumber,
  kilojoules: nullableNumber,
  calories: nullableNumber,
  has_heartrate: z.boolean().nullish(),
  average_heartrate: nullableNumber,
  max_heartrate: nullableNumber,
  suffer_score: nullableNumber,
  trainer: z.boolean().nullish(),
  commute: z.boolean().nullish(),
  manual: z.boolean().nullish(),
  private: z.boolean().nullish(),
  device_name: z.string().nullish(),
  external_id: z.string().nullish(),
  upload_id: StravaId.nullish(),
  gear_id: z.string().nullish(),
  workout_type: z.number().int().nullish(),
  athlete: z.looseObject({ id: StravaId }).nullish(),
  start_latlng: z.array(z.number()).nullish(),
  laps: z.array(StravaLap).nullish(),
});
export type StravaActivity = z.infer<typeof StravaActivity>;

const Stream = z.looseObject({
  type: z.string().optional(),
  data: z.array(z.unknown()),
  series_type: z.string().nullish(),
  original_size: z.number().nullish(),
  resolution: z.string().nullish(),
});
export type StravaStream = z.infer<typeof Stream>;

/** `key_by_type=true`: an object keyed by stream type; without it (Swagger's example) an array. */
export const StravaStreams = z.union([z.record(z.string(), Stream), z.array(Stream)]);
export type StravaStreams = z.infer<typeof StravaStreams>;

/** What `pull.fetch` hands the mapper for the `activities` resource (and the archive keeps). */
export const ActivitiesPayload = z.strictObject({
  activities: z.array(z.unknown()),
  /** Streams per activity id; an activity without an entry had none fetched (manual, no sensors). */
  streams: z.record(z.string(), z.unknown()).default({}),
});
export type ActivitiesPayload = z.input<typeof ActivitiesPayload>;

export const StravaAthlete = z.looseObject({
  id: StravaId,
  /** Kilograms; 0 or absent when the athlete never set it (or `profile:read_all` was not granted). */
  weight: z.number().finite().min(0).nullish(),
  updated_at: IsoInstant.nullish(),
});
export type StravaAthlete = z.infer<typeof StravaAthlete>;

/** `{athlete}`: the current profile, or `{athlete: null}` for a window that did not fetch it. */
export const AthletePayload = z.strictObject({ athlete: z.unknown().nullable(), fetched_at: IsoInstant });
export type AthletePayload = z.input<typeof AthletePayload>;

/** A push-subscription event (webhooks). */
export const StravaEvent = z.looseObject({
  object_type: z.enum(['activity', 'athlete']),
  object_id: StravaId,
  aspect_type: z.enum(['create', 'update', 'delete']),
  updates: z.record(z.string(), z.unknown()).nullish(),
  owner_id: StravaId,
  subscription_id: StravaId,
  event_time: z.number().int(),
});
export type StravaEvent = z.infer<typeof StravaEvent>;

/** The first problem of a failed parse, as `path: message`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  return `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`;
}
