import type { z } from 'zod';
import { findSeriesTypeByName } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { mapActivity } from './map-activity.ts';
import {
  ActivitiesPayload,
  AthletePayload,
  describeIssue,
  StravaActivity,
  StravaAthlete,
  StravaStreams,
} from './schemas.ts';

const WEIGHT = findSeriesTypeByName('weight')?.id as number;

/**
 * One source for everything Strava sends. The device (`device_name`) is only on an activity's detail,
 * and a workout's identity includes its source, so naming the device in the source would split one
 * activity in two whenever a summary and a detail of it were both seen: it goes to `metadata` instead.
 */
const STRAVA_SOURCE = { provider: 'strava', appName: 'Strava' } as const;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ProviderResponseError(
    `Strava ${what} is not in the documented shape: ${describeIssue(result.error)}`,
  );
}

/**
 * The `activities` payload (`{activities, streams}` from `pull`) → workouts, routes, heart-rate,
 * distance and energy samples. Ids must arrive as exact strings (`parseStravaJson`).
 *
 * @example
 * mapActivities({ activities: [activity], streams: { [activity.id]: streams } })
 */
export function mapActivities(payload: unknown): CanonicalBatch {
  const { activities, streams } = parse(ActivitiesPayload, payload, 'activities payload');
  const batch = emptyBatch();
  const source = new SourceTable(batch).indexOf(STRAVA_SOURCE);
  activities.forEach((raw, i) => {
    const activity = parse(StravaActivity, raw, `activity #${i}`);
    const rawStreams = streams[activity.id];
    const activityStreams =
      rawStreams === undefined || rawStreams === null
        ? undefined
        : parse(StravaStreams, rawStreams, `streams of activity ${activity.id}`);
    mapActivity(activity, activityStreams, source, batch);
  });
  return batch;
}

/**
 * The `athlete` payload → the profile's weight (kg), dated by the profile's `updated_at`: Strava keeps
 * one current weight, no history, and 0 means "not set".
 */
export function mapAthlete(payload: unknown): CanonicalBatch {
  const { athlete, fetched_at } = parse(AthletePayload, payload, 'athlete payload');
  const batch = emptyBatch();
  if (athlete === null) return batch;
  const profile = parse(StravaAthlete, athlete, 'athlete');
  if (profile.weight == null || profile.weight <= 0) return batch;
  const source = new SourceTable(batch).indexOf(STRAVA_SOURCE);
  batch.samples.push({
    source,
    seriesTypeId: WEIGHT,
    startMs: Date.parse(profile.updated_at ?? fetched_at),
    durationMs: 0,
    value: profile.weight,
    utcOffsetMin: null,
  });
  return batch;
}

/** `PullAdapter.map`: a resource's raw payload → canonical records. */
export function mapStrava(resource: string, payload: unknown): CanonicalBatch {
  switch (resource) {
    case 'activities':
      return mapActivities(payload);
    case 'athlete':
      return mapAthlete(payload);
    default:
      throw new ProviderResponseError(`Strava has no resource "${resource}"`);
  }
}
