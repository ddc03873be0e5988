import { type SeriesTypeName, seriesType } from '../../catalog/series-types.ts';
import type { SourceTable } from '../../health-data/canonical.ts';

/**
 * Shared pieces of the Google Health mappers: reading data points tolerantly (a bad point is skipped,
 * never thrown), Google's three time shapes, its UTC offsets and the data source.
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A finite number, also from a decimal string (int64 fields are JSON strings in Google's APIs). */
export function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** An RFC 3339 instant as epoch ms, or undefined. */
export function instant(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A UTC offset in minutes. Google sends offsets as protobuf Durations (`"3600s"`, `"-18000s"`); a
 * `±HH:MM` form is accepted too, since the exact JSON form was not verified against the live API.
 */
export function offsetMinutes(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v / 60);
  if (typeof v !== 'string') return null;
  const seconds = /^(-?\d+(?:\.\d+)?)s$/.exec(v.trim());
  if (seconds) return Math.round(Number(seconds[1]) / 60);
  const hm = /^([+-])(\d{2}):?(\d{2})$/.exec(v.trim());
  if (hm) return (hm[1] === '-' ? -1 : 1) * (Number(hm[2]) * 60 + Number(hm[3]));
  return null;
}

/** A protobuf Duration (`"1800s"`, `"1800.5s"`) in seconds. */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

/** `sampleTime: {physicalTime, utcOffset}` → instant and offset. */
export function sampleTime(value: Json): { ms: number; utcOffsetMin: number | null } | undefined {
  const t = value.sampleTime;
  if (!isObject(t)) return undefined;
  const ms = instant(t.physicalTime);
  return ms === undefined ? undefined : { ms, utcOffsetMin: offsetMinutes(t.utcOffset) };
}

/** `interval: {startTime, endTime, startUtcOffset}` → a non-empty span and the start's offset. */
export function interval(
  value: Json,
): { startMs: number; endMs: number; utcOffsetMin: number | null } | undefined {
  const i = value.interval;
  if (!isObject(i)) return undefined;
  const startMs = instant(i.startTime);
  const endMs = instant(i.endTime);
  if (startMs === undefined || endMs === undefined || endMs <= startMs) return undefined;
  return { startMs, endMs, utcOffsetMin: offsetMinutes(i.startUtcOffset) };
}

/** A civil day: `date: {year, month, day}` (google.type.Date), or a `YYYY-MM-DD` string. */
export function civilDay(value: Json): string | undefined {
  const d = value.date;
  if (typeof d === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : undefined;
  if (!isObject(d)) return undefined;
  const [y, m, day] = [num(d.year), num(d.month), num(d.day)];
  if (y === undefined || m === undefined || day === undefined || m < 1 || m > 12 || day < 1 || day > 31)
    return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const seriesId = (name: SeriesTypeName): number => seriesType(name).id;

/**
 * The record's source from the point's `dataSource` (`device: {displayName, manufacturer,
 * formFactor}`, `application: {packageName}`), provider `fitbit`. Missing fields are simply absent.
 */
export function sourceOf(sources: SourceTable, point: Json): number {
  const ds = isObject(point.dataSource) ? point.dataSource : {};
  const device = isObject(ds.device) ? ds.device : {};
  const application = isObject(ds.application) ? ds.application : {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return sources.indexOf({
    provider: 'fitbit',
    deviceName: text(device.displayName),
    deviceManufacturer: text(device.manufacturer),
    deviceType: text(device.formFactor),
    appId: text(application.packageName),
  });
}

/**
 * The points of a payload: `{dataPoints: [...]}` as one list page answers, or the pull's merged form.
 * Anything else is no points (a mapper never throws on vendor input).
 */
export function dataPoints(payload: unknown): Json[] {
  if (!isObject(payload) || !Array.isArray(payload.dataPoints)) return [];
  return payload.dataPoints.filter(isObject);
}
