import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { mapActivities, mapBiosensing, mapContinuousHeartRate, mapPhysicalInfo } from './map-daily.ts';
import { mapExercises } from './map-exercise.ts';
import { mapSleep } from './map-sleep.ts';

/**
 * One Polar resource's raw payload (as `pull.ts` archives it) → canonical records. Pure: the
 * reference-corpus test calls it on Polar's example payloads directly.
 *
 * @example mapPolar('exercises', [exercise]).workouts[0].type // 'running'
 */
export function mapPolar(resource: string, payload: unknown): CanonicalBatch {
  switch (resource) {
    case 'exercises':
      return mapExercises(payload);
    case 'sleep':
      return mapSleep(payload);
    case 'activities':
      return mapActivities(payload);
    case 'continuous_heart_rate':
      return mapContinuousHeartRate(payload);
    case 'biosensing':
      return mapBiosensing(payload);
    case 'physical_info':
      return mapPhysicalInfo(payload);
    default:
      throw new ProviderResponseError(`Polar has no resource "${resource}"`);
  }
}
