import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { mapCycles } from './map-cycle.ts';
import { mapRecoveries } from './map-recovery.ts';
import { mapSleeps } from './map-sleep.ts';
import { mapBody, mapWorkouts } from './map-workout.ts';

export { mapBody, mapCycles, mapRecoveries, mapSleeps, mapWorkouts };

const mappers: Record<string, (payload: unknown) => CanonicalBatch> = {
  cycle: mapCycles,
  recovery: mapRecoveries,
  sleep: mapSleeps,
  workout: mapWorkouts,
  body: mapBody,
};

/**
 * A WHOOP resource payload (as `pull.ts` archives it) → canonical records. Pure: the reference-corpus
 * test calls it on WHOOP's published examples.
 *
 * @example mapWhoop('workout', { pages: [{ records: [workout], next_token: null }] }).workouts.length // 1
 */
export function mapWhoop(resource: string, payload: unknown): CanonicalBatch {
  const mapper = mappers[resource];
  if (mapper === undefined) throw new ProviderResponseError(`WHOOP has no resource "${resource}"`);
  return mapper(payload);
}
