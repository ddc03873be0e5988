import type { SeriesTypeName } from '../../catalog/series-types.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import { civilDay, interval, type Json, num, sampleTime, seriesId } from './map-common.ts';

/**
 * Google Health data points that become samples: heart rate, resting heart rate, HRV, SpO2, weight,
 * body fat and steps. Each reader gets the value object under the point's union key (`heartRate`,
 * `weight`, …) and pushes nothing when the point lacks its time or value (skipped, never thrown).
 * Field names follow Google's v4 reference; the ones marked [UNV] were not confirmed there.
 */

/** `source` is called only when a record is pushed, so a skipped point adds no source. */
type Reader = (batch: CanonicalBatch, source: () => number, value: Json) => void;

const DAY_MS = 86_400_000;

/** One instantaneous reading at the point's `sampleTime`. */
function atSample(name: SeriesTypeName, field: string, divisor = 1, accept = (v: number) => v > 0): Reader {
  return (batch, source, value) => {
    const at = sampleTime(value);
    const raw = num(value[field]);
    if (at === undefined || raw === undefined || !accept(raw)) return;
    batch.samples.push({
      source: source(),
      seriesTypeId: seriesId(name),
      startMs: at.ms,
      durationMs: 0,
      value: raw / divisor,
      utcOffsetMin: at.utcOffsetMin,
    });
  };
}

/**
 * A civil day's value, placed at midnight UTC of the day and covering it (Google gives the day, not
 * an instant or the user's offset). `fields` are tried in order (the first present wins).
 */
function atDay(name: SeriesTypeName, fields: readonly string[]): Reader {
  return (batch, source, value) => {
    const day = civilDay(value);
    const raw = fields.map((f) => num(value[f])).find((v) => v !== undefined);
    if (day === undefined || raw === undefined || raw <= 0) return;
    batch.samples.push({
      source: source(),
      seriesTypeId: seriesId(name),
      startMs: Date.parse(`${day}T00:00:00Z`),
      durationMs: DAY_MS,
      value: raw,
      utcOffsetMin: null,
    });
  };
}

/** Steps over the point's `interval` (a count, summed by the read API). */
const steps: Reader = (batch, source, value) => {
  const span = interval(value);
  const count = num(value.count);
  if (span === undefined || count === undefined || count < 0) return;
  batch.samples.push({
    source: source(),
    seriesTypeId: seriesId('steps'),
    startMs: span.startMs,
    durationMs: span.endMs - span.startMs,
    value: count,
    utcOffsetMin: span.utcOffsetMin,
  });
};

/** HRV samples carry RMSSD and, on some devices, SDNN (0 where the device does not measure it). */
const hrv: Reader = (batch, source, value) => {
  atSample('heart_rate_variability_rmssd', 'rootMeanSquareOfSuccessiveDifferencesMilliseconds')(
    batch,
    source,
    value,
  );
  atSample('heart_rate_variability_sdnn', 'standardDeviationMilliseconds')(batch, source, value);
};

/** Readers by the data point's union key. */
export const VITAL_READERS: Record<string, Reader> = {
  heartRate: atSample('heart_rate', 'beatsPerMinute'),
  dailyRestingHeartRate: atDay('resting_heart_rate', ['beatsPerMinute']),
  heartRateVariability: hrv,
  // Google documents the daily average as an RMSSD.
  dailyHeartRateVariability: atDay('heart_rate_variability_rmssd', [
    'averageHeartRateVariabilityMilliseconds',
  ]),
  oxygenSaturation: atSample('oxygen_saturation', 'percentage', 1, (v) => v > 0 && v <= 100),
  // [UNV] the daily SpO2 field name: `averagePercentage` assumed, `percentage` accepted too.
  dailyOxygenSaturation: atDay('oxygen_saturation', ['averagePercentage', 'percentage']),
  // Weight in grams → kg.
  weight: atSample('weight', 'weightGrams', 1000),
  bodyFat: atSample('body_fat_percentage', 'percentage', 1, (v) => v > 0 && v < 100),
  steps,
};
