import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { mapActivity, mapIntraday } from './map-activity.ts';
import { mapMeasures } from './map-measures.ts';
import { mapSleep } from './map-sleep.ts';
import { mapWorkouts } from './map-workouts.ts';

/**
 * A pulled resource's raw payload → canonical records (pure; the reference-corpus test calls it).
 *
 * @example mapWithings('measures', { timezone: 'Europe/Paris', measuregrps: [...] })
 */
export function mapWithings(resource: string, payload: unknown): CanonicalBatch {
  switch (resource) {
    case 'measures':
      return mapMeasures(payload);
    case 'activity':
      return mapActivity(payload);
    case 'intraday':
      return mapIntraday(payload);
    case 'workouts':
      return mapWorkouts(payload);
    case 'sleep':
      return mapSleep(payload);
    default:
      throw new ProviderResponseError(`Withings has no resource "${resource}"`);
  }
}
