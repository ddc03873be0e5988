/**
 * Payload builders for the local Polar mock, in AccessLink v3 shapes (snake_case `/v3/exercises`,
 * sleep with an offset-carrying start/end and clock-keyed maps, recharges, daily activity with step
 * samples, continuous heart rate). Small defaults; tests override what they assert.
 */

export type PolarRecord = Record<string, unknown>;

/** An exercise; `start_time` is local time, `start_time_utc_offset` minutes. */
export function polarExercise(o: {
  id: string;
  start: string;
  offsetMin: number;
  duration: string;
  sport?: string;
  detailed?: string;
  distanceM?: number;
  kcal?: number;
  hr?: { average: number; maximum: number };
  hrSamples?: number[];
  uploadTime?: string;
}): PolarRecord {
  return {
    id: o.id,
    upload_time: o.uploadTime ?? new Date().toISOString(),
    polar_user: 'https://www.polaraccesslink.com/v3/users/1',
    device: 'Polar Vantage V3',
    device_id: 'A1B2C3D4',
    start_time: o.start,
    start_time_utc_offset: o.offsetMin,
    duration: o.duration,
    calories: o.kcal ?? 500,
    distance: o.distanceM ?? 10_000,
    heart_rate: o.hr ?? { average: 140, maximum: 170 },
    training_load: 120.5,
    sport: o.sport ?? 'RUNNING',
    detailed_sport_info: o.detailed ?? o.sport ?? 'RUNNING',
    has_route: false,
    heart_rate_zones: [{ index: 1, 'lower-limit': 110, 'upper-limit': 130, 'in-zone': 'PT10M4.5S' }],
    samples: [{ 'recording-rate': 5, 'sample-type': '0', data: (o.hrSamples ?? [120, 130, 140]).join(',') }],
  };
}

/** A night: `start`/`end` with offset (`2026-11-30T23:10:00+02:00`), hypnogram and HR clock maps. */
export function polarNight(o: {
  date: string;
  start: string;
  end: string;
  score?: number;
  hypnogram?: Record<string, number>;
  heartRate?: Record<string, number>;
}): PolarRecord {
  return {
    polar_user: 'https://www.polaraccesslink.com/v3/users/1',
    date: o.date,
    sleep_start_time: o.start,
    sleep_end_time: o.end,
    device_id: 'A1B2C3D4',
    continuity: 3.1,
    continuity_class: 3,
    light_sleep: 12_000,
    deep_sleep: 5_000,
    rem_sleep: 6_000,
    unrecognized_sleep_stage: 0,
    sleep_score: o.score ?? 82,
    total_interruption_duration: 900,
    sleep_charge: 3,
    sleep_goal: 28_800,
    sleep_rating: 0,
    short_interruption_duration: 600,
    long_interruption_duration: 300,
    sleep_cycles: 5,
    group_duration_score: 90,
    group_solidity_score: 70,
    group_regeneration_score: 60,
    hypnogram: o.hypnogram ?? {},
    heart_rate_samples: o.heartRate ?? {},
  };
}

export function polarRecharge(o: {
  date: string;
  status?: number;
  ansCharge?: number;
  hrv?: Record<string, number>;
  breathing?: Record<string, number>;
}): PolarRecord {
  return {
    polar_user: 'https://www.polaraccesslink.com/v3/users/1',
    date: o.date,
    heart_rate_avg: 55,
    beat_to_beat_avg: 1090,
    heart_rate_variability_avg: 42,
    breathing_rate_avg: 14.2,
    nightly_recharge_status: o.status ?? 4,
    ans_charge: o.ansCharge ?? 2.5,
    ans_charge_status: 3,
    hrv_samples: o.hrv ?? {},
    breathing_samples: o.breathing ?? {},
  };
}

/** A day of activity (`/v3/users/activities`): totals, and step samples per minute when given. */
export function polarActivityDay(o: {
  date: string;
  steps: number;
  calories?: number;
  activeCalories?: number;
  stepSamples?: { time: string; steps: number }[];
}): PolarRecord {
  return {
    start_time: `${o.date}T00:00:00`,
    end_time: `${o.date}T23:59:59`,
    active_duration: 'PT1H15M',
    inactive_duration: 'PT12H',
    daily_activity: 80.5,
    calories: o.calories ?? 2300,
    active_calories: o.activeCalories ?? 550,
    steps: o.steps,
    inactivity_alert_count: 0,
    distance_from_steps: o.steps * 0.7,
    samples: {
      date: o.date,
      steps: {
        interval_ms: 60_000,
        total_steps: o.steps,
        samples: (o.stepSamples ?? []).map((s) => ({ steps: s.steps, timestamp: `${o.date}T${s.time}` })),
      },
    },
  };
}

export function polarHeartRateDay(date: string, samples: [time: string, bpm: number][]): PolarRecord {
  return {
    polar_user: 'https://www.polaraccesslink.com/v3/users/1',
    date,
    heart_rate_samples: samples.map(([sample_time, heart_rate]) => ({ heart_rate, sample_time })),
  };
}
