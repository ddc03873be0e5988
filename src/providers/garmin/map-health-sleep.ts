import type { CanonicalSleepStage } from '../../health-data/canonical.ts';
import {
  calendarDay,
  displayOffsetMin,
  epochMs,
  type HealthBatch,
  type Item,
  isItem,
  localDay,
  num,
  percent,
  positive,
  str,
} from './map-health-common.ts';

/**
 * Garmin's night-time summaries: sleeps (stage timeline, SpO2 and breathing during sleep, sleep score),
 * HRV (RMSSD) and skin temperature deviation.
 */

/** `sleepLevelsMap` keys; a key Garmin adds later maps to `unknown` rather than being dropped. */
const LEVELS: Record<string, CanonicalSleepStage> = {
  deep: 'deep',
  light: 'light',
  rem: 'rem',
  awake: 'awake',
};

/**
 * OFF_WRIST: the device had too little heart-rate data for sleep levels, "only start and end times".
 * Garmin advises filtering unwanted validations out rather than allow-listing (new ones get added);
 * the reference data spells values in either case ("Device", "DEVICE").
 */
const SKIPPED_VALIDATIONS = new Set(['OFF_WRIST']);

interface Stage {
  startMs: number;
  endMs: number;
  stage: CanonicalSleepStage;
}

function stagesOf(levels: unknown): Stage[] {
  if (!isItem(levels)) return [];
  const out: Stage[] = [];
  for (const [key, spans] of Object.entries(levels)) {
    if (!Array.isArray(spans)) continue;
    const stage = LEVELS[key.toLowerCase()] ?? 'unknown';
    for (const span of spans) {
      if (!isItem(span)) continue;
      const startMs = epochMs(span.startTimeInSeconds);
      const endMs = epochMs(span.endTimeInSeconds);
      if (startMs !== undefined && endMs !== undefined && endMs > startMs)
        out.push({ startMs, endMs, stage });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** `sleepScores` as `{name: qualifierKey}` (Garmin gives qualifiers only, no numbers, per category). */
function qualifiers(scores: unknown): Record<string, string> {
  if (!isItem(scores)) return {};
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(scores)) {
    const q = isItem(entry) ? str(entry.qualifierKey) : undefined;
    if (q !== undefined) out[name] = q;
  }
  return out;
}

/**
 * Sleeps → an `in_bed` interval over the whole session plus the stage intervals of `sleepLevelsMap`.
 * The session ends where its last stage ends, the final awake period included: `durationInSeconds`
 * leaves awake and unmeasurable time out, so start + duration is too early. Without stages (manual
 * entries) the session is `sleeping` for the duration, `in_bed` through the awake and unmeasurable time.
 * Intervals carry `summaryId` (stages `summaryId@start`), so a re-sent summary maps to the same ids.
 */
export function mapSleeps(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const validation = str(item.validation)?.trim().toUpperCase();
    if (validation !== undefined && SKIPPED_VALIDATIONS.has(validation)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    const id = str(item.summaryId) ?? null;
    const stages = stagesOf(item.sleepLevelsMap);
    const endMs = stages.length > 0 ? sessionFromStages(out, stages, startMs, id, offset) : undefined;
    const sessionEnd = endMs ?? sessionWithoutStages(out, item, startMs, id, offset);
    if (sessionEnd === undefined) continue;

    out.offsets('oxygen_saturation', startMs, item.timeOffsetSleepSpo2, offset, percent);
    out.offsets('respiratory_rate', startMs, item.timeOffsetSleepRespiration, offset, positive);

    const overall = isItem(item.overallSleepScore) ? item.overallSleepScore : undefined;
    out.score('sleep', calendarDay(item.calendarDate) ?? localDay(sessionEnd, offset), num(overall?.value), {
      summary_id: id,
      qualifier: str(overall?.qualifierKey) ?? null,
      qualifiers: qualifiers(item.sleepScores),
      validation: str(item.validation) ?? null,
      duration_s: num(item.durationInSeconds) ?? null,
    });
  }
}

function sessionFromStages(
  out: HealthBatch,
  stages: Stage[],
  startMs: number,
  id: string | null,
  offset: number | null,
): number {
  const from = Math.min(startMs, ...stages.map((s) => s.startMs));
  const to = Math.max(...stages.map((s) => s.endMs));
  out.interval(from, to, 'in_bed', id, offset);
  for (const s of stages) {
    const stageId = id === null ? null : `${id}@${new Date(s.startMs).toISOString()}`;
    out.interval(s.startMs, s.endMs, s.stage, stageId, offset);
  }
  return to;
}

function sessionWithoutStages(
  out: HealthBatch,
  item: Item,
  startMs: number,
  id: string | null,
  offset: number | null,
): number | undefined {
  const asleepS = num(item.durationInSeconds);
  if (asleepS === undefined || asleepS <= 0) return undefined;
  const extraS =
    Math.max(0, num(item.awakeDurationInSeconds) ?? 0) +
    Math.max(0, num(item.unmeasurableSleepDurationInSeconds) ?? 0);
  const endMs = startMs + (asleepS + extraS) * 1000;
  out.interval(startMs, endMs, 'in_bed', id, offset);
  out.interval(startMs, startMs + asleepS * 1000, 'sleeping', id === null ? null : `${id}@sleeping`, offset);
  return endMs;
}

/**
 * HRV → RMSSD samples from `hrvValues` (instants, 5-minute cadence). Only when the map is empty does
 * `lastNightAvg` become one sample over the measurement period: alongside the values it would be
 * averaged in twice.
 */
export function mapHrv(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    if (startMs === undefined) continue;
    const offset = displayOffsetMin(item.startTimeOffsetInSeconds);
    const n = out.offsets('heart_rate_variability_rmssd', startMs, item.hrvValues, offset, positive);
    const avg = num(item.lastNightAvg);
    if (n === 0 && avg !== undefined && avg > 0)
      out.sample(
        'heart_rate_variability_rmssd',
        startMs,
        (num(item.durationInSeconds) ?? 0) * 1000,
        avg,
        offset,
      );
  }
}

/** Skin temperature → one `skin_temperature_deviation` sample (°C from baseline) over the sleep window. */
export function mapSkinTemp(out: HealthBatch, items: unknown[]): void {
  for (const item of items) {
    if (!isItem(item)) continue;
    const startMs = epochMs(item.startTimeInSeconds);
    const deviation = num(item.avgDeviationCelsius);
    if (startMs === undefined || deviation === undefined) continue;
    const durationS = Math.max(0, num(item.durationInSeconds) ?? 0);
    out.sample(
      'skin_temperature_deviation',
      startMs,
      durationS * 1000,
      deviation,
      displayOffsetMin(item.startTimeOffsetInSeconds),
    );
  }
}
