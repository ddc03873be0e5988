import { z } from 'zod';
import { ProviderResponseError } from '../errors.ts';

/**
 * WHOOP API v2 record shapes (OpenAPI v2 `#/components/schemas`), as loose as WHOOP's optional fields
 * and as strict as the mappers need: ids, times and the fields a value is read from. Unknown fields pass
 * (WHOOP adds fields without a version bump); a missing id or an unparsable time is a clear error.
 */

const Instant = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not an ISO-8601 date-time');
/** `+hh:mm`, `-hh:mm` or `Z` (WHOOP's `timezone_offset`); `start`/`end` themselves are UTC. */
const Offset = z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/, 'not a "+hh:mm", "-hh:mm" or "Z" offset');
const ScoreState = z.enum(['SCORED', 'PENDING_SCORE', 'UNSCORABLE']);
const Num = z.number().finite();

export const WhoopCycle = z.looseObject({
  id: z.number().int(),
  user_id: z.number().int().optional(),
  start: Instant,
  /** Absent for the cycle in progress. */
  end: Instant.nullish(),
  timezone_offset: Offset.nullish(),
  score_state: ScoreState,
  score: z
    .looseObject({
      strain: Num,
      kilojoule: Num.nullish(),
      average_heart_rate: Num.nullish(),
      max_heart_rate: Num.nullish(),
    })
    .nullish(),
});
export type WhoopCycle = z.infer<typeof WhoopCycle>;

export const WhoopRecovery = z.looseObject({
  cycle_id: z.number().int(),
  sleep_id: z.string().nullish(),
  user_id: z.number().int().optional(),
  created_at: Instant.nullish(),
  updated_at: Instant.nullish(),
  score_state: ScoreState,
  score: z
    .looseObject({
      user_calibrating: z.boolean().nullish(),
      recovery_score: Num,
      resting_heart_rate: Num.nullish(),
      hrv_rmssd_milli: Num.nullish(),
      /** WHOOP 4.0 hardware only. */
      spo2_percentage: Num.nullish(),
      /** WHOOP 4.0 hardware only; an absolute skin temperature, not a deviation from baseline. */
      skin_temp_celsius: Num.nullish(),
    })
    .nullish(),
});
export type WhoopRecovery = z.infer<typeof WhoopRecovery>;

export const WhoopSleep = z.looseObject({
  id: z.string().min(1),
  cycle_id: z.number().int().nullish(),
  user_id: z.number().int().optional(),
  start: Instant,
  end: Instant,
  timezone_offset: Offset.nullish(),
  nap: z.boolean().nullish(),
  score_state: ScoreState,
  score: z
    .looseObject({
      stage_summary: z
        .looseObject({
          total_in_bed_time_milli: Num.nullish(),
          total_awake_time_milli: Num.nullish(),
          total_no_data_time_milli: Num.nullish(),
          total_light_sleep_time_milli: Num.nullish(),
          total_slow_wave_sleep_time_milli: Num.nullish(),
          total_rem_sleep_time_milli: Num.nullish(),
          sleep_cycle_count: Num.nullish(),
          disturbance_count: Num.nullish(),
        })
        .nullish(),
      sleep_needed: z.record(z.string(), Num.nullish()).nullish(),
      respiratory_rate: Num.nullish(),
      sleep_performance_percentage: Num.nullish(),
      sleep_consistency_percentage: Num.nullish(),
      sleep_efficiency_percentage: Num.nullish(),
    })
    .nullish(),
});
export type WhoopSleep = z.infer<typeof WhoopSleep>;

export const WhoopWorkout = z.looseObject({
  /** v2: a UUID. (The v1 integer id survives as `v1_id` until WHOOP drops it.) */
  id: z.string().min(1),
  v1_id: z.number().int().nullish(),
  user_id: z.number().int().optional(),
  start: Instant,
  end: Instant,
  timezone_offset: Offset.nullish(),
  sport_name: z.string().nullish(),
  /** Gone after 2025-09-01; read only when `sport_name` is missing. */
  sport_id: z.number().int().nullish(),
  score_state: ScoreState,
  score: z
    .looseObject({
      strain: Num.nullish(),
      average_heart_rate: Num.nullish(),
      max_heart_rate: Num.nullish(),
      kilojoule: Num.nullish(),
      percent_recorded: Num.nullish(),
      distance_meter: Num.nullish(),
      altitude_gain_meter: Num.nullish(),
      altitude_change_meter: Num.nullish(),
      zone_durations: z.record(z.string(), Num.nullish()).nullish(),
    })
    .nullish(),
});
export type WhoopWorkout = z.infer<typeof WhoopWorkout>;

export const WhoopBodyMeasurement = z.looseObject({
  height_meter: Num.nullish(),
  weight_kilogram: Num.nullish(),
  max_heart_rate: Num.nullish(),
});
export type WhoopBodyMeasurement = z.infer<typeof WhoopBodyMeasurement>;

export const WhoopProfile = z.looseObject({ user_id: z.number().int() });

/** One page of a v2 collection: `next_token` (snake_case) names the next page, null/absent on the last. */
export const WhoopPage = z.looseObject({
  records: z.array(z.unknown()),
  next_token: z.string().nullish(),
});
export type WhoopPage = z.infer<typeof WhoopPage>;

/**
 * Parses `value` with `schema`, or throws a `ProviderResponseError` naming what and where: a malformed
 * vendor answer fails its run with a message instead of a TypeError deep in a mapper.
 *
 * @example parseWhoop(WhoopSleep, record, 'sleep record 3')
 */
export function parseWhoop<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  throw new ProviderResponseError(`WHOOP ${what} is malformed: ${problems}`);
}
