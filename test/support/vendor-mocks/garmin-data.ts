import { createHash } from 'node:crypto';

/**
 * Deterministic Garmin summaries for the local mock: for a user and a UTC day, what each list key holds,
 * in the shapes of Garmin's Health/Activity API docs (epoch seconds, `startTimeOffsetInSeconds`,
 * `calendarDate`, `summaryId`). The same (user, day, key) always yields the same items, so a test can
 * compute what a delivery must have carried and assert the stored records against it.
 *
 * @example summariesFor('u1', '2026-11-30', 'sleeps') // [{ userId: 'u1', summaryId: 'u1-sleeps-2026-11-30', … }]
 */

type Json = Record<string, unknown>;
const DAY_S = 86_400;
/** The simulated device shows UTC+1 (Garmin's display offset, not a time zone). */
export const GARMIN_MOCK_OFFSET_S = 3600;

/** A stable number in [0, 1) for (user, day, what). */
function unit(...parts: string[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32BE(0) / 2 ** 32;
}
const between = (lo: number, hi: number, ...parts: string[]) => Math.round(lo + (hi - lo) * unit(...parts));
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Activities happen every other day (even day-of-month), so windows have days with and without. */
export const hasActivity = (day: string) => Number(day.slice(8, 10)) % 2 === 0;

type Generator = (user: string, day: string) => Json[];

const base = (user: string, key: string, day: string, suffix = '') => ({
  userId: user,
  summaryId: `${user}-${key}-${day}${suffix}`,
});

const dailies: Generator = (user, day) => {
  const start = dayStart(day) - GARMIN_MOCK_OFFSET_S;
  const hr: Record<string, number> = {};
  for (let s = 0; s < 3600; s += 15) hr[String(8 * 3600 + s)] = between(58, 96, user, day, 'hr', String(s));
  return [
    {
      ...base(user, 'dailies', day),
      calendarDate: day,
      startTimeInSeconds: start,
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: DAY_S,
      activityType: 'WALKING',
      steps: between(3000, 14000, user, day, 'steps'),
      distanceInMeters: between(2000, 11000, user, day, 'dist'),
      activeKilocalories: between(200, 900, user, day, 'kcal'),
      bmrKilocalories: 1650,
      floorsClimbed: between(0, 20, user, day, 'floors'),
      minHeartRateInBeatsPerMinute: 52,
      maxHeartRateInBeatsPerMinute: 150,
      restingHeartRateInBeatsPerMinute: between(50, 62, user, day, 'rhr'),
      averageStressLevel: between(20, 60, user, day, 'stress'),
      maxStressLevel: 90,
      stressQualifier: 'balanced',
      bodyBatteryChargedValue: between(30, 70, user, day, 'bbc'),
      bodyBatteryDrainedValue: between(30, 70, user, day, 'bbd'),
      timeOffsetHeartRateSamples: hr,
    },
  ];
};

/** Eight 15-minute slices from 08:00 local; the last one is WALKING, the rest SEDENTARY/ACTIVE. */
const epochs: Generator = (user, day) =>
  Array.from({ length: 8 }, (_, i) => {
    const start = dayStart(day) - GARMIN_MOCK_OFFSET_S + 8 * 3600 + i * 900;
    const active = unit(user, day, 'epoch', String(i)) > 0.5;
    return {
      ...base(user, 'epochs', day, `-${i}`),
      startTimeInSeconds: start,
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 900,
      activityType: i === 7 ? 'WALKING' : active ? 'ACTIVE' : 'SEDENTARY',
      activeKilocalories: active ? between(5, 30, user, day, 'ekcal', String(i)) : 1,
      steps: active ? between(100, 1500, user, day, 'esteps', String(i)) : 0,
      distanceInMeters: active ? between(80, 1100, user, day, 'edist', String(i)) : 0,
      met: active ? 3.2 : 1.0,
      intensity: active ? 'ACTIVE' : 'SEDENTARY',
      meanMotionIntensity: active ? 3 : 0,
      maxMotionIntensity: active ? 6 : 1,
    };
  });

/** Night before `day` 23:00 local → stages until ~06:40, ending with an awake period (session end). */
const sleeps: Generator = (user, day) => {
  const start = dayStart(day) - GARMIN_MOCK_OFFSET_S - 3600;
  const plan: [string, number][] = [
    ['light', 1800],
    ['deep', 3600 + between(0, 1800, user, day, 'deep')],
    ['rem', 2700],
    ['light', 5400],
    ['rem', 1800],
    ['light', 3600],
    ['awake', 600],
  ];
  const levels: Record<string, { startTimeInSeconds: number; endTimeInSeconds: number }[]> = {};
  let t = start;
  const totals: Record<string, number> = {};
  for (const [stage, length] of plan) {
    levels[stage] = [...(levels[stage] ?? []), { startTimeInSeconds: t, endTimeInSeconds: t + length }];
    totals[stage] = (totals[stage] ?? 0) + length;
    t += length;
  }
  return [
    {
      ...base(user, 'sleeps', day),
      calendarDate: day,
      startTimeInSeconds: start,
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      // Excludes awake time, as Garmin's does: start + duration is not the session end.
      durationInSeconds: t - start - (totals.awake ?? 0),
      deepSleepDurationInSeconds: totals.deep,
      lightSleepDurationInSeconds: totals.light,
      remSleepInSeconds: totals.rem,
      awakeDurationInSeconds: totals.awake,
      unmeasurableSleepDurationInSeconds: 0,
      sleepLevelsMap: levels,
      validation: 'ENHANCED_FINAL',
      overallSleepScore: { value: between(55, 95, user, day, 'score'), qualifierKey: 'GOOD' },
    },
  ];
};

const at = (day: string, hour: number) => dayStart(day) - GARMIN_MOCK_OFFSET_S + hour * 3600;

const GENERATORS: Record<string, Generator> = {
  dailies,
  epochs,
  sleeps,
  bodyComps: (user, day) => [
    {
      ...base(user, 'bodyComps', day),
      measurementTimeInSeconds: at(day, 7),
      measurementTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      weightInGrams: 70_000 + between(0, 2000, user, day, 'w'),
      bodyFatInPercent: 18.5,
      muscleMassInGrams: 31_000,
      boneMassInGrams: 3200,
      bodyWaterInPercent: 55.1,
      bodyMassIndex: 22.4,
    },
  ],
  stressDetails: (user, day) => {
    const stress: Record<string, number> = {};
    const battery: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      // One 3-minute value off wrist (-1): a code, not a stress level.
      stress[String(i * 180)] = i === 5 ? -1 : between(10, 80, user, day, 'st', String(i));
      battery[String(i * 180)] = 80 - i;
    }
    return [
      {
        ...base(user, 'stressDetails', day),
        calendarDate: day,
        startTimeInSeconds: at(day, 9),
        startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
        durationInSeconds: 3600,
        timeOffsetStressLevelValues: stress,
        timeOffsetBodyBatteryValues: battery,
      },
    ];
  },
  userMetrics: (user, day) => [
    { ...base(user, 'userMetrics', day), calendarDate: day, vo2Max: 48, fitnessAge: 33, enhanced: true },
  ],
  pulseox: (user, day) => [
    {
      ...base(user, 'pulseox', day),
      calendarDate: day,
      startTimeInSeconds: at(day, 1),
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 300,
      timeOffsetSpo2Values: { 0: 96, 60: 95, 120: 97, 180: 96, 240: 94 },
      onDemand: false,
    },
  ],
  allDayRespiration: (user, day) => [
    {
      ...base(user, 'allDayRespiration', day),
      startTimeInSeconds: at(day, 2),
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 900,
      timeOffsetEpochToBreaths: { 0: 14.0, 60: 13.5, 120: 14.5 },
    },
  ],
  healthSnapshot: (user, day) => [
    {
      ...base(user, 'healthSnapshot', day),
      calendarDate: day,
      startTimeInSeconds: at(day, 12),
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 120,
      summaries: [
        {
          summaryType: 'heart_rate',
          minValue: 60,
          maxValue: 72,
          avgValue: 66,
          epochSummaries: { 0: 65, 60: 67 },
        },
        { summaryType: 'spo2', minValue: 95, maxValue: 98, avgValue: 97, epochSummaries: { 0: 97, 60: 96 } },
      ],
    },
  ],
  hrv: (user, day) => [
    {
      ...base(user, 'hrv', day),
      calendarDate: day,
      startTimeInSeconds: at(day, 0),
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 1800,
      lastNightAvg: between(35, 70, user, day, 'hrv'),
      lastNight5MinHigh: 90,
      hrvValues: { 0: 41, 300: 45, 600: 52, 900: 48 },
    },
  ],
  bloodPressures: (user, day) => [
    {
      ...base(user, 'bloodPressures', day),
      measurementTimeInSeconds: at(day, 8),
      measurementTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      systolic: between(110, 130, user, day, 'sys'),
      diastolic: between(70, 85, user, day, 'dia'),
      pulse: 64,
      sourceType: 'MANUAL',
    },
  ],
  skinTemp: (user, day) => [
    {
      ...base(user, 'skinTemp', day),
      calendarDate: day,
      startTimeInSeconds: at(day, -1),
      startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 27_000,
      avgDeviationCelsius: Number((unit(user, day, 'skin') - 0.5).toFixed(2)),
    },
  ],
  activities: (user, day) => (hasActivity(day) ? [activity(user, day)] : []),
  activityDetails: (user, day) => (hasActivity(day) ? [activityDetail(user, day)] : []),
  moveIQActivities: (user, day) => [
    {
      ...base(user, 'moveIQActivities', day),
      calendarDate: day,
      startTimeInSeconds: at(day, 17),
      offsetInSeconds: GARMIN_MOCK_OFFSET_S,
      durationInSeconds: 1200,
      activityType: 'Walking',
      activitySubType: 'Walking',
    },
  ],
};

