import { z } from 'zod';
import type { SeriesTypeName } from '../../catalog/series-types.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import {
  DAY,
  finite,
  localMidnightMs,
  parsePayload,
  series,
  withingsBatch,
  zoneOffsetMin,
} from './common.ts';

/**
 * `getactivity` days → daily totals over the local day; `getintradayactivity` → short samples.
 * Withings' `calories` are ACTIVE kcal and `totalcalories` include the basal metabolism, so basal energy
 * is their difference; `distance` is metres, `active` seconds.
 */

const Day = z.looseObject({
  date: z.string(),
  timezone: z.string().nullish(),
  model: z.union([z.string(), z.number()]).nullish(),
  steps: z.number().nullish(),
  distance: z.number().nullish(),
  calories: z.number().nullish(),
  totalcalories: z.number().nullish(),
  active: z.number().nullish(),
});
const Activity = z.looseObject({ activities: z.array(Day) });

export function mapActivity(payload: unknown): CanonicalBatch {
  const { activities } = parsePayload(Activity, payload, 'getactivity');
  const { batch, sourceOf } = withingsBatch();
  for (const day of activities) {
    const startMs = localMidnightMs(day.date, day.timezone);
    // The local day's length (23 or 25 h across a DST change).
    const endMs = localMidnightMs(nextDate(day.date), day.timezone);
    const utcOffsetMin = zoneOffsetMin(day.timezone, startMs);
    const source = sourceOf(day.model);
    const push = (name: SeriesTypeName, value: number | null) => {
      if (value === null || value < 0) return;
      batch.samples.push({
        source,
        seriesTypeId: series(name),
        startMs,
        durationMs: endMs - startMs,
        value,
        utcOffsetMin,
      });
    };
    const active = finite(day.calories);
    const total = finite(day.totalcalories);
    push('steps', finite(day.steps));
    push('distance_walking_running', finite(day.distance));
    push('energy', active);
    push('basal_energy', active !== null && total !== null && total >= active ? total - active : null);
    const activeS = finite(day.active);
    push('active_time', activeS === null ? null : activeS / 60);
  }
  return batch;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** Intraday fields → series. Accumulations cover `duration` s from the key; readings are instants. */
const SUMS: readonly (readonly [string, SeriesTypeName])[] = [
  ['steps', 'steps'],
  ['calories', 'energy'],
  ['distance', 'distance_walking_running'],
];
const READINGS: readonly (readonly [string, SeriesTypeName])[] = [
  ['heart_rate', 'heart_rate'],
  ['spo2_auto', 'oxygen_saturation'],
  // Withings names both HRV measures: RMSSD and SDNN (over one minute), each labelled as it is.
  ['rmssd', 'heart_rate_variability_rmssd'],
  ['sdnn1', 'heart_rate_variability_sdnn'],
  // [UNV] `rr` in intraday data is read as respiratory rate (breaths/min), as in sleep detail.
  ['rr', 'respiratory_rate'],
];

const Intraday = z.looseObject({
  series: z.union([z.record(z.string(), z.looseObject({})), z.array(z.unknown()).length(0)]),
});

export function mapIntraday(payload: unknown): CanonicalBatch {
  const body = parsePayload(Intraday, payload, 'getintradayactivity');
  const { batch, sourceOf } = withingsBatch();
  const entries = Array.isArray(body.series) ? [] : Object.entries(body.series);
  for (const [key, raw] of entries) {
    // Keys are epoch-second strings; the spec's example has a `$timestamp` placeholder, skipped.
    if (!/^\d+$/.test(key)) {
      if (key.startsWith('$')) continue;
      throw new ProviderResponseError(`Withings intraday key "${key}" is not an epoch second`);
    }
    const startMs = Number(key) * 1000;
    const source = sourceOf(raw.model as string | undefined);
    const durationMs = Math.max(0, (finite(raw.duration) ?? 0) * 1000);
    // Zeros are what Withings sends for "nothing measured" (a minute without steps, no pulse reading).
    for (const [field, name] of SUMS) {
      const value = finite(raw[field]);
      if (value !== null && value > 0)
        batch.samples.push({
          source,
          seriesTypeId: series(name),
          startMs,
          durationMs,
          value,
          utcOffsetMin: null,
        });
    }
    for (const [field, name] of READINGS) {
      const value = finite(raw[field]);
      if (value !== null && value > 0)
        batch.samples.push({
          source,
          seriesTypeId: series(name),
          startMs,
          durationMs: 0,
          value,
          utcOffsetMin: null,
        });
    }
  }
  return batch;
}
