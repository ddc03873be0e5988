/**
 * WearMetrics (spec 003): the per-sample shape `{timestamp, device_id, source, metrics, meta, rr_ms}`.
 * This file maps its stable metric keys and source ids onto the canonical catalog.
 *
 * Decisions:
 * - `calories` is active energy (spec: "Active energy") → `energy`, never `basal_energy`.
 * - `distance` is in km and not tied to an activity ("total distance over the period") → `distance_other`
 *   in meters. Putting it under walking/running would misfile a cycling adapter's distance.
 * - `stress` is a vendor score that adapters do not normalise → `stress_level`, stored as sent.
 * - `rr_ms` → `rr_interval`, gated to [200, 6000] ms inclusive as the spec's runtime does.
 * - Unknown metric keys are kept raw (producers may add keys; consumers must tolerate them).
 */
import type { ProviderSlug } from './providers.ts';
import { type SeriesTypeName, seriesType, seriesValueProblem } from './series-types.ts';
import { toCanonical } from './units.ts';

export const WEARMETRICS_METRICS = {
  hr: { seriesType: 'heart_rate', unit: 'bpm' },
  hrv_rmssd: { seriesType: 'heart_rate_variability_rmssd', unit: 'ms' },
  hrv_sdnn: { seriesType: 'heart_rate_variability_sdnn', unit: 'ms' },
  steps: { seriesType: 'steps', unit: 'count' },
  calories: { seriesType: 'energy', unit: 'kcal' },
  distance: { seriesType: 'distance_other', unit: 'km' },
  stress: { seriesType: 'stress_level', unit: 'score' },
} as const satisfies Record<string, { seriesType: SeriesTypeName; unit: string }>;

export type WearMetricsKey = keyof typeof WEARMETRICS_METRICS;

export type WearMetricsKeyClassification =
  | { readonly kind: 'series'; readonly seriesType: SeriesTypeName; readonly unit: string }
  | { readonly kind: 'kept_raw'; readonly reason: 'unmapped' };

export function isWearMetricsKey(key: string): key is WearMetricsKey {
  return Object.hasOwn(WEARMETRICS_METRICS, key);
}

export function classifyWearMetricsKey(key: string): WearMetricsKeyClassification {
  if (!isWearMetricsKey(key)) return { kind: 'kept_raw', reason: 'unmapped' };
  return { kind: 'series', ...WEARMETRICS_METRICS[key] };
}

export type WearMetricsValueResult =
  | { readonly kind: 'series'; readonly seriesType: SeriesTypeName; readonly value: number }
  /** `null` in the payload: the adapter knows the metric is not available for this sample. */
  | { readonly kind: 'absent'; readonly seriesType: SeriesTypeName }
  | { readonly kind: 'invalid'; readonly seriesType: SeriesTypeName; readonly reason: string }
  | { readonly kind: 'kept_raw'; readonly reason: 'unmapped' };

/** One `metrics` entry → a canonical value in the canonical unit (e.g. `distance: 2.5` → 2500 m). */
export function wearMetricToCanonical(key: string, value: number | null): WearMetricsValueResult {
  if (!isWearMetricsKey(key)) return { kind: 'kept_raw', reason: 'unmapped' };
  const { seriesType: series, unit } = WEARMETRICS_METRICS[key];
  if (value === null) return { kind: 'absent', seriesType: series };
  const converted = toCanonical(series, value, unit);
  if (!converted.ok) return { kind: 'invalid', seriesType: series, reason: converted.reason };
  const outOfRange = seriesValueProblem(seriesType(series), converted.value);
  return outOfRange === undefined
    ? { kind: 'series', seriesType: series, value: converted.value }
    : { kind: 'invalid', seriesType: series, reason: outOfRange };
}

/** The spec's RR push gate, inclusive at both ends. */
export const RR_INTERVAL_MIN_MS = 200;
export const RR_INTERVAL_MAX_MS = 6000;

export function isValidRrIntervalMs(value: number): boolean {
  return Number.isFinite(value) && value >= RR_INTERVAL_MIN_MS && value <= RR_INTERVAL_MAX_MS;
}

/** Splits an `rr_ms` list, keeping order, into values that pass the gate and those that do not. */
export function partitionRrIntervals(values: readonly number[]): {
  readonly accepted: readonly number[];
  readonly rejected: readonly number[];
} {
  const accepted: number[] = [];
  const rejected: number[] = [];
  for (const v of values) (isValidRrIntervalMs(v) ? accepted : rejected).push(v);
  return { accepted, rejected };
}

/**
 * WearMetrics `source` ids → WearLink provider. `garmin_sdk` (Garmin Health SDK on the phone) is still
 * Garmin data; the flavour stays in `meta.source_type`. Oura arrives proxied through the phone platforms
 * today but is attributed to Oura. Unknown sources (allowed by the spec) return undefined.
 */
export const WEARMETRICS_SOURCES = {
  apple_healthkit: 'apple',
  health_connect: 'google',
  ble_hrm: 'ble_hrm',
  whoop: 'whoop',
  garmin: 'garmin',
  garmin_sdk: 'garmin',
  fitbit: 'fitbit',
  oura: 'oura',
} as const satisfies Record<string, ProviderSlug>;

export function providerForWearMetricsSource(source: string): ProviderSlug | undefined {
  return Object.hasOwn(WEARMETRICS_SOURCES, source)
    ? WEARMETRICS_SOURCES[source as keyof typeof WEARMETRICS_SOURCES]
    : undefined;
}
