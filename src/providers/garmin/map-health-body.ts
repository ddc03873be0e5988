import type { SeriesTypeName } from '../../catalog/series-types.ts';
import {
  calendarDay,
  displayOffsetMin,
  epochMs,
  type HealthBatch,
  isItem,
  level0to100,
  num,
  percent,
  positive,
  str,
} from './map-health-common.ts';

/**
 * Garmin's body measurements and spot readings: body composition, user metrics (VO2 max), blood
 * pressure, all-day pulse ox, all-day respiration and Health Snapshot sessions. Readings are instants
 * (duration 0) at the summary's start plus each map offset.
 */

/** Body composition → weight and skeletal muscle mass (grams → kg), body fat %, BMI. */
export function mapBodyComps(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const atMs = epochMs(item.measurementTimeInSeconds);
    if (atMs === undefined) continue;
    const offset = displayOffsetMin(item.measurementTimeOffsetInSeconds);
    const put = (name: SeriesTypeName, value: number | undefined) => {
      if (value !== undefined && value > 0) out.sample(name, atMs, 0, value, offset);
    };
    const grams = (v: unknown) => {
      const g = num(v);
      return g === undefined ? undefined : g / 1000;
    };
    put('weight', grams(item.weightInGrams));
    // Garmin's Index scales report skeletal muscle mass as "muscle mass".
    put('skeletal_muscle_mass', grams(item.muscleMassInGrams));
    put('body_fat_percentage', num(item.bodyFatInPercent));
    put('body_mass_index', num(item.bodyMassIndex));
    // boneMassInGrams and bodyWaterInPercent: the catalog has no bone-mass or body-water series.
  }
}

/**
 * User metrics → VO2 max (running) at the start of its `calendarDate` (UTC midnight: Garmin gives the
 * day only). `vo2MaxCycling` and `fitnessAge` have no catalog series (VO2 max is one series, and fitness
 * age is not the cardiovascular age of `cardiovascular_age`).
 */
export function mapUserMetrics(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const day = calendarDay(item.calendarDate);
    const vo2 = num(item.vo2Max);
    if (day === undefined || vo2 === undefined || vo2 <= 0) continue;
    out.sample('vo2_max', Date.parse(`${day}T00:00:00Z`), 0, vo2, null);
  }
}

/** Blood pressure → systolic, diastolic (mmHg) and the pulse taken with them (heart rate). */
export function mapBloodPressures(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const atMs = epochMs(item.measurementTimeInSeconds);
    if (atMs === undefined) continue;
    const offset = displayOffsetMin(item.measurementTimeOffsetInSeconds);
    const put = (name: SeriesTypeName, value: number | undefined) => {
      if (value !== undefined && value > 0) out.sample(name, atMs, 0, value, offset);
    };
    put('blood_pressure_systolic', num(item.systolic));
    put('blood_pressure_diastolic', num(item.diastolic));
    put('heart_rate', num(item.pulse));
  }
}

/** Pulse ox → SpO2 readings (all-day: one a minute; on-demand: spot checks), same shape either way. */
export function mapPulseOx(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    out.offsets('oxygen_saturation', startMs, item.timeOffsetSpo2Values, offset, percent);
  }
}

/** All-day respiration → breaths per minute. */
export function mapRespiration(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    out.offsets('respiratory_rate', startMs, item.timeOffsetEpochToBreaths, offset, positive);
  }
}

/** Health Snapshot `summaryType` → series and what a reading of it can be. SDRR is an SDNN of RR. */
const SNAPSHOT: Record<string, [SeriesTypeName, (v: number) => boolean]> = {
  heart_rate: ['heart_rate', positive],
  respiration: ['respiratory_rate', positive],
  stress: ['stress_level', level0to100],
  spo2: ['oxygen_saturation', percent],
  rmssd_hrv: ['heart_rate_variability_rmssd', positive],
  sdrr_hrv: ['heart_rate_variability_sdnn', positive],
};

/**
 * Health Snapshot (a 2-minute session) → per summary type its `epochSummaries` (keyed by second
 * offset) as readings; a type with only `avgValue` (the HRV ones) becomes one sample over the session.
 * The display offset comes as `offsetStartTimeInSeconds` (Garmin's example and push data) or
 * `startTimeOffsetInSeconds` (Garmin's field table): both are read.
 */
export function mapHealthSnapshot(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item) || !Array.isArray(item.summaries)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.offsetStartTimeInSeconds ?? item.startTimeOffsetInSeconds);
    const durationMs = Math.max(0, num(item.durationInSeconds) ?? 0) * 1000;
    for (const summary of item.summaries) {
      if (!isItem(summary)) continue;
      const kind = SNAPSHOT[str(summary.summaryType)?.toLowerCase() ?? ''];
      if (kind === undefined) continue;
      const [name, accept] = kind;
      const n = out.offsets(name, startMs, summary.epochSummaries, offset, accept);
      const avg = num(summary.avgValue);
      if (n === 0 && avg !== undefined && accept(avg)) out.sample(name, startMs, durationMs, avg, offset);
    }
  }
}
