import { describe, expect, it } from 'vitest';
import { isProviderSlug } from './providers.ts';
import { isSeriesTypeName } from './series-types.ts';
import {
  classifyWearMetricsKey,
  isValidRrIntervalMs,
  partitionRrIntervals,
  providerForWearMetricsSource,
  WEARMETRICS_METRICS,
  WEARMETRICS_SOURCES,
  wearMetricToCanonical,
} from './wearmetrics.ts';

describe('WearMetrics metric keys', () => {
  it('map the stable keys of spec 003', () => {
    expect(classifyWearMetricsKey('hr')).toEqual({ kind: 'series', seriesType: 'heart_rate', unit: 'bpm' });
    expect(classifyWearMetricsKey('hrv_rmssd')).toMatchObject({ seriesType: 'heart_rate_variability_rmssd' });
    expect(classifyWearMetricsKey('hrv_sdnn')).toMatchObject({ seriesType: 'heart_rate_variability_sdnn' });
    expect(classifyWearMetricsKey('steps')).toMatchObject({ seriesType: 'steps' });
    expect(classifyWearMetricsKey('calories')).toMatchObject({ seriesType: 'energy', unit: 'kcal' });
    expect(classifyWearMetricsKey('distance')).toMatchObject({ seriesType: 'distance_other', unit: 'km' });
    expect(classifyWearMetricsKey('stress')).toMatchObject({ seriesType: 'stress_level' });
    for (const m of Object.values(WEARMETRICS_METRICS)) expect(isSeriesTypeName(m.seriesType)).toBe(true);
  });

  it('keep unknown keys raw', () => {
    expect(classifyWearMetricsKey('recovery_score')).toEqual({ kind: 'kept_raw', reason: 'unmapped' });
    expect(classifyWearMetricsKey('toString')).toEqual({ kind: 'kept_raw', reason: 'unmapped' });
  });

  it('convert the spec example sample into canonical values', () => {
    const metrics = {
      hr: 72,
      hrv_rmssd: 45,
      hrv_sdnn: 62,
      steps: 1045,
      calories: 120.4,
      distance: 2.5,
      stress: 23,
    };
    const out = Object.entries(metrics).map(([k, v]) => wearMetricToCanonical(k, v));
    expect(out).toEqual([
      { kind: 'series', seriesType: 'heart_rate', value: 72 },
      { kind: 'series', seriesType: 'heart_rate_variability_rmssd', value: 45 },
      { kind: 'series', seriesType: 'heart_rate_variability_sdnn', value: 62 },
      { kind: 'series', seriesType: 'steps', value: 1045 },
      { kind: 'series', seriesType: 'energy', value: 120.4 },
      { kind: 'series', seriesType: 'distance_other', value: 2500 },
      { kind: 'series', seriesType: 'stress_level', value: 23 },
    ]);
  });

  it('distinguish null (known absent), invalid and unknown', () => {
    expect(wearMetricToCanonical('hr', null)).toEqual({ kind: 'absent', seriesType: 'heart_rate' });
    expect(wearMetricToCanonical('hr', Number.NaN)).toMatchObject({
      kind: 'invalid',
      seriesType: 'heart_rate',
    });
    expect(wearMetricToCanonical('spo2', 97)).toEqual({ kind: 'kept_raw', reason: 'unmapped' });
  });
});

describe('rr_ms gate', () => {
  it('accepts [200, 6000] inclusive', () => {
    expect(isValidRrIntervalMs(200)).toBe(true);
    expect(isValidRrIntervalMs(6000)).toBe(true);
    expect(isValidRrIntervalMs(800)).toBe(true);
    expect(isValidRrIntervalMs(199.99)).toBe(false);
    expect(isValidRrIntervalMs(6000.01)).toBe(false);
    expect(isValidRrIntervalMs(Number.NaN)).toBe(false);
    expect(isValidRrIntervalMs(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('partitions a list, keeping order', () => {
    expect(partitionRrIntervals([800, 150, 850, 7000, 820])).toEqual({
      accepted: [800, 850, 820],
      rejected: [150, 7000],
    });
  });
});

describe('WearMetrics sources', () => {
  it('map every documented source id to a provider slug', () => {
    expect(providerForWearMetricsSource('apple_healthkit')).toBe('apple');
    expect(providerForWearMetricsSource('health_connect')).toBe('google');
    expect(providerForWearMetricsSource('ble_hrm')).toBe('ble_hrm');
    expect(providerForWearMetricsSource('garmin_sdk')).toBe('garmin');
    expect(providerForWearMetricsSource('oura')).toBe('oura');
    for (const slug of Object.values(WEARMETRICS_SOURCES)) expect(isProviderSlug(slug)).toBe(true);
  });

  it('return undefined for sources the spec allows but WearLink does not know', () => {
    expect(providerForWearMetricsSource('polar_ble')).toBeUndefined();
    expect(providerForWearMetricsSource('constructor')).toBeUndefined();
  });
});
