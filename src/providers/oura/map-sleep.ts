import { z } from 'zod';
import { toCanonicalSleepStage } from '../../catalog/sleep-stages.ts';
import type { CanonicalBatch, CanonicalSleepStage } from '../../health-data/canonical.ts';
import {
  DateTimeString,
  DayString,
  OuraPayloadError,
  PublicSample,
  parseDocuments,
  pushPublicSample,
  seriesId,
  utcOffsetOf,
} from './map-common.ts';

/**
 * Oura `sleep` periods → an `in_bed` interval over the whole period plus the stage timeline of its
 * 5-minute hypnogram, and the night's HRV (RMSSD), breathing rate and resting heart rate.
 */

/** One hypnogram character covers this long, from `bedtime_start` on. */
export const OURA_PHASE_MS = 300_000;

const Sleep = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  bedtime_start: DateTimeString,
  bedtime_end: DateTimeString,
  type: z.string().nullish(),
  sleep_phase_5_min: z.string().nullish(),
  app_sleep_phase_5_min: z.string().nullish(),
  hrv: PublicSample.nullish(),
  average_hrv: z.number().nullish(),
  average_breath: z.number().nullish(),
  lowest_heart_rate: z.number().nullish(),
});
type Sleep = z.infer<typeof Sleep>;

/**
 * Periods that are not sleep: `deleted` (the user deleted it) and `rest` (a falsely detected nap the
 * user rejected). `sleep`, `long_sleep`, `late_nap` and an absent type are kept.
 */
const NOT_SLEEP = new Set(['deleted', 'rest']);

/** Consecutive equal characters as runs: `[char, firstIndex, length]`. */
function runs(hypnogram: string): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let i = 0; i < hypnogram.length; i++) {
    const last = out.at(-1);
    const char = hypnogram[i] as string;
    if (last !== undefined && last[0] === char) last[2] += 1;
    else out.push([char, i, 1]);
  }
  return out;
}

/**
 * The stage intervals of a hypnogram (`1` deep, `2` light, `3` REM, `4` awake; another digit is an
 * `unknown` stage), clipped to the period's end (Oura's last epoch may run past `bedtime_end`).
 */
export function hypnogramIntervals(
  hypnogram: string,
  startMs: number,
  endMs: number,
): { startMs: number; endMs: number; stage: CanonicalSleepStage }[] {
  const out: { startMs: number; endMs: number; stage: CanonicalSleepStage }[] = [];
  for (const [char, first, length] of runs(hypnogram)) {
    const from = startMs + first * OURA_PHASE_MS;
    const to = Math.min(endMs, from + length * OURA_PHASE_MS);
    if (to <= from) break;
    out.push({ startMs: from, endMs: to, stage: toCanonicalSleepStage('oura', char).stage });
  }
  return out;
}

function mapPeriod(batch: CanonicalBatch, source: number, doc: Sleep): void {
  const startMs = Date.parse(doc.bedtime_start);
  const endMs = Date.parse(doc.bedtime_end);
  if (endMs <= startMs)
    throw new OuraPayloadError(`Oura sleep: document ${doc.id}: bedtime_end is not after bedtime_start`);
  const utcOffsetMin = utcOffsetOf(doc.bedtime_start);
  batch.sleep.push({ source, startMs, endMs, stage: 'in_bed', externalId: doc.id, utcOffsetMin });

  const hypnogram = doc.sleep_phase_5_min ?? doc.app_sleep_phase_5_min ?? '';
  if (!/^\d*$/.test(hypnogram))
    throw new OuraPayloadError(`Oura sleep: document ${doc.id}: sleep_phase_5_min is not a string of digits`);
  for (const interval of hypnogramIntervals(hypnogram, startMs, endMs)) {
    batch.sleep.push({
      source,
      ...interval,
      externalId: `${doc.id}@${new Date(interval.startMs).toISOString()}`,
      utcOffsetMin,
    });
  }

  // Oura's HRV is RMSSD (ms). Zero and negative items are "no reading" (Oura's examples carry them).
  const before = batch.samples.length;
  pushPublicSample(batch, source, 'heart_rate_variability_rmssd', doc.hrv, (v) => v > 0);
  const span = endMs - startMs;
  if (batch.samples.length === before && doc.average_hrv != null && doc.average_hrv > 0)
    batch.samples.push({
      source,
      seriesTypeId: seriesId('heart_rate_variability_rmssd'),
      startMs,
      durationMs: span,
      value: doc.average_hrv,
      utcOffsetMin,
    });
  if (doc.average_breath != null && doc.average_breath > 0)
    batch.samples.push({
      source,
      seriesTypeId: seriesId('respiratory_rate'),
      startMs,
      durationMs: span,
      value: doc.average_breath,
      utcOffsetMin,
    });
  // Oura's resting heart rate is the night's lowest; a nap's lowest is not a resting rate.
  if (doc.type === 'long_sleep' && doc.lowest_heart_rate != null && doc.lowest_heart_rate > 0)
    batch.samples.push({
      source,
      seriesTypeId: seriesId('resting_heart_rate'),
      startMs,
      durationMs: span,
      value: doc.lowest_heart_rate,
      utcOffsetMin,
    });
  // The period's `heart_rate` PublicSample is not mapped: the heartrate time series carries the same
  // 5-minute readings (source `sleep`), and mapping both would count each twice.
}

export function mapSleep(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('sleep', Sleep, payload)) {
    if (doc.type != null && NOT_SLEEP.has(doc.type)) continue;
    mapPeriod(batch, source, doc);
  }
}
