import { toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import type { CanonicalWorkout } from '../../health-data/canonical.ts';

/**
 * One Garmin activity summary (an `activities` or `manuallyUpdatedActivities` item, or the `summary`
 * of an `activityDetails` item) → a workout. Garmin puts the unit in each field's name; times are UTC
 * epoch seconds and `startTimeOffsetInSeconds` is the device's display offset (API-NOTES §1.3).
 */

export type GarminItem = Record<string, unknown>;

export const isItem = (v: unknown): v is GarminItem =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite number, or null (absent, null, a string, NaN). */
export const num = (o: GarminItem, key: string): number | null => {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** A non-empty string, or null. */
export const text = (o: GarminItem, key: string): string | null => {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
};

/** Garmin lets a device display any time within 24 h of UTC: a larger offset is a broken field. */
const MAX_OFFSET_S = 24 * 3600;

/** The device display offset in minutes, or null when absent or out of range. */
export function offsetMinOf(o: GarminItem): number | null {
  const s = num(o, 'startTimeOffsetInSeconds');
  return s === null || Math.abs(s) > MAX_OFFSET_S ? null : Math.round(s / 60);
}

/**
 * The workout's identity across every delivery of one activity: `activityId` is shared by the activity
 * summary, its details and its manual edits, while `summaryId` differs between them ("123" vs
 * "123-detail"). Without an activityId, the summaryId minus the details suffix stands in.
 */
export function activityExternalId(o: GarminItem): string | null {
  const id = o.activityId;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  const summaryId = text(o, 'summaryId');
  return summaryId === null ? null : summaryId.replace(/-detail$/, '');
}

/** Statistics as `{value, unit}` (the SDK's form), only those Garmin gave. */
const STATISTICS: readonly [field: string, name: string, unit: string][] = [
  ['averageSpeedInMetersPerSecond', 'average_speed', 'm/s'],
  ['maxSpeedInMetersPerSecond', 'max_speed', 'm/s'],
  ['averagePaceInMinutesPerKilometer', 'average_pace', 'min/km'],
  ['maxPaceInMinutesPerKilometer', 'max_pace', 'min/km'],
  ['averageBikeCadenceInRoundsPerMinute', 'average_bike_cadence', 'rpm'],
  ['maxBikeCadenceInRoundsPerMinute', 'max_bike_cadence', 'rpm'],
  ['averageRunCadenceInStepsPerMinute', 'average_run_cadence', 'steps/min'],
  ['maxRunCadenceInStepsPerMinute', 'max_run_cadence', 'steps/min'],
  ['averagePushCadenceInPushesPerMinute', 'average_push_cadence', 'pushes/min'],
  ['maxPushCadenceInPushesPerMinute', 'max_push_cadence', 'pushes/min'],
  ['averageSwimCadenceInStrokesPerMinute', 'average_swim_cadence', 'strokes/min'],
  ['totalElevationLossInMeters', 'elevation_loss', 'm'],
  ['numberOfActiveLengths', 'active_lengths', 'count'],
  ['pushes', 'pushes', 'count'],
];

function statisticsOf(o: GarminItem): Record<string, { value: number; unit: string }> {
  const out: Record<string, { value: number; unit: string }> = {};
  for (const [field, name, unit] of STATISTICS) {
    const value = num(o, field);
    if (value !== null) out[name] = { value, unit };
  }
  return out;
}

/** A count or amount Garmin may send as 0 for "not measured" is kept; only negatives are nonsense. */
const nonNegative = (v: number | null): number | null => (v !== null && v >= 0 ? v : null);
/** Heart rates of 0 are a strap without contact, not a reading. */
const positive = (v: number | null): number | null => (v !== null && v > 0 ? v : null);

/**
 * `summary` is the summary object; `ids` is where the ids sit (the item itself, or the `activityDetails`
 * item around its `summary`). Undefined when the summary lacks what a workout needs (an id, a start,
 * a duration): the caller skips it.
 */
export function workoutOfSummary(
  summary: GarminItem,
  ids: GarminItem,
  source: number,
  delivery: string,
): CanonicalWorkout | undefined {
  const externalId = activityExternalId(ids) ?? activityExternalId(summary);
  const startS = num(summary, 'startTimeInSeconds');
  const durationS = num(summary, 'durationInSeconds');
  if (externalId === null || startS === null || durationS === null || durationS < 0) return undefined;
  const activityType = text(summary, 'activityType');
  const mapping =
    activityType === null ? { type: 'other', exact: false } : toCanonicalWorkoutType('garmin', activityType);
  const startMs = startS * 1000;
  const startLat = num(summary, 'startingLatitudeInDegree');
  const startLon = num(summary, 'startingLongitudeInDegree');
  const parent = text(ids, 'parentSummaryId') ?? text(summary, 'parentSummaryId');
  const pick = (key: string) => ids[key] ?? summary[key];
  return {
    source,
    externalId,
    type: mapping.type,
    sourceActivityType: activityType,
    startMs,
    endMs: startMs + durationS * 1000,
    durationS,
    distanceM: nonNegative(num(summary, 'distanceInMeters')),
    energyKcal: nonNegative(num(summary, 'activeKilocalories')),
    avgHeartRateBpm: positive(num(summary, 'averageHeartRateInBeatsPerMinute')),
    maxHeartRateBpm: positive(num(summary, 'maxHeartRateInBeatsPerMinute')),
    elevationGainM: nonNegative(num(summary, 'totalElevationGainInMeters')),
    steps: nonNegative(num(summary, 'steps')),
    utcOffsetMin: offsetMinOf(summary),
    statistics: statisticsOf(summary),
    segments: [],
    metadata: {
      garmin_activity_id: externalId,
      ...(text(ids, 'summaryId') === null ? {} : { garmin_summary_id: text(ids, 'summaryId') }),
      delivered_as: delivery,
      // false: Garmin added a type the catalog does not know yet (mapped by keyword, or `other`).
      activity_type_exact: mapping.exact,
      ...(text(summary, 'activityName') === null ? {} : { name: text(summary, 'activityName') }),
      ...(text(summary, 'activityDescription') === null
        ? {}
        : { description: text(summary, 'activityDescription') }),
      // The device goes here, not into the source: a workout's identity includes its source, and a
      // manual edit or a details summary naming the device differently (or not at all) must update
      // the same workout rather than add a second one.
      ...(text(summary, 'deviceName') === null ? {} : { device_name: text(summary, 'deviceName') }),
      ...(startLat === null || startLon === null
        ? {}
        : { start_latitude: startLat, start_longitude: startLon }),
      // Multi-sport: the parent spans the whole event and each leg arrives as its own summary pointing
      // at it. Both are kept as workouts; consumers group the legs under the parent by these keys.
      ...(pick('isParent') === true ? { multisport_parent: true } : {}),
      ...(parent === null ? {} : { parent_summary_id: parent }),
      ...(pick('manual') === true ? { manual: true } : {}),
      ...(pick('isWebUpload') === true ? { web_upload: true } : {}),
    },
    route: [],
  };
}
