import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { mapHeartRate, mapSessions, mapWorkouts } from './map-activity.ts';
import { OuraPayloadError, ouraSource } from './map-common.ts';
import {
  mapCardiovascularAge,
  mapDailyActivity,
  mapDailyReadiness,
  mapDailyResilience,
  mapDailySleep,
  mapDailySpo2,
  mapPersonalInfo,
  mapVo2Max,
} from './map-daily.ts';
import { mapSleep } from './map-sleep.ts';

type Mapper = (batch: CanonicalBatch, source: number, payload: unknown) => void;

const MAPPERS: Record<string, Mapper> = {
  personal_info: mapPersonalInfo,
  daily_activity: mapDailyActivity,
  daily_readiness: mapDailyReadiness,
  daily_sleep: mapDailySleep,
  sleep: mapSleep,
  daily_spo2: mapDailySpo2,
  daily_resilience: mapDailyResilience,
  daily_cardiovascular_age: mapCardiovascularAge,
  vo2_max: mapVo2Max,
  workout: mapWorkouts,
  session: mapSessions,
  heartrate: mapHeartRate,
};

/** The resources `mapOura` knows (every resource of the manifest). */
export const OURA_MAPPED_RESOURCES: readonly string[] = Object.keys(MAPPERS);

/**
 * Maps one Oura resource's raw payload (`{data: [...]}` as the API pages it, or `personal_info`'s
 * document) to canonical records. Pure; throws `OuraPayloadError` (a `ProviderResponseError`) with the
 * resource, document and field when the payload does not have Oura's shape.
 *
 * @example
 * const batch = mapOura('daily_readiness', { data: [{ id: 'r1', day: '2026-03-01',
 *   timestamp: '2026-03-01T00:00:00+01:00', score: 81, contributors: {}, temperature_deviation: -0.2 }] });
 * // batch.scores[0]: { category: 'readiness', score: 81, rangeMin: 1, rangeMax: 100, … }
 * // batch.samples[0]: skin_temperature_deviation −0.2 °C at 2026-02-28T23:00Z, utcOffsetMin 60
 */
export function mapOura(resource: string, payload: unknown): CanonicalBatch {
  const mapper = MAPPERS[resource];
  if (mapper === undefined) throw new OuraPayloadError(`Oura: no mapper for resource "${resource}"`);
  const batch = emptyBatch();
  mapper(batch, ouraSource(batch), payload);
  return batch;
}
