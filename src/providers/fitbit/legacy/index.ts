import { type CanonicalBatch, emptyBatch } from '../../../health-data/canonical.ts';
import { mapLegacyActivityLog } from './activity.ts';
import { type FitbitLegacyOptions, fitbitSource } from './common.ts';
import { mapLegacyDailySummary } from './daily.ts';
import { mapLegacySleep } from './sleep.ts';

export { fitbitWorkoutType } from './activity.ts';
export type { FitbitLegacyOptions } from './common.ts';
export { sleepTimeline } from './sleep.ts';
export { parseLegacyFitbitNotifications } from './subscription.ts';

/** The legacy Fitbit Web API documents this folder maps. */
export type FitbitLegacyKind = 'sleep' | 'activity_log' | 'daily_summary';

/**
 * Maps legacy Fitbit Web API JSON (old exports, stored responses, the reference corpus) to canonical
 * records, the same records the Google Health API mappers produce.
 *
 * - `sleep`: a sleep log v1.2, an array of them, or `{sleep: [...]}` → an `in_bed` interval per log
 *   plus its stage timeline (`levels.data`, with `levels.shortData` wake bouts cut into it).
 * - `activity_log`: an `activities/list.json` entry, an array, or `{activities: [...]}` → workouts.
 * - `daily_summary`: the `summary` of `activities/date/{date}.json` (or the whole answer) → day samples;
 *   needs `options.date`.
 *
 * Local times without an offset (sleep logs, exports) need `options.utcOffsetMinutes`; a document that
 * cannot be placed in time is skipped. Never throws: malformed input gives an empty batch (or the
 * batch of the items that were well-formed). An unknown kind gives an empty batch.
 *
 * @example
 * const batch = mapFitbitLegacy('sleep', {
 *   logId: 1, startTime: '2017-04-01T23:00:00.000', endTime: '2017-04-01T23:10:00.000',
 *   levels: {
 *     data: [{ dateTime: '2017-04-01T23:00:00.000', level: 'light', seconds: 600 }],
 *     shortData: [{ dateTime: '2017-04-01T23:04:00.000', level: 'wake', seconds: 60 }],
 *   },
 * }, { utcOffsetMinutes: 120 });
 * // batch.sleep: in_bed 21:00–21:10Z, light 21:00–21:04Z, awake 21:04–21:05Z, light 21:05–21:10Z
 */
export function mapFitbitLegacy(
  kind: FitbitLegacyKind,
  json: unknown,
  options: FitbitLegacyOptions = {},
): CanonicalBatch {
  const batch = emptyBatch();
  try {
    const source = fitbitSource(batch, options);
    switch (kind) {
      case 'sleep':
        mapLegacySleep(batch, source, json, options);
        break;
      case 'activity_log':
        mapLegacyActivityLog(batch, source, json, options);
        break;
      case 'daily_summary':
        mapLegacyDailySummary(batch, source, json, options);
        break;
      default:
        break;
    }
  } catch {
    // The mappers check every field they read; this only guards against a shape nobody foresaw
    // (a getter that throws, a cyclic array): vendor input must never throw out of a mapper.
    return emptyBatch();
  }
  const empty = batch.samples.length + batch.workouts.length + batch.sleep.length === 0;
  return empty ? emptyBatch() : batch;
}
