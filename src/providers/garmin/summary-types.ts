/**
 * Garmin's summary types, written down once: WearLink's resource name (snake_case, what runs and the
 * manifest say), the list key Garmin uses in push/ping bodies and summary endpoints, the name its
 * backfill endpoint takes (they differ: `pulseox` vs `pulseOx`, `allDayRespiration` vs `respiration`,
 * `moveIQActivities` vs `moveiq`), the longest window one backfill request may cover (API-NOTES §1.4:
 * 90 days for health types, 30 for activity types) and the family the data is shown under.
 * The manifest, the webhook parser, the pull adapter and the mappers all read this table.
 */

export type GarminFamily = 'daily' | 'sleep' | 'body' | 'workouts';

export interface GarminSummaryType {
  /** WearLink's resource name. */
  resource: string;
  /** The list key in push/ping bodies (and the summary endpoint's path segment). */
  listKey: string;
  /** The backfill endpoint's type name; undefined when Garmin offers no backfill for it. */
  backfillType: string | undefined;
  /** Longest window one backfill request may ask for (undefined without backfill). */
  maxWindowDays: number | undefined;
  family: GarminFamily;
}

const row = (
  resource: string,
  listKey: string,
  backfillType: string | undefined,
  maxWindowDays: number | undefined,
  family: GarminFamily,
): GarminSummaryType => ({ resource, listKey, backfillType, maxWindowDays, family });

/** Every summary type WearLink takes from Garmin. */
export const GARMIN_SUMMARY_TYPES: readonly GarminSummaryType[] = [
  row('dailies', 'dailies', 'dailies', 90, 'daily'),
  row('epochs', 'epochs', 'epochs', 90, 'daily'),
  row('sleeps', 'sleeps', 'sleeps', 90, 'sleep'),
  row('body_comps', 'bodyComps', 'bodyComps', 90, 'body'),
  row('stress_details', 'stressDetails', 'stressDetails', 90, 'daily'),
  row('user_metrics', 'userMetrics', 'userMetrics', 90, 'body'),
  row('pulse_ox', 'pulseox', 'pulseOx', 90, 'daily'),
  row('respiration', 'allDayRespiration', 'respiration', 90, 'daily'),
  row('health_snapshot', 'healthSnapshot', 'healthSnapshot', 90, 'daily'),
  row('hrv', 'hrv', 'hrv', 90, 'sleep'),
  row('blood_pressures', 'bloodPressures', 'bloodPressures', 90, 'body'),
  row('skin_temp', 'skinTemp', 'skinTemp', 90, 'sleep'),
  row('activities', 'activities', 'activities', 30, 'workouts'),
  // Manual edits arrive only as notifications; Garmin has no backfill for them.
  row('manually_updated_activities', 'manuallyUpdatedActivities', undefined, undefined, 'workouts'),
  row('activity_details', 'activityDetails', 'activityDetails', 30, 'workouts'),
  row('move_iq', 'moveIQActivities', 'moveiq', 30, 'workouts'),
];

/** Lifecycle keys of a push/ping body that carry no summaries. */
export const GARMIN_LIFECYCLE_KEYS = {
  deregistrations: 'deregistrations',
  permissions: 'userPermissionsChange',
  activityFiles: 'activityFiles',
} as const;

const byResource = new Map(GARMIN_SUMMARY_TYPES.map((t) => [t.resource, t]));
const byListKey = new Map(GARMIN_SUMMARY_TYPES.map((t) => [t.listKey, t]));
const byBackfillType = new Map(
  GARMIN_SUMMARY_TYPES.filter((t) => t.backfillType !== undefined).map((t) => [t.backfillType as string, t]),
);

/** All resource names, in table order. */
export const GARMIN_RESOURCES: readonly string[] = GARMIN_SUMMARY_TYPES.map((t) => t.resource);

/**
 * The resource a push/ping list key carries, or undefined for keys that are not summaries.
 * @example resourceOfListKey('allDayRespiration') // 'respiration'
 */
export function resourceOfListKey(listKey: string): string | undefined {
  return byListKey.get(listKey)?.resource;
}

/** @example summaryTypeOfResource('pulse_ox')?.listKey // 'pulseox' */
export function summaryTypeOfResource(resource: string): GarminSummaryType | undefined {
  return byResource.get(resource);
}

/** @example summaryTypeOfListKey('moveIQActivities')?.backfillType // 'moveiq' */
export function summaryTypeOfListKey(listKey: string): GarminSummaryType | undefined {
  return byListKey.get(listKey);
}

/** @example summaryTypeOfBackfillType('pulseOx')?.resource // 'pulse_ox' */
export function summaryTypeOfBackfillType(backfillType: string): GarminSummaryType | undefined {
  return byBackfillType.get(backfillType);
}

/**
 * The manifest's `backfill.types`: every type with a backfill endpoint, its window limit, the list keys
 * that deliver it and its family.
 */
export function garminBackfillTypes(): {
  name: string;
  max_window_days: number;
  delivered_as: string[];
  family: GarminFamily;
}[] {
  return GARMIN_SUMMARY_TYPES.flatMap((t) =>
    t.backfillType === undefined || t.maxWindowDays === undefined
      ? []
      : [
          {
            name: t.backfillType,
            max_window_days: t.maxWindowDays,
            delivered_as: [t.listKey],
            family: t.family,
          },
        ],
  );
}
