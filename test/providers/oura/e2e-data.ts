import type { OuraNotification } from '../../support/vendor-mocks/oura.ts';

/**
 * The Oura account the end-to-end test connects: one night, its day documents, a workout and three
 * heart-rate readings, three days before `nowMs` (inside every resource's historical reach), in a
 * UTC+2 time zone; plus a workout that appears later and is announced by a webhook.
 */
export function ouraDataSet(nowMs: number) {
  const DAY = 86_400_000;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const dMs = Date.parse(`${dayOf(nowMs - 3 * DAY)}T00:00:00Z`);
  const d = dayOf(dMs);
  const before = dayOf(dMs - DAY);
  const hypnogram = [
    '4'.repeat(3),
    '2'.repeat(30),
    '1'.repeat(20),
    '3'.repeat(15),
    '2'.repeat(17),
    '4'.repeat(5),
  ].join('');
  const newWorkout = {
    id: 'w-new',
    activity: 'cycling',
    day: d,
    start_datetime: `${d}T14:00:00+02:00`,
    end_datetime: `${d}T15:00:00+02:00`,
    calories: 510,
    distance: 21000,
    intensity: 'moderate',
    label: null,
    source: 'confirmed',
  };
  return {
    fromMs: dMs - 2 * DAY,
    toMs: dMs + DAY,
    firstDay: dayOf(dMs - 2 * DAY),
    lastDay: dayOf(dMs + DAY),
    newWorkout,
    newWorkoutEvent: (userId: string): OuraNotification => ({
      event_type: 'create',
      data_type: 'workout',
      object_id: newWorkout.id,
      user_id: userId,
      event_time: new Date(nowMs).toISOString(),
    }),
    documents: {
      personalInfo: { weight: 64.3, height: 1.69 },
      sleep: [
        {
          id: 'sleep-e2e',
          day: d,
          type: 'long_sleep',
          bedtime_start: `${before}T23:00:00+02:00`,
          bedtime_end: `${d}T06:30:00+02:00`,
          sleep_phase_5_min: hypnogram,
          hrv: { interval: 300, items: [44, null, 39], timestamp: `${before}T23:00:00.000+02:00` },
          average_breath: 14.25,
          lowest_heart_rate: 50,
          time_in_bed: 27000,
          period: 0,
          low_battery_alert: false,
        },
      ],
      daily_sleep: [
        {
          id: 'ds-e2e',
          day: d,
          score: 81,
          contributors: { deep_sleep: 70, efficiency: 90 },
          timestamp: `${d}T00:00:00+02:00`,
        },
      ],
      daily_readiness: [
        {
          id: 'dr-e2e',
          day: d,
          score: 74,
          contributors: { hrv_balance: 66, resting_heart_rate: 80 },
          temperature_deviation: -0.3,
          temperature_trend_deviation: 0.05,
          timestamp: `${d}T00:00:00+02:00`,
        },
      ],
      daily_activity: [
        {
          id: 'da-e2e',
          day: d,
          timestamp: `${d}T04:00:00+02:00`,
          score: 88,
          contributors: { stay_active: 92 },
          steps: 8123,
          active_calories: 450,
          total_calories: 2400,
          met: { interval: 60, items: [], timestamp: `${d}T04:00:00.000+02:00` },
        },
      ],
      daily_spo2: [
        { id: 'o2-e2e', day: d, spo2_percentage: { average: 97.5 }, breathing_disturbance_index: null },
      ],
      workout: [
        {
          id: 'w-run',
          activity: 'running',
          day: d,
          start_datetime: `${d}T17:00:00+02:00`,
          end_datetime: `${d}T17:40:00+02:00`,
          calories: 390,
          distance: 5012.5,
          intensity: 'hard',
          label: null,
          source: 'autodetected',
        },
      ],
      heartrate: [58, 61, 64].map((bpm, i) => ({
        bpm,
        source: 'awake',
        timestamp: new Date(dMs + 10 * 3_600_000 + i * 300_000).toISOString().replace('Z', '+00:00'),
      })),
    },
  };
}
