import { GARMIN_MOCK_OFFSET_S, hasActivity, summariesFor } from '../../support/vendor-mocks/garmin-data.ts';

/**
 * What the Garmin end-to-end test expects to read back for one day, computed from the mock's
 * deterministic generator (the same functions the mock delivers from), so the assertions are the
 * values Garmin "sent", not numbers copied from a run.
 */

const DAY = 86_400_000;
type Json = Record<string, unknown>;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A day two to five days back that has an activity (the mock runs on even days of the month). */
export function pickActivityDay(nowMs: number): string {
  for (let back = 2; back <= 5; back++) {
    const day = dayOf(nowMs - back * DAY);
    if (hasActivity(day)) return day;
  }
  throw new Error('no activity day found');
}

const only = (user: string, day: string, key: string): Json => {
  const item = summariesFor(user, day, key)[0];
  if (item === undefined) throw new Error(`the mock has no ${key} for ${day}`);
  return item;
};

export function garminExpectations(user: string, day: string) {
  const activity = only(user, day, 'activities');
  const details = only(user, day, 'activityDetails');
  const sleep = only(user, day, 'sleeps');
  const daily = only(user, day, 'dailies');
  const stress = only(user, day, 'stressDetails');
  const epochs = summariesFor(user, day, 'epochs');

  const levels = sleep.sleepLevelsMap as Record<
    string,
    { startTimeInSeconds: number; endTimeInSeconds: number }[]
  >;
  const spans = Object.entries(levels).flatMap(([stage, list]) => list.map((s) => ({ stage, ...s })));
  spans.sort((a, b) => a.startTimeInSeconds - b.startTimeInSeconds);
  /** Stage minutes as the read API gives them (one decimal). */
  const minutes = (stage: string) =>
    Math.round(
      spans
        .filter((s) => s.stage === stage)
        .reduce((t, s) => t + s.endTimeInSeconds - s.startTimeInSeconds, 0) / 6,
    ) / 10;
  const last = spans[spans.length - 1] as (typeof spans)[number];

  const stressStart = stress.startTimeInSeconds as number;
  const offsets = (map: unknown) =>
    Object.entries(map as Record<string, number>).map(([o, v]) => ({ at: iso(stressStart + Number(o)), v }));
  return {
    workout: {
      start_time: iso(activity.startTimeInSeconds as number),
      duration_seconds: activity.durationInSeconds as number,
      distance_meters: activity.distanceInMeters as number,
      calories_kcal: activity.activeKilocalories as number,
      avg_heart_rate_bpm: activity.averageHeartRateInBeatsPerMinute as number,
      max_heart_rate_bpm: activity.maxHeartRateInBeatsPerMinute as number,
      utc_offset_minutes: GARMIN_MOCK_OFFSET_S / 60,
      route_points: (details.samples as unknown[]).length,
    },
    /** The night before `day`: from its first stage to the end of the final awake period. */
    sleep: {
      start_time: iso(sleep.startTimeInSeconds as number),
      end_time: iso(last.endTimeInSeconds),
      lastStage: last.stage,
      duration_seconds: last.endTimeInSeconds - (sleep.startTimeInSeconds as number),
      stages: {
        awake_minutes: minutes('awake'),
        light_minutes: minutes('light'),
        deep_minutes: minutes('deep'),
        rem_minutes: minutes('rem'),
        unknown_minutes: 0,
      },
      score: (sleep.overallSleepScore as { value: number }).value,
    },
    stressScore: daily.averageStressLevel as number,
    /** Stress levels of the hour (Garmin's negative codes are not levels) and Body Battery. */
    stressLevels: offsets(stress.timeOffsetStressLevelValues).filter((p) => p.v >= 0),
    bodyBattery: offsets(stress.timeOffsetBodyBatteryValues),
    stressWindow: { from: iso(stressStart), to: iso(stressStart + (stress.durationInSeconds as number)) },
    /** Steps per 15-minute epoch (one record per slice in the mock). */
    epochSteps: epochs.map((e) => ({ at: iso(e.startTimeInSeconds as number), v: e.steps as number })),
    epochWindow: {
      from: iso(epochs[0]?.startTimeInSeconds as number),
      to: iso((epochs[epochs.length - 1]?.startTimeInSeconds as number) + 900),
    },
  };
}
