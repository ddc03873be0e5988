import { ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, VendorHttp } from '../types.ts';
import { DAY, isoDate, MINUTE, parseLocal } from './time.ts';

/**
 * How Polar's resources are fetched. Polar has no pagination: lists return everything they hold
 * (exercises uploaded in the last 30 days, sleep and recharge of the last 28 days) and range endpoints
 * take `from`/`to` dates (inclusive) at most 28 days apart and, for activity, at most 365 days back.
 * A window is cut into such ranges; a window older than a resource's reach asks Polar nothing.
 */

const EXERCISE_REACH_DAYS = 30;
const LIST_REACH_DAYS = 28;
// "From date cannot be older than 365 days from today": one day of margin for time zones.
const ACTIVITY_REACH_DAYS = 364;
const RANGE_DAYS = 28;

type Json = Record<string, unknown>;
const detail = '?samples=true&zones=true&route=true';

export async function fetchPolar(
  context: PullContext,
  resource: string,
  window: PullWindow,
  now = Date.now(),
): Promise<unknown> {
  const { http } = context;
  switch (resource) {
    case 'exercises':
      return fetchExercises(http, window, now);
    case 'sleep':
      return fetchSleep(http, window, now);
    case 'activities': {
      const activities: unknown[] = [];
      for (const [from, to] of ranges(window, now, ACTIVITY_REACH_DAYS))
        activities.push(
          ...asArray(await http.json({ path: '/v3/users/activities', query: { from, to, steps: true } })),
        );
      return { activities, utc_offset_min: activities.length === 0 ? null : await offsetHint(http) };
    }
    case 'continuous_heart_rate': {
      const days: unknown[] = [];
      for (const [from, to] of ranges(window, now, LIST_REACH_DAYS))
        days.push(
          ...heartRateDays(await http.json({ path: '/v3/users/continuous-heart-rate', query: { from, to } })),
        );
      return { days, utc_offset_min: days.length === 0 ? null : await offsetHint(http) };
    }
    case 'biosensing': {
      const out = { spo2: [] as unknown[], skin_temperature: [] as unknown[] };
      for (const [from, to] of ranges(window, now, LIST_REACH_DAYS)) {
        out.spo2.push(
          ...asArray(await http.json({ path: '/v3/users/biosensing/spo2', query: { from, to } })),
        );
        out.skin_temperature.push(
          ...asArray(await http.json({ path: '/v3/users/biosensing/skintemperature', query: { from, to } })),
        );
      }
      return out;
    }
    case 'physical_info':
      return (await optionalBody(http, '/v3/users/physical-info')) ?? {};
    default:
      throw new ProviderResponseError(`Polar has no resource "${resource}"`);
  }
}

async function fetchExercises(http: VendorHttp, window: PullWindow, now: number): Promise<unknown[]> {
  const horizon = now - EXERCISE_REACH_DAYS * DAY;
  if (window.toMs <= horizon) return [];
  const list = asArray(await http.json({ path: '/v3/exercises' }));
  const out: unknown[] = [];
  for (const item of list) {
    const e = item as Json;
    // By upload, not start: the list is "uploaded in the last 30 days", a watch may sync days after the
    // exercise (an incremental window starts after it did), and an upload falls in exactly one window
    // of a run. The horizon's window takes anything older; the newest one anything uploaded meanwhile.
    const uploaded = Date.parse(String(e.upload_time ?? e['upload-time'] ?? ''));
    const at = Number.isFinite(uploaded) ? uploaded : exerciseStartMs(e);
    if ((at < window.fromMs && window.fromMs > horizon) || (at >= window.toMs && window.toMs < now)) continue;
    const id = String(e.id);
    // The list has no samples, zones or route: each exercise of the window is read in full.
    out.push(await http.json({ path: `/v3/exercises/${encodeURIComponent(id)}${detail}` }));
  }
  return out;
}

async function fetchSleep(http: VendorHttp, window: PullWindow, now: number): Promise<unknown> {
  if (window.toMs <= now - LIST_REACH_DAYS * DAY) return { nights: [], recharges: [] };
  const from = isoDate(window.fromMs);
  const to = isoDate(window.toMs - 1);
  const inWindow = (x: unknown) => {
    const date = (x as Json).date;
    return typeof date === 'string' && date >= from && date <= to;
  };
  const nights = (await optionalBody<Json>(http, '/v3/users/sleep'))?.nights;
  const recharges = (await optionalBody<Json>(http, '/v3/users/nightly-recharge'))?.recharges;
  return { nights: asArray(nights).filter(inWindow), recharges: asArray(recharges).filter(inWindow) };
}

