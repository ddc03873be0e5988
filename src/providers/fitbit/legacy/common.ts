import { type SeriesTypeName, seriesType } from '../../../catalog/series-types.ts';
import { type CanonicalBatch, SourceTable } from '../../../health-data/canonical.ts';

/**
 * Shared pieces of the legacy Fitbit Web API mappers: the caller's options, Fitbit's local times
 * (which carry no offset in sleep logs and exports), units, and the source every record points at.
 */

export interface FitbitLegacyOptions {
  /**
   * The user's offset from UTC (minutes east) when the data was recorded. Sleep logs (and export
   * files) give local times without an offset, so a document whose times lack one is skipped when
   * this is absent: nothing is guessed. Times that carry their own offset use it.
   * One offset per call: a night across a DST change is placed with this single offset.
   */
  utcOffsetMinutes?: number;
  /** The day (`YYYY-MM-DD`) of a daily summary: the JSON has none (the date is in the request URL). */
  date?: string;
  /**
   * The unit system the data was requested in (Fitbit's `Accept-Language`): `metric` (km, m; the
   * default without the header) or `us` (miles, feet). An entry's own `distanceUnit` wins.
   */
  units?: 'metric' | 'us';
  /** The tracker's name, when the caller knows it (the legacy logs do not name it). */
  deviceName?: string;
}

export const DAY_MS = 86_400_000;
const MAX_OFFSET_MIN = 14 * 60;

export const seriesId = (name: SeriesTypeName): number => seriesType(name).id;

/** The caller's offset if it is a plausible whole-minute offset, else undefined. */
export function optionOffset(options: FitbitLegacyOptions): number | undefined {
  const v = options.utcOffsetMinutes;
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_OFFSET_MIN ? v : undefined;
}

const WITH_OFFSET = /(?:([+-])(\d{2}):?(\d{2})|Z)$/i;
const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;

export interface Instant {
  ms: number;
  /** The local offset of the instant: the text's own (not for `Z`), else the caller's, else null. */
  utcOffsetMin: number | null;
}

/**
 * A Fitbit time as an instant. `2021-12-29T17:11:50.000+02:00` carries its offset (the user's local
 * one). `2017-04-01T23:58:30.000` is local time: it needs the caller's offset, without one it is null.
 * `Z` is an instant whose local offset is unknown (the caller's is used if given).
 */
export function parseFitbitTime(text: unknown, options: FitbitLegacyOptions): Instant | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  const fallback = optionOffset(options);
  const m = WITH_OFFSET.exec(trimmed);
  if (m !== null) {
    const ms = Date.parse(trimmed);
    if (!Number.isFinite(ms)) return null;
    if (m[1] === undefined) return { ms, utcOffsetMin: fallback ?? null };
    const minutes = Number(m[2]) * 60 + Number(m[3]);
    return { ms, utcOffsetMin: m[1] === '-' ? -minutes : minutes };
  }
  const local = LOCAL.exec(trimmed);
  if (local === null || fallback === undefined) return null;
  const asUtc = Date.parse(`${local[1]}T${local[2]}Z`);
  if (!Number.isFinite(asUtc)) return null;
  return { ms: asUtc - fallback * 60_000, utcOffsetMin: fallback };
}

/** A finite number, or null (Fitbit uses -1 for "not computed" in a few fields; callers check that). */
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const KM_PER_MILE = 1.609344;
const M_PER_FOOT = 0.3048;

/**
 * Metres from a Fitbit distance: an entry's `distanceUnit` ("Kilometer", "Mile", "METERS", …) when it
 * has one, else the unit system of the request.
 */
export function distanceMetres(value: number, unit: unknown, options: FitbitLegacyOptions): number | null {
  const u = typeof unit === 'string' ? unit.trim().toLowerCase() : '';
  if (u === '') return options.units === 'us' ? value * KM_PER_MILE * 1000 : value * 1000;
  if (u.startsWith('kilomet') || u === 'km') return value * 1000;
  if (u.startsWith('mile') || u === 'mi') return value * KM_PER_MILE * 1000;
  if (u.startsWith('met') || u === 'm') return value;
  return null;
}

/** Metres from a Fitbit elevation/altitude (metres in metric requests, feet in US ones). */
export const elevationMetres = (value: number, options: FitbitLegacyOptions): number =>
  options.units === 'us' ? value * M_PER_FOOT : value;

/** The source of every record of a call: Fitbit, with the tracker's name when the caller gave it. */
export function fitbitSource(batch: CanonicalBatch, options: FitbitLegacyOptions): number {
  const name = typeof options.deviceName === 'string' && options.deviceName.trim() !== '';
  return new SourceTable(batch).indexOf(
    name ? { provider: 'fitbit', deviceName: options.deviceName } : { provider: 'fitbit' },
  );
}

/** The items of a payload that may be one document, an array of them, or a response wrapping them. */
export function documentsOf(
  payload: unknown,
  listKey: string,
  isDocument: (v: Record<string, unknown>) => boolean,
) {
  if (Array.isArray(payload)) return payload.filter(isRecord);
  if (!isRecord(payload)) return [];
  const list = payload[listKey];
  if (Array.isArray(list)) return list.filter(isRecord);
  return isDocument(payload) ? [payload] : [];
}
