/**
 * The Google Health account the Fitbit end-to-end test connects: one night with stages, an exercise,
 * heart rate, HRV, resting heart rate, SpO2, weight, body fat and steps, three days before `nowMs`
 * (inside every resource's historical reach), recorded at UTC+1; plus an exercise that appears later
 * and is announced by a notification.
 */
export function googleHealthDataSet(nowMs: number) {
  const DAY = 86_400_000;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const dMs = Date.parse(`${dayOf(nowMs - 3 * DAY)}T00:00:00Z`);
  const d = dayOf(dMs);
  const before = dayOf(dMs - DAY);
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
  const watch = { device: { displayName: 'Pixel Watch 3', manufacturer: 'Google', formFactor: 'WATCH' } };
  const at = (time: string) => ({ physicalTime: `${d}T${time}Z`, utcOffset: '3600s' });
  const span = (start: string, end: string) => ({ startTime: start, endTime: end, startUtcOffset: '3600s' });
  const stage = (start: string, end: string, type: string) => ({ startTime: start, endTime: end, type });
  const newExercise = {
    name: 'users/me/dataTypes/exercise/dataPoints/ride-1',
    dataSource: watch,
    exercise: {
      interval: span(`${d}T13:00:00Z`, `${d}T14:00:00Z`),
      exerciseType: 'BIKING',
      displayName: 'Ride',
      metricsSummary: { caloriesKcal: 510, distanceMillimeters: 21000000 },
    },
  };
  return {
    fromMs: dMs - 2 * DAY,
    toMs: dMs + DAY,
    firstDay: dayOf(dMs - 2 * DAY),
    lastDay: dayOf(dMs + DAY),
    newExercise,
    newExerciseInterval: { startTime: `${d}T13:00:00Z`, endTime: `${d}T14:00:00Z` },
    points: {
      exercise: [
        {
          name: 'users/me/dataTypes/exercise/dataPoints/run-1',
          dataSource: watch,
          exercise: {
            interval: span(`${d}T16:00:00Z`, `${d}T16:40:00Z`),
            exerciseType: 'RUNNING',
            displayName: 'Run',
            activeDuration: '2300s',
            metricsSummary: {
              caloriesKcal: 390,
              distanceMillimeters: 5012500,
              averageHeartRateBeatsPerMinute: 151,
            },
          },
        },
      ],
      sleep: [
        {
          name: 'users/me/dataTypes/sleep/dataPoints/night-1',
          dataSource: watch,
          sleep: {
            // 22:00–05:30 UTC: 235 min light, 100 deep, 75 REM, 40 awake.
            interval: span(`${before}T22:00:00Z`, `${d}T05:30:00Z`),
            stages: [
              stage(`${before}T22:00:00Z`, `${d}T01:00:00Z`, 'LIGHT'),
              stage(`${d}T01:00:00Z`, `${d}T02:40:00Z`, 'DEEP'),
              stage(`${d}T02:40:00Z`, `${d}T03:55:00Z`, 'REM'),
              stage(`${d}T03:55:00Z`, `${d}T04:50:00Z`, 'LIGHT'),
              stage(`${d}T04:50:00Z`, `${d}T05:30:00Z`, 'AWAKE'),
            ],
          },
        },
      ],
      'heart-rate': [58, 61, 64].map((bpm, i) => ({
        dataSource: watch,
        heartRate: { beatsPerMinute: bpm, sampleTime: at(`10:${String(i * 5).padStart(2, '0')}:00`) },
      })),
      'daily-resting-heart-rate': [
        { dailyRestingHeartRate: { beatsPerMinute: 52, date: { year: y, month: m, day: dd } } },
      ],
      'heart-rate-variability': [
        {
          heartRateVariability: {
            rootMeanSquareOfSuccessiveDifferencesMilliseconds: 44,
            sampleTime: at('03:00:00'),
          },
        },
      ],
      'oxygen-saturation': [{ oxygenSaturation: { percentage: 96.5, sampleTime: at('04:00:00') } }],
      weight: [{ weight: { weightGrams: 64300, sampleTime: at('07:00:00') } }],
      'body-fat': [{ bodyFat: { percentage: 21.5, sampleTime: at('07:00:00') } }],
      steps: [
        { dataSource: watch, steps: { count: '8123', interval: span(`${d}T08:00:00Z`, `${d}T09:00:00Z`) } },
      ],
    } as Record<string, Record<string, unknown>[]>,
  };
}
