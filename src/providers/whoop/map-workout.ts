import { seriesType } from '../../catalog/series-types.ts';
import { toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import { type CanonicalBatch, emptyBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { kilojoulesToKcal, offsetMinutes, recordsOf, whoopSource } from './map-common.ts';
import { parseWhoop, WhoopBodyMeasurement, WhoopWorkout } from './schemas.ts';

const ZONES = ['zero', 'one', 'two', 'three', 'four', 'five'] as const;

/**
 * Workouts → canonical workouts keyed by WHOOP's v2 UUID (`externalId`, the dedupe key), typed from
 * `sport_name` through the catalog (the retired `sport_id` only when no name is sent). Energy arrives in
 * kilojoules and is stored in kcal (÷ 4.184); distance and elevation gain are metres. WHOOP's strain,
 * the heart-rate zone durations (seconds) and `percent_recorded` are statistics. A workout not scored
 * yet has times and type but no statistics; a later pull replaces it.
 *
 * @example mapWorkouts(page).workouts[0].energyKcal // 438.035373 (1832.74 kJ)
 */
export function mapWorkouts(payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const records = recordsOf(payload, 'workout', (o) => 'id' in o && 'start' in o && 'score_state' in o);
  for (const [i, raw] of records.entries()) {
    const w = parseWhoop(WhoopWorkout, raw, `workout record ${i + 1}`);
    const startMs = Date.parse(w.start);
    const endMs = Date.parse(w.end);
    const activity = w.sport_name ?? (w.sport_id === null || w.sport_id === undefined ? null : w.sport_id);
    const type = activity === null ? 'other' : toCanonicalWorkoutType('whoop', activity).type;
    const score = w.score_state === 'SCORED' ? w.score : undefined;
    const zones = score?.zone_durations;
    batch.workouts.push({
      source: whoopSource(batch),
      externalId: w.id,
      type,
      sourceActivityType: activity === null ? null : String(activity),
      startMs,
      endMs,
      durationS: Math.max(0, endMs - startMs) / 1000,
      distanceM: score?.distance_meter ?? null,
      energyKcal:
        score?.kilojoule === null || score?.kilojoule === undefined
          ? null
          : kilojoulesToKcal(score.kilojoule),
      avgHeartRateBpm: score?.average_heart_rate ?? null,
      maxHeartRateBpm: score?.max_heart_rate ?? null,
      elevationGainM: score?.altitude_gain_meter ?? null,
      steps: null,
      utcOffsetMin: offsetMinutes(w.timezone_offset),
      statistics: score
        ? {
            whoop_strain: score.strain ?? null,
            energy_kilojoules: score.kilojoule ?? null,
            percent_recorded: score.percent_recorded ?? null,
            altitude_change_m: score.altitude_change_meter ?? null,
            ...(zones
              ? {
                  heart_rate_zone_seconds: Object.fromEntries(
                    ZONES.map((z) => [z, (zones[`zone_${z}_milli`] ?? 0) / 1000]),
                  ),
                }
              : {}),
          }
        : {},
      segments: [],
      metadata: {
        whoop_id: w.id,
        v1_id: w.v1_id ?? null,
        score_state: w.score_state,
        timezone_offset: w.timezone_offset ?? null,
      },
      route: [],
    });
  }
  return batch;
}

/** The body resource as `pull.ts` archives it: WHOOP's measurement has no time, so the pull adds one. */
export interface WhoopBodyPayload {
  /** ISO instant the measurement is filed at (the start of the UTC day it was fetched on). */
  measured_at: string;
  /** The `/v2/user/measurement/body` answer; null when the window did not reach today. */
  body: unknown;
}

/**
 * Body measurement → `height` (cm, from metres) and `weight` (kg) samples at `measured_at`. WHOOP's
 * `max_heart_rate` is a setting of the member's zones, not a measurement: it is not stored as a sample.
 *
 * @example mapBody({ measured_at: '2026-05-25T00:00:00Z', body: { height_meter: 1.8 } }).samples[0].value // 180
 */
export function mapBody(payload: unknown): CanonicalBatch {
  const batch = emptyBatch();
  const object = payload as Partial<WhoopBodyPayload> | null;
  if (object === null || typeof object !== 'object' || !('body' in object)) {
    throw new ProviderResponseError('WHOOP body payload has no "body" field');
  }
  if (object.body === null) return batch;
  const at = Date.parse(String(object.measured_at));
  if (!Number.isFinite(at)) throw new ProviderResponseError('WHOOP body payload has no valid "measured_at"');
  const body = parseWhoop(WhoopBodyMeasurement, object.body, 'body measurement');
  const source = whoopSource(batch);
  const add = (name: 'height' | 'weight', value: number | null | undefined) => {
    if (value === null || value === undefined) return;
    batch.samples.push({
      source,
      seriesTypeId: seriesType(name).id,
      startMs: at,
      durationMs: 0,
      value,
      utcOffsetMin: null,
    });
  };
  // Metres → centimetres, rounded to a micrometre so 1.8288 m is 182.88 cm, not 182.88000000000002.
  if (body.height_meter !== null && body.height_meter !== undefined)
    add('height', Math.round(body.height_meter * 100 * 1e4) / 1e4);
  add('weight', body.weight_kilogram);
  return batch;
}
