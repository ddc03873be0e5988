import { scoreRange } from '../../catalog/health-scores.ts';
import { type SeriesTypeName, seriesType } from '../../catalog/series-types.ts';
import {
  type CanonicalBatch,
  type CanonicalSleepStage,
  emptyBatch,
  SourceTable,
} from '../../health-data/canonical.ts';

/**
 * Shared pieces of the Garmin Health API mappers: lenient field readers (a malformed item is skipped,
 * never thrown), Garmin's `timeOffset…` maps, display offsets, and a batch builder that adds the Garmin
 * source only once something was mapped (a batch of only bad items stays `emptyBatch()`).
 */

export type Item = Record<string, unknown>;

export const isItem = (v: unknown): v is Item => typeof v === 'object' && v !== null && !Array.isArray(v);

export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : undefined;

/**
 * The same source as the Activity API mapper's records: one Garmin account is one data source, whatever
 * summary type carried the data (Health API summaries name no device).
 */
export const GARMIN_HEALTH_SOURCE = { provider: 'garmin', deviceManufacturer: 'Garmin' } as const;

const MAX_OFFSET_S = 24 * 3600;

/**
 * A Garmin display offset (seconds to add to UTC, any value within 24 h of UTC: not a time zone) as
 * minutes; null when absent or impossible.
 * @example displayOffsetMin(-21600) // -360
 */
export function displayOffsetMin(seconds: unknown): number | null {
  const s = num(seconds);
  if (s === undefined || Math.abs(s) > MAX_OFFSET_S) return null;
  return Math.round(s / 60);
}

/** Epoch seconds → ms, for a Garmin timestamp that is a plausible positive number. */
export function epochMs(seconds: unknown): number | undefined {
  const s = num(seconds);
  return s === undefined || s <= 0 ? undefined : s * 1000;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `calendarDate` (`yyyy-mm-dd`) that names a real day, else undefined. */
export function calendarDay(v: unknown): string | undefined {
  if (typeof v !== 'string' || !DAY.test(v)) return undefined;
  const ms = Date.parse(`${v}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === v ? v : undefined;
}

/** The device-local day of an instant (UTC day when the offset is unknown). */
export const localDay = (ms: number, offsetMin: number | null): string =>
  new Date(ms + (offsetMin ?? 0) * 60_000).toISOString().slice(0, 10);

/**
 * A `timeOffset…` map (`{"<seconds from start>": value}`) as `[offsetS, value]` pairs in time order;
 * keys that are not whole non-negative seconds and values that are not finite numbers are left out.
 */
export function offsetEntries(map: unknown): [number, number][] {
  if (!isItem(map)) return [];
  const out: [number, number][] = [];
  for (const [key, value] of Object.entries(map)) {
    const v = num(value);
    if (!/^\d+$/.test(key) || v === undefined) continue;
    out.push([Number(key), v]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

type GarminScoreCategory = 'stress' | 'sleep' | 'body_battery';

/** Builds one canonical batch; the Garmin source is added with the first record. */
export class HealthBatch {
  readonly batch: CanonicalBatch = emptyBatch();
  readonly #sources = new SourceTable(this.batch);

  get source(): number {
    return this.#sources.indexOf(GARMIN_HEALTH_SOURCE);
  }

  sample(
    name: SeriesTypeName,
    startMs: number,
    durationMs: number,
    value: number,
    utcOffsetMin: number | null,
  ): void {
    this.batch.samples.push({
      source: this.source,
      seriesTypeId: seriesType(name).id,
      startMs,
      durationMs: Math.max(0, Math.round(durationMs)),
      value,
      utcOffsetMin,
    });
  }

  /**
   * One sample per entry of a `timeOffset…` map that `accept`s, at `startMs + offset`; `at` turns an
   * offset into the sample's [start, duration] when the value covers a window rather than an instant.
   */
  offsets(
    name: SeriesTypeName,
    startMs: number,
    map: unknown,
    utcOffsetMin: number | null,
    accept: (value: number) => boolean,
    at: (offsetS: number) => [startS: number, durationS: number] = (o) => [o, 0],
  ): number {
    let n = 0;
    for (const [offsetS, value] of offsetEntries(map)) {
      if (!accept(value)) continue;
      const [fromS, durationS] = at(offsetS);
      this.sample(name, startMs + fromS * 1000, durationS * 1000, value, utcOffsetMin);
      n++;
    }
    return n;
  }

  /** A score on Garmin's native range (catalog); a value outside that range is not a score. */
  score(
    category: GarminScoreCategory,
    date: string,
    value: number | undefined,
    components: Record<string, unknown>,
  ): void {
    const range = scoreRange('garmin', category);
    if (range === undefined || value === undefined || value < range.min || value > range.max) return;
    this.batch.scores.push({
      source: this.source,
      provider: 'garmin',
      date,
      category,
      score: value,
      rangeMin: range.min,
      rangeMax: range.max,
      components,
    });
  }

  interval(
    startMs: number,
    endMs: number,
    stage: CanonicalSleepStage,
    externalId: string | null,
    utcOffsetMin: number | null,
  ): void {
    this.batch.sleep.push({ source: this.source, startMs, endMs, stage, externalId, utcOffsetMin });
  }
}

/** Value filters: what a reading of the kind can be (Garmin's "no data" codes are negative or 0). */
export const positive = (v: number): boolean => v > 0;
export const percent = (v: number): boolean => v > 0 && v <= 100;
export const level0to100 = (v: number): boolean => v >= 0 && v <= 100;
