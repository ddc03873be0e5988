import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { mapGarminActivity } from './map-activity.ts';
import { mapGarminHealth } from './map-health.ts';

/**
 * Garmin summaries of one resource → canonical records. `payload` is always an array of Garmin summary
 * objects: the items of a push body's list, or what a ping's callbackURL returned. Malformed items are
 * skipped; an unknown resource maps to nothing.
 *
 * @example mapGarmin('dailies', [{ summaryId: 'x', calendarDate: '2026-11-30', steps: 8000, … }])
 */
export function mapGarmin(resource: string, payload: unknown): CanonicalBatch {
  const items = Array.isArray(payload) ? payload : [];
  return mapGarminActivity(resource, items) ?? mapGarminHealth(resource, items) ?? emptyBatch();
}
