import type { CanonicalBatch } from '../../health-data/canonical.ts';
import {
  mapBloodPressures,
  mapBodyComps,
  mapHealthSnapshot,
  mapPulseOx,
  mapRespiration,
  mapUserMetrics,
} from './map-health-body.ts';
import { HealthBatch } from './map-health-common.ts';
import { mapDailies, mapEpochs, mapStressDetails } from './map-health-daily.ts';
import { mapHrv, mapSkinTemp, mapSleeps } from './map-health-sleep.ts';

type HealthMapper = (out: HealthBatch, items: unknown[]) => void;

/** Health API resources (names as in summary-types.ts) and their mappers. */
const HEALTH_MAPPERS: Readonly<Record<string, HealthMapper>> = {
  dailies: mapDailies,
  epochs: mapEpochs,
  sleeps: mapSleeps,
  body_comps: mapBodyComps,
  stress_details: mapStressDetails,
  user_metrics: mapUserMetrics,
  pulse_ox: mapPulseOx,
  respiration: mapRespiration,
  health_snapshot: mapHealthSnapshot,
  hrv: mapHrv,
  blood_pressures: mapBloodPressures,
  skin_temp: mapSkinTemp,
};

/**
 * Health API summaries of one resource → canonical records; undefined for resources that are not the
 * Health API's. Items that are not usable summaries (not an object, no start time, …) are skipped; a
 * batch where nothing mapped is `emptyBatch()` (no source either).
 *
 * @example
 * mapGarminHealth('stress_details', [{ startTimeInSeconds: 1490245200, startTimeOffsetInSeconds: 0,
 *   timeOffsetStressLevelValues: { '0': 18, '180': -1 } }])
 * // → one stress_level sample (18 over 3 minutes); −1 (off wrist) is not a level
 */
export function mapGarminHealth(resource: string, items: unknown[]): CanonicalBatch | undefined {
  const mapper = Object.hasOwn(HEALTH_MAPPERS, resource) ? HEALTH_MAPPERS[resource] : undefined;
  if (mapper === undefined) return undefined;
  const out = new HealthBatch();
  mapper(out, Array.isArray(items) ? items : []);
  return out.batch;
}
