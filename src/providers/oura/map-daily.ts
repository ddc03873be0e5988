import { z } from 'zod';
import { ouraResilienceScore } from '../../catalog/health-scores.ts';
import type { SeriesTypeName } from '../../catalog/series-types.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import {
  Contributors,
  DateTimeString,
  DayString,
  dayStartMs,
  OuraPayloadError,
  PublicSample,
  parseDocuments,
  pushPublicSample,
  pushScore,
  seriesId,
  utcOffsetOf,
} from './map-common.ts';

/**
 * Oura's day documents: scores (activity, readiness, sleep, resilience) with their contributors, and
 * the day-level values they carry (steps, energy, temperature deviation, SpO2, VO2 max, vascular age),
 * plus body metrics from `personal_info`.
 */

const DAY_MS = 86_400_000;
const Count = z.number().min(0);

const DailyActivity = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  // The activity day starts at 04:00 local time; this is that instant with the user's offset.
  timestamp: DateTimeString,
  score: z.number().nullish(),
  contributors: Contributors,
  steps: Count.nullish(),
  active_calories: Count.nullish(),
  total_calories: Count.nullish(),
  met: PublicSample.nullish(),
});

const DailyReadiness = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  timestamp: DateTimeString,
  score: z.number().nullish(),
  contributors: Contributors,
  temperature_deviation: z.number().nullish(),
  temperature_trend_deviation: z.number().nullish(),
});

const DailySleep = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  score: z.number().nullish(),
  contributors: Contributors,
});

const DailySpo2 = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  spo2_percentage: z.looseObject({ average: z.number().nullable() }).nullish(),
  breathing_disturbance_index: z.number().nullish(),
});

const DailyResilience = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  level: z.string(),
  contributors: Contributors,
});

const CardiovascularAge = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  vascular_age: z.number().nullish(),
});

const Vo2Max = z.looseObject({
  id: z.string().min(1),
  day: DayString,
  timestamp: DateTimeString,
  vo2_max: z.number().nullish(),
});

/** `GET personal_info` plus the instant WearLink read it (the answer has no date of its own). */
const PersonalInfo = z.looseObject({
  id: z.string().min(1),
  weight: z.number().nullish(),
  height: z.number().nullish(),
  retrieved_at: DateTimeString.optional(),
});

function pushValue(
  batch: CanonicalBatch,
  source: number,
  name: SeriesTypeName,
  value: number | null | undefined,
  startMs: number,
  durationMs: number,
  utcOffsetMin: number | null,
): void {
  if (value == null) return;
  batch.samples.push({ source, seriesTypeId: seriesId(name), startMs, durationMs, value, utcOffsetMin });
}

export function mapDailyActivity(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_activity', DailyActivity, payload)) {
    pushScore(batch, source, 'activity', doc.day, doc.score, doc.contributors);
    const startMs = Date.parse(doc.timestamp);
    const offset = utcOffsetOf(doc.timestamp);
    // Day totals over Oura's activity day (04:00 to 04:00 local).
    pushValue(batch, source, 'steps', doc.steps, startMs, DAY_MS, offset);
    pushValue(batch, source, 'energy', doc.active_calories, startMs, DAY_MS, offset);
    // total_calories includes the resting metabolism; WearLink's `energy` is active only.
    if (
      doc.total_calories != null &&
      doc.active_calories != null &&
      doc.total_calories >= doc.active_calories
    )
      pushValue(
        batch,
        source,
        'basal_energy',
        doc.total_calories - doc.active_calories,
        startMs,
        DAY_MS,
        offset,
      );
    // MET per minute; 0 is a minute without a reading (ring off), not a resting level (≈ 0.9–1).
    pushPublicSample(batch, source, 'average_met', doc.met, (v) => v > 0);
  }
}

export function mapDailyReadiness(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_readiness', DailyReadiness, payload)) {
    pushScore(batch, source, 'readiness', doc.day, doc.score, {
      ...doc.contributors,
      temperature_deviation: doc.temperature_deviation ?? null,
      temperature_trend_deviation: doc.temperature_trend_deviation ?? null,
    });
    // Skin temperature's deviation from the wearer's baseline, in °C as Oura sends it.
    pushValue(
      batch,
      source,
      'skin_temperature_deviation',
      doc.temperature_deviation,
      Date.parse(doc.timestamp),
      0,
      utcOffsetOf(doc.timestamp),
    );
  }
}

export function mapDailySleep(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_sleep', DailySleep, payload))
    pushScore(batch, source, 'sleep', doc.day, doc.score, doc.contributors);
}

export function mapDailySpo2(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_spo2', DailySpo2, payload)) {
    // The night's average; Oura's own example answers 0 for a night without SpO2 data, not a reading.
    const average = doc.spo2_percentage?.average;
    if (average != null && average > 0)
      pushValue(batch, source, 'oxygen_saturation', average, dayStartMs(doc.day), 0, null);
    pushValue(
      batch,
      source,
      'breathing_disturbance_index',
      doc.breathing_disturbance_index,
      dayStartMs(doc.day),
      0,
      null,
    );
  }
}

export function mapDailyResilience(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_resilience', DailyResilience, payload)) {
    // Stored as the level's ordinal 1–5 (catalog); a level Oura adds later is skipped, not guessed.
    pushScore(batch, source, 'resilience', doc.day, ouraResilienceScore(doc.level), {
      ...doc.contributors,
      level: doc.level,
    });
  }
}

export function mapCardiovascularAge(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('daily_cardiovascular_age', CardiovascularAge, payload))
    pushValue(batch, source, 'cardiovascular_age', doc.vascular_age, dayStartMs(doc.day), 0, null);
}

export function mapVo2Max(batch: CanonicalBatch, source: number, payload: unknown): void {
  for (const doc of parseDocuments('vo2_max', Vo2Max, payload))
    pushValue(
      batch,
      source,
      'vo2_max',
      doc.vo2_max,
      Date.parse(doc.timestamp),
      0,
      utcOffsetOf(doc.timestamp),
    );
}

/**
 * Weight (kg) and height (Oura: metres → cm), dated to the UTC day the pull read them, so one reading
 * per day is kept however often the profile is pulled. Without `retrieved_at` there is no date: nothing.
 */
export function mapPersonalInfo(batch: CanonicalBatch, source: number, payload: unknown): void {
  const parsed = PersonalInfo.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OuraPayloadError(
      `Oura personal_info: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const info = parsed.data;
  if (info.retrieved_at === undefined) return;
  const at = dayStartMs(info.retrieved_at.slice(0, 10));
  if (info.weight != null && info.weight > 0) pushValue(batch, source, 'weight', info.weight, at, 0, null);
  if (info.height != null && info.height > 0)
    pushValue(batch, source, 'height', Math.round(info.height * 1000) / 10, at, 0, null);
}
