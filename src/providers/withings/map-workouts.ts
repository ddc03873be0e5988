import { z } from 'zod';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { finite, parsePayload, withingsBatch, zoneOffsetMin } from './common.ts';
import { withingsWorkoutType } from './workout-categories.ts';

/**
 * `getworkouts` series → workouts. `startdate`/`enddate` are epoch seconds, `timezone` the user's zone
 * (kept as the offset at the start); `data.calories` are active kcal, `distance` metres, `elevation`
 * metres climbed, `pause_duration` seconds. A heart rate of 0 means "not measured".
 */

const Workout = z.looseObject({
  id: z.union([z.number().int(), z.string().min(1)]),
  category: z.number().int(),
  timezone: z.string().nullish(),
  model: z.union([z.number(), z.string()]).nullish(),
  startdate: z.number().int(),
  enddate: z.number().int(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
const Workouts = z.looseObject({ series: z.array(Workout) });

export function mapWorkouts(payload: unknown): CanonicalBatch {
  const { series } = parsePayload(Workouts, payload, 'getworkouts');
  const { batch, sourceOf } = withingsBatch();
  for (const w of series) {
    if (w.enddate < w.startdate)
      throw new ProviderResponseError(`Withings workout ${w.id} ends before it starts`);
    const data = w.data ?? {};
    const positive = (field: string) => {
      const v = finite(data[field]);
      return v !== null && v > 0 ? v : null;
    };
    const atLeastZero = (field: string) => {
      const v = finite(data[field]);
      return v !== null && v >= 0 ? v : null;
    };
    const { type, name } = withingsWorkoutType(w.category);
    const startMs = w.startdate * 1000;
    const statistics: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(data)) if (finite(value) !== null) statistics[field] = value;
    batch.workouts.push({
      source: sourceOf(w.model),
      externalId: `withings:workout:${w.id}`,
      type,
      sourceActivityType: name,
      startMs,
      endMs: w.enddate * 1000,
      durationS: w.enddate - w.startdate,
      distanceM: atLeastZero('distance'),
      energyKcal: atLeastZero('calories'),
      avgHeartRateBpm: positive('hr_average'),
      maxHeartRateBpm: positive('hr_max'),
      elevationGainM: atLeastZero('elevation'),
      steps: atLeastZero('steps'),
      utcOffsetMin: zoneOffsetMin(w.timezone, startMs),
      statistics,
      segments: [],
      metadata: { withings_category: w.category },
      route: [],
    });
  }
  return batch;
}