const activityId = (user: string, day: string) => 9_000_000 + between(0, 999_999, user, day, 'activity');

function activity(user: string, day: string): Json {
  return {
    userId: user,
    summaryId: String(activityId(user, day)),
    activityId: activityId(user, day),
    activityName: 'Morning Run',
    activityType: 'RUNNING',
    deviceName: 'forerunner965',
    startTimeInSeconds: at(day, 7),
    startTimeOffsetInSeconds: GARMIN_MOCK_OFFSET_S,
    durationInSeconds: 1800,
    distanceInMeters: 5000 + between(0, 1000, user, day, 'adist'),
    activeKilocalories: 380,
    averageHeartRateInBeatsPerMinute: 148,
    maxHeartRateInBeatsPerMinute: 171,
    averageSpeedInMetersPerSecond: 2.9,
    steps: 5200,
    manual: false,
  };
}

function activityDetail(user: string, day: string): Json {
  const summary = activity(user, day);
  const start = summary.startTimeInSeconds as number;
  const samples = Array.from({ length: 10 }, (_, i) => ({
    startTimeInSeconds: start + i * 180,
    latitudeInDegree: 51.05 + i * 0.001,
    longitudeInDegree: -114.07 + i * 0.001,
    elevationInMeters: 1045 + i,
    heartRate: 130 + i * 3,
    speedMetersPerSecond: 2.7 + (i % 3) * 0.1,
    stepsPerMinute: 168,
    totalDistanceInMeters: i * 520,
    timerDurationInSeconds: i * 180,
    clockDurationInSeconds: i * 180,
    movingDurationInSeconds: i * 180,
  }));
  const { userId: _u, summaryId: _s, activityId: id, ...rest } = summary;
  return {
    userId: user,
    summaryId: `${id}-detail`,
    activityId: id,
    summary: rest,
    samples,
    laps: [{ startTimeInSeconds: start }, { startTimeInSeconds: start + 900 }],
  };
}

/** Every list key the generator fills (manuallyUpdatedActivities only come from edits, never here). */
export const GENERATED_KEYS = Object.keys(GENERATORS);

/** A user's summaries of one list key recorded on one UTC day (`YYYY-MM-DD`). */
export function summariesFor(user: string, day: string, key: string): Json[] {
  return GENERATORS[key]?.(user, day) ?? [];
}

/** The UTC days `[fromS, toS)` touches, in order. */
export function daysOf(fromS: number, toS: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(fromS / DAY_S) * DAY_S; t < toS; t += DAY_S)
    out.push(new Date(t * 1000).toISOString().slice(0, 10));
  return out;
}
