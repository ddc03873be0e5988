import {
  findSeriesTypeByName,
  type SeriesTypeName,
  seriesType,
  seriesValueProblem,
} from '../../catalog/series-types.ts';
import { toCanonical } from '../../catalog/units.ts';

/**
 * Workout statistics as SDKs send them (`{type, value, unit}`, HealthKit-style names). Known names
 * fill the workout's columns, in canonical units; every value, known or not, is kept in `statistics`.
 */
const known: Record<
  string,
  { field: keyof Omit<WorkoutValues, 'ok' | 'statistics'>; series: SeriesTypeName; unit: string }
> = {
  distance: { field: 'distanceM', series: 'distance_other', unit: 'm' },
  totaldistance: { field: 'distanceM', series: 'distance_other', unit: 'm' },
  activeenergyburned: { field: 'energyKcal', series: 'energy', unit: 'kcal' },
  activeenergy: { field: 'energyKcal', series: 'energy', unit: 'kcal' },
  calories: { field: 'energyKcal', series: 'energy', unit: 'kcal' },
  averageheartrate: { field: 'avgHeartRateBpm', series: 'heart_rate', unit: 'count/min' },
  avgheartrate: { field: 'avgHeartRateBpm', series: 'heart_rate', unit: 'count/min' },
  maxheartrate: { field: 'maxHeartRateBpm', series: 'heart_rate', unit: 'count/min' },
  maximumheartrate: { field: 'maxHeartRateBpm', series: 'heart_rate', unit: 'count/min' },
  stepcount: { field: 'steps', series: 'steps', unit: 'count' },
  steps: { field: 'steps', series: 'steps', unit: 'count' },
  elevationascended: { field: 'elevationGainM', series: 'elevation', unit: 'm' },
  elevationgain: { field: 'elevationGainM', series: 'elevation', unit: 'm' },
  duration: { field: 'durationS', series: 'exercise_time', unit: 's' },
};

export interface WorkoutValues {
  ok: true;
  distanceM: number | null;
  energyKcal: number | null;
  avgHeartRateBpm: number | null;
  maxHeartRateBpm: number | null;
  elevationGainM: number | null;
  steps: number | null;
  durationS: number | null;
  statistics: Record<string, { value: number; unit: string | null }>;
}

export function mapWorkoutValues(
  values: { type: string; value: number; unit?: string | undefined }[],
): WorkoutValues | { ok: false; reason: string } {
  const out: WorkoutValues = {
    ok: true,
    distanceM: null,
    energyKcal: null,
    avgHeartRateBpm: null,
    maxHeartRateBpm: null,
    elevationGainM: null,
    steps: null,
    durationS: null,
    statistics: {},
  };
  for (const v of values) {
    if (!Number.isFinite(v.value)) return { ok: false, reason: `${v.type}: value must be a finite number` };
    const key = v.type.toLowerCase().replace(/[^a-z0-9]/g, '');
    const target = known[key];
    const statName = v.type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (target === undefined) {
      out.statistics[statName] = { value: v.value, unit: v.unit ?? null };
      continue;
    }
    const converted = toCanonical(target.series, v.value, v.unit ?? target.unit);
    if (!converted.ok) return { ok: false, reason: `${v.type}: ${converted.reason}` };
    // The workout's columns are summed and averaged by reads: bounded like samples of their series.
    const outOfRange = seriesValueProblem(seriesType(target.series), converted.value);
    if (outOfRange !== undefined) return { ok: false, reason: `${v.type}: ${outOfRange}` };
    // exercise_time is canonical in minutes; the workout column holds seconds.
    const value = target.field === 'durationS' ? converted.value * 60 : converted.value;
    out[target.field] = value;
    out.statistics[statName] = {
      value,
      unit: target.field === 'durationS' ? 's' : (findSeriesTypeByName(target.series)?.unit ?? null),
    };
  }
  return out;
}
