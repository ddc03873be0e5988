import { z } from 'zod';
import { toCanonicalWorkoutType } from '../../catalog/workout-types.ts';
import type { CanonicalBatch, CanonicalRoutePoint } from '../../health-data/canonical.ts';
import { finite, parsePayload, polarBatch, series, snakeKeys } from './common.ts';
import { MINUTE, parseIsoDurationMs, parseLocal } from './time.ts';

/**
 * Polar exercises → workouts (+ their heart-rate, speed, cadence, altitude, power and RR samples, the
 * route, heart-rate zones). `start_time` is the training computer's local time with
 * `start_time_utc_offset` in minutes; `duration` is ISO-8601; distance metres; calories kcal.
 */

const Zone = z.looseObject({
  index: z.number().optional(),
  lower_limit: z.number().nullish(),
  upper_limit: z.number().nullish(),
  in_zone: z.string().nullish(),
});
const Sample = z.looseObject({
  recording_rate: z.number().nullish(),
  sample_type: z.union([z.string(), z.number()]),
  data: z.string().nullish(),
});
const Location = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  time: z.string(),
});
const Exercise = z.looseObject({
  id: z.union([z.string().min(1), z.number()]),
  upload_time: z.string().nullish(),
  device: z.string().nullish(),
  device_id: z.string().nullish(),
  start_time: z.string(),
  start_time_utc_offset: z.number().int().nullish(),
  duration: z.string(),
  calories: z.number().nullish(),
  distance: z.number().nullish(),
  heart_rate: z.looseObject({ average: z.number().nullish(), maximum: z.number().nullish() }).nullish(),
  training_load: z.number().nullish(),
  sport: z.string().nullish(),
  detailed_sport_info: z.string().nullish(),
  has_route: z.boolean().nullish(),
  heart_rate_zones: z.array(Zone).nullish(),
  samples: z.array(Sample).nullish(),
  route: z.array(Location).nullish(),
});
type Exercise = z.infer<typeof Exercise>;

/**
 * AccessLink sample types (Polar's docs: "exercise sample types"): the ones with a canonical series,
 * with the factor into its unit. Others (pedalling index, L/R balance, air pressure, running cadence
 * in steps/min, temperature, cumulative distance) have no series and stay out.
 */
const SAMPLE_SERIES = {
  '0': { name: 'heart_rate', factor: 1 },
  '1': { name: 'speed', factor: 1 / 3.6 }, // km/h → m/s
  '2': { name: 'cadence', factor: 1 }, // rpm
  '3': { name: 'elevation', factor: 1 }, // m
  '4': { name: 'power', factor: 1 }, // W
} as const;
const RR_INTERVAL = '11';

export function mapExercises(payload: unknown): CanonicalBatch {
  const raw = snakeKeys(payload);
  const list = parsePayload(z.array(Exercise), Array.isArray(raw) ? raw : [raw], 'exercise');
  const { batch, sourceOf } = polarBatch();
  for (const exercise of list) mapOne(batch, sourceOf(exercise.device), exercise);
  return batch;
}

function mapOne(batch: CanonicalBatch, source: number, e: Exercise): void {
  const local = parseLocal(e.start_time);
  // The payload's own offset field wins; a start time that carries an offset is the fallback.
  const offset = e.start_time_utc_offset ?? local.offsetMin;
  const startMs = local.localMs - (offset ?? 0) * MINUTE;
  const durationMs = parseIsoDurationMs(e.duration);
  const sportName = e.detailed_sport_info ?? e.sport ?? 'OTHER';
  const sport = toCanonicalWorkoutType('polar', sportName);
  const statistics: Record<string, unknown> = {};
  if (e.training_load != null) statistics.training_load = e.training_load;
  const extra = e as Record<string, unknown>;
  for (const key of ['running_index', 'fat_percentage', 'carbohydrate_percentage', 'protein_percentage'])
    if (finite(extra[key]) !== null) statistics[key] = finite(extra[key]);
  if (extra.training_load_pro !== undefined && extra.training_load_pro !== null)
    statistics.training_load_pro = extra.training_load_pro;
  if (e.heart_rate_zones != null)
    statistics.heart_rate_zones = e.heart_rate_zones.map((z) => ({
      index: z.index ?? null,
      lower_bpm: z.lower_limit ?? null,
      upper_bpm: z.upper_limit ?? null,
      seconds: z.in_zone == null ? null : parseIsoDurationMs(z.in_zone) / 1000,
    }));
  batch.workouts.push({
    source,
    externalId: String(e.id),
    type: sport.type,
    sourceActivityType: sportName,
    startMs,
    endMs: startMs + durationMs,
    durationS: durationMs / 1000,
    distanceM: e.distance ?? null,
    energyKcal: e.calories ?? null,
    avgHeartRateBpm: e.heart_rate?.average ?? null,
    maxHeartRateBpm: e.heart_rate?.maximum ?? null,
    elevationGainM: null,
    steps: null,
    utcOffsetMin: offset,
    statistics,
    segments: [],
    metadata: {
      sport: e.sport ?? null,
      detailed_sport_info: e.detailed_sport_info ?? null,
      sport_mapping_exact: sport.exact,
      device_id: e.device_id ?? null,
      upload_time: e.upload_time ?? null,
      has_route: e.has_route ?? null,
    },
    route: (e.route ?? []).map(
      (p): CanonicalRoutePoint => ({
        timeMs: startMs + parseIsoDurationMs(p.time),
        latitude: p.latitude,
        longitude: p.longitude,
        altitudeM: null,
      }),
    ),
  });
  for (const s of e.samples ?? []) pushSamples(batch, source, startMs, offset, s);
}

function pushSamples(
  batch: CanonicalBatch,
  source: number,
  startMs: number,
  offset: number | null,
  s: z.infer<typeof Sample>,
): void {
  const type = String(s.sample_type);
  const values = (s.data ?? '').split(',').map(finite);
  if (type === RR_INTERVAL) {
    // RR data has no recording rate: each interval ends one beat after the previous one.
    let at = startMs;
    for (const rr of values) {
      if (rr === null) continue;
      at += rr;
      batch.samples.push({
        source,
        seriesTypeId: series('rr_interval'),
        startMs: at,
        durationMs: 0,
        value: rr,
        utcOffsetMin: offset,
      });
    }
    return;
  }
  const target = SAMPLE_SERIES[type as keyof typeof SAMPLE_SERIES];
  const rate = s.recording_rate;
  if (target === undefined || rate == null || rate <= 0) return;
  values.forEach((v, i) => {
    // `null` (or an empty item) is a moment the sensor was offline.
    if (v === null) return;
    batch.samples.push({
      source,
      seriesTypeId: series(target.name),
      startMs: startMs + i * rate * 1000,
      durationMs: 0,
      value: v * target.factor,
      utcOffsetMin: offset,
    });
  });
}
