import { randomUUID } from 'node:crypto';

/**
 * Builders of WHOOP API v2 records (the shapes of WHOOP's OpenAPI v2), for the WHOOP mock's data set and
 * the mapper tests. Times are ISO strings in UTC with a separate `timezone_offset`, as WHOOP sends them.
 */

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface WhoopNight {
  cycle: Record<string, unknown>;
  sleep: Record<string, unknown>;
  recovery: Record<string, unknown>;
}

/**
 * One night and the cycle it starts: a sleep from `sleepStartMs` lasting `hours` (stage totals that add
 * up to its span), the cycle starting with it (ended 24 h later unless `current`), and its recovery.
 *
 * @example whoopNight({ userId: 10129, cycleId: 1, sleepStartMs: Date.parse('2026-05-24T03:18:00Z') })
 */
export function whoopNight(o: {
  userId: number;
  cycleId: number;
  sleepStartMs: number;
  hours?: number;
  offset?: string;
  current?: boolean;
  scoreState?: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  recoveryScore?: number;
  hrvRmssdMs?: number;
  skinTempC?: number | null;
  spo2?: number | null;
}): WhoopNight {
  const hours = o.hours ?? 7.5;
  const span = hours * HOUR;
  const sleepId = randomUUID();
  const offset = o.offset ?? '-04:00';
  const state = o.scoreState ?? 'SCORED';
  const endMs = o.sleepStartMs + span;
  const awake = Math.round(span * 0.05);
  const light = Math.round(span * 0.5);
  const deep = Math.round(span * 0.2);
  const rem = span - awake - light - deep;
  const sleep = {
    id: sleepId,
    cycle_id: o.cycleId,
    v1_id: null,
    user_id: o.userId,
    created_at: iso(endMs + 60_000),
    updated_at: iso(endMs + 120_000),
    start: iso(o.sleepStartMs),
    end: iso(endMs),
    timezone_offset: offset,
    nap: false,
    score_state: state,
    ...(state === 'SCORED'
      ? {
          score: {
            stage_summary: {
              total_in_bed_time_milli: span,
              total_awake_time_milli: awake,
              total_no_data_time_milli: 0,
              total_light_sleep_time_milli: light,
              total_slow_wave_sleep_time_milli: deep,
              total_rem_sleep_time_milli: rem,
              sleep_cycle_count: 4,
              disturbance_count: 6,
            },
            sleep_needed: {
              baseline_milli: 27_395_716,
              need_from_sleep_debt_milli: 1_200_000,
              need_from_recent_strain_milli: 850_000,
              need_from_recent_nap_milli: 0,
            },
            respiratory_rate: 15.86,
            sleep_performance_percentage: 94.1,
            sleep_consistency_percentage: 78,
            sleep_efficiency_percentage: 94.9,
          },
        }
      : {}),
  };
  const cycle = {
    id: o.cycleId,
    user_id: o.userId,
    created_at: iso(o.sleepStartMs + 60_000),
    updated_at: iso(endMs),
    start: iso(o.sleepStartMs),
    ...(o.current ? {} : { end: iso(o.sleepStartMs + 24 * HOUR) }),
    timezone_offset: offset,
    score_state: state,
    ...(state === 'SCORED'
      ? { score: { strain: 12.5, kilojoule: 8368, average_heart_rate: 68, max_heart_rate: 141 } }
      : {}),
  };
  const recovery = {
    cycle_id: o.cycleId,
    sleep_id: sleepId,
    user_id: o.userId,
    created_at: iso(endMs + 60_000),
    updated_at: iso(endMs + 60_000),
    score_state: state,
    ...(state === 'SCORED'
      ? {
          score: {
            user_calibrating: false,
            recovery_score: o.recoveryScore ?? 72,
            resting_heart_rate: 51,
            hrv_rmssd_milli: o.hrvRmssdMs ?? 68.4,
            ...(o.spo2 === null ? {} : { spo2_percentage: o.spo2 ?? 96.5 }),
            ...(o.skinTempC === null ? {} : { skin_temp_celsius: o.skinTempC ?? 33.4 }),
          },
        }
      : {}),
  };
  return { cycle, sleep, recovery };
}

/** A scored WHOOP workout (v2: UUID id, `sport_name`, energy in kilojoules). */
export function whoopWorkout(o: {
  userId: number;
  startMs: number;
  minutes?: number;
  sportName?: string;
  kilojoule?: number;
  distanceMeter?: number | null;
  offset?: string;
  scoreState?: 'SCORED' | 'PENDING_SCORE';
  id?: string;
}): Record<string, unknown> {
  const endMs = o.startMs + (o.minutes ?? 45) * 60_000;
  return {
    id: o.id ?? randomUUID(),
    v1_id: null,
    user_id: o.userId,
    created_at: iso(endMs + 60_000),
    updated_at: iso(endMs + 120_000),
    start: iso(o.startMs),
    end: iso(endMs),
    timezone_offset: o.offset ?? '-04:00',
    sport_name: o.sportName ?? 'running',
    score_state: o.scoreState ?? 'SCORED',
    ...(o.scoreState === 'PENDING_SCORE'
      ? {}
      : {
          score: {
            strain: 11.2,
            average_heart_rate: 150,
            max_heart_rate: 176,
            kilojoule: o.kilojoule ?? 2092,
            percent_recorded: 100,
            ...(o.distanceMeter === null ? {} : { distance_meter: o.distanceMeter ?? 8000 }),
            altitude_gain_meter: 42,
            altitude_change_meter: -1,
            zone_durations: {
              zone_zero_milli: 0,
              zone_one_milli: 300_000,
              zone_two_milli: 600_000,
              zone_three_milli: 900_000,
              zone_four_milli: 600_000,
              zone_five_milli: 300_000,
            },
          },
        }),
  };
}