/** What a webhook named: one exercise, one day of a resource, or the physical info. */
export async function fetchPolarTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  const { http } = context;
  const date = target.details?.date ?? (target.fromMs === undefined ? undefined : isoDate(target.fromMs));
  const day = (what: string) => {
    if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new ProviderResponseError(`Polar ${what} notification names no date`);
    return date;
  };
  // Deliberately not `target.url`: the user's token goes only to the configured API host.
  const optional = (path: string, query?: Json) => optionalBody(http, path, query);
  switch (target.resource) {
    case 'exercises': {
      const id = target.objectId ?? target.url?.split('/').pop();
      if (id === undefined || id === '')
        throw new ProviderResponseError('Polar exercise notification names no exercise');
      const exercise = await optional(`/v3/exercises/${encodeURIComponent(id)}${detail}`);
      return [{ resource: 'exercises', payload: exercise === undefined ? [] : [exercise] }];
    }
    case 'sleep': {
      const d = day('sleep');
      const night = await optional(`/v3/users/sleep/${d}`);
      const recharge = await optional(`/v3/users/nightly-recharge/${d}`);
      return [{ resource: 'sleep', payload: { nights: asArray(night), recharges: asArray(recharge) } }];
    }
    case 'activities': {
      const activities = asArray(await optional(`/v3/users/activities/${day('activity')}`, { steps: true }));
      return [{ resource: 'activities', payload: { activities, utc_offset_min: await offsetHint(http) } }];
    }
    case 'continuous_heart_rate': {
      const days = heartRateDays(await optional(`/v3/users/continuous-heart-rate/${day('heart rate')}`));
      return [
        { resource: 'continuous_heart_rate', payload: { days, utc_offset_min: await offsetHint(http) } },
      ];
    }
    case 'physical_info':
      return [{ resource: 'physical_info', payload: (await optional('/v3/users/physical-info')) ?? {} }];
    default:
      throw new ProviderResponseError(`Polar has no resource "${target.resource}"`);
  }
}

/**
 * The user's UTC offset for data Polar gives in device time only (activity, continuous heart rate):
 * the offset of the latest night's start (`/v3/users/sleep/available`), or null when there is none.
 */
async function offsetHint(http: VendorHttp): Promise<number | null> {
  const body = await optionalBody<Json>(http, '/v3/users/sleep/available');
  const nights = asArray(body?.available) as Json[];
  const latest = nights
    .filter((n) => typeof n.start_time === 'string' && typeof n.date === 'string')
    .sort((a, b) => String(b.date).localeCompare(String(a.date)))[0];
  if (latest === undefined) return null;
  try {
    return parseLocal(String(latest.start_time)).offsetMin;
  } catch {
    return null;
  }
}

/** Inclusive date ranges of at most 28 days covering the window, none older than `reachDays`. */
export function ranges(window: PullWindow, now: number, reachDays: number): [string, string][] {
  const first = isoDate(Math.max(window.fromMs, now - reachDays * DAY));
  const last = isoDate(Math.min(window.toMs - 1, now));
  const out: [string, string][] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); isoDate(day) <= last; day += RANGE_DAYS * DAY) {
    const end = Math.min(day + (RANGE_DAYS - 1) * DAY, Date.parse(`${last}T00:00:00Z`));
    out.push([isoDate(day), isoDate(end)]);
  }
  return out;
}

/** The range endpoint's answer as days: an array, `{heart_rates: [...]}`, or one day ([UNV] shape). */
function heartRateDays(body: unknown): unknown[] {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'heart_rates' in body)
    return asArray((body as Json).heart_rates);
  return asArray(body);
}

/** A GET whose 404 ("no data found for date") or 204 (no content) means nothing: undefined then. */
async function optionalBody<T = unknown>(
  http: VendorHttp,
  path: string,
  query?: Json,
): Promise<T | undefined> {
  const response = await http.request<T>({
    path,
    ...(query === undefined ? {} : { query: query as Record<string, string | boolean> }),
    accept: [404],
  });
  return response.status === 200 ? response.body : undefined;
}

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function exerciseStartMs(e: Json): number {
  const start = e.start_time ?? e['start-time'];
  const offset = e.start_time_utc_offset ?? e['start-time-utc-offset'];
  if (typeof start !== 'string')
    throw new ProviderResponseError('Polar exercise list item has no start time');
  const local = parseLocal(start);
  return local.localMs - (typeof offset === 'number' ? offset : (local.offsetMin ?? 0)) * MINUTE;
}
