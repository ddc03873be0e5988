import { ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, VendorHttp } from '../types.ts';
import { DAY, withingsCall } from './common.ts';
import { withingsManifest } from './manifest.ts';
import { MEASURE_TYPES } from './map-measures.ts';

/**
 * How Withings' resources are fetched. Every call is `POST` form with `action=` and the user's Bearer
 * token; lists page with `offset` while `more` is set. Daily lists (`getmeas`, `getactivity`,
 * `getworkouts`, sleep `getsummary`) take a date range or `lastupdate` (changed since): an incremental
 * pull asks for everything changed since the resource's cursor less the lookback, which also brings
 * old-dated data a scale or watch synced late. Intraday activity and sleep detail return at most 24 h
 * per call, so they are read a day (a night) at a time.
 */

type Json = Record<string, unknown>;
const LOOKBACK_MS = withingsManifest.sync.lookback_hours * 3_600_000;
/** A runaway `more` (a vendor bug) must not loop forever. */
const MAX_PAGES = 500;
const INTRADAY_DAYS =
  withingsManifest.sync.resources.find((r) => r.name === 'intraday')?.historical_days ??
  withingsManifest.sync.historical_days;

const MEASTYPES = Object.keys(MEASURE_TYPES).join(',');
const ACTIVITY_FIELDS = 'steps,distance,elevation,calories,totalcalories,active,soft,moderate,intense';
const INTRADAY_FIELDS = 'steps,elevation,calories,distance,duration,heart_rate,spo2_auto,rmssd,sdnn1,rr';
const WORKOUT_FIELDS =
  'calories,intensity,manual_distance,manual_calories,hr_average,hr_min,hr_max,hr_zone_0,hr_zone_1,hr_zone_2,hr_zone_3,pause_duration,algo_pause_duration,spo2_average,steps,distance,elevation,pool_laps,strokes,pool_length';
const SUMMARY_FIELDS =
  'total_timeinbed,total_sleep_time,asleepduration,lightsleepduration,remsleepduration,deepsleepduration,sleep_efficiency,sleep_latency,wakeup_latency,wakeupduration,wakeupcount,waso,hr_average,hr_min,hr_max,rr_average,rr_min,rr_max,sleep_score,snoring,apnea_hypopnea_index';
const DETAIL_FIELDS = 'hr,rr,rmssd,sdnn_1';

const seconds = (ms: number) => Math.floor(ms / 1000);
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Which query a window of a resource asks: a date range; `lastupdate` for the incremental tail (the
 * window holding the cursor less the lookback, or an incremental run's first window); or nothing for
 * later windows that `lastupdate` already covered.
 */
export function rangeOf(
  context: Pick<PullContext, 'cursorMs' | 'windowIndex'>,
  window: PullWindow,
): { kind: 'range' } | { kind: 'lastupdate'; since: number } | { kind: 'covered' } {
  if (context.cursorMs === undefined) return { kind: 'range' };
  const since = context.cursorMs - LOOKBACK_MS;
  if (window.toMs <= since) return { kind: 'range' };
  if (window.fromMs <= since || context.windowIndex === 0)
    return { kind: 'lastupdate', since: seconds(since) };
  return { kind: 'covered' };
}

/** Every page of a list: `body[key]` items until `more` is unset. */
async function pages(
  http: VendorHttp,
  path: string,
  form: Json,
  key: string,
): Promise<{ items: unknown[]; last: Json }> {
  const items: unknown[] = [];
  let offset: unknown;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await withingsCall<Json>(http, {
      method: 'POST',
      path,
      form: {
        ...(form as Record<string, string | number>),
        ...(offset === undefined ? {} : { offset: Number(offset) }),
      },
    });
    const list = body[key];
    if (list !== undefined && !Array.isArray(list))
      throw new ProviderResponseError(
        `Withings ${path} action=${String(form.action)}: "${key}" is not a list`,
      );
    items.push(...(list ?? []));
    const more = body.more === true || body.more === 1;
    if (!more) return { items, last: body };
    if (typeof body.offset !== 'number' || body.offset === offset)
      throw new ProviderResponseError(
        `Withings ${path} action=${String(form.action)} said more without a new offset`,
      );
    offset = body.offset;
  }
  throw new ProviderResponseError(
    `Withings ${path} action=${String(form.action)} kept saying more after ${MAX_PAGES} pages`,
  );
}

/** The query fields of a range: epoch seconds or local dates (`ymd`), or `lastupdate`. */
function rangeFields(
  range: { kind: 'range' } | { kind: 'lastupdate'; since: number },
  window: { fromMs: number; toMs: number },
  dates: boolean,
): Json {
  if (range.kind === 'lastupdate') return { lastupdate: range.since };
  return dates
    ? { startdateymd: ymd(window.fromMs), enddateymd: ymd(window.toMs - 1) }
    : { startdate: seconds(window.fromMs), enddate: seconds(window.toMs) };
}

export async function fetchMeasures(
  http: VendorHttp,
  range: { kind: 'range' } | { kind: 'lastupdate'; since: number },
  window: { fromMs: number; toMs: number },
): Promise<unknown> {
  const form = { action: 'getmeas', meastypes: MEASTYPES, category: 1, ...rangeFields(range, window, false) };
  const { items, last } = await pages(http, '/measure', form, 'measuregrps');
  return { timezone: last.timezone ?? null, measuregrps: items };
}

async function fetchActivity(http: VendorHttp, range: Parameters<typeof rangeFields>[0], window: PullWindow) {
  const form = { action: 'getactivity', data_fields: ACTIVITY_FIELDS, ...rangeFields(range, window, true) };
  return { activities: (await pages(http, '/v2/measure', form, 'activities')).items };
}

async function fetchWorkouts(http: VendorHttp, range: Parameters<typeof rangeFields>[0], window: PullWindow) {
  const form = { action: 'getworkouts', data_fields: WORKOUT_FIELDS, ...rangeFields(range, window, true) };
  return { series: (await pages(http, '/v2/measure', form, 'series')).items };
}

/** Intraday activity a day at a time (Withings returns only the first 24 h after `startdate`). */
async function fetchIntraday(http: VendorHttp, window: { fromMs: number; toMs: number }, now = Date.now()) {
  const series: Json = {};
  // A window may reach further back than intraday's own depth: only its days within that depth.
  const start = Math.max(window.fromMs, now - INTRADAY_DAYS * DAY);
  for (let from = start; from < window.toMs; from += DAY) {
    const body = await withingsCall<Json>(http, {
      method: 'POST',
      path: '/v2/measure',
      form: {
        action: 'getintradayactivity',
        data_fields: INTRADAY_FIELDS,
        startdate: seconds(from),
        enddate: seconds(Math.min(window.toMs, from + DAY)),
      },
    });
    // An empty day is `series: []`.
    if (body.series !== null && typeof body.series === 'object' && !Array.isArray(body.series))
      Object.assign(series, body.series);
  }
  return { series };
}

/** Sleep summaries, then each night's stages and per-second series (a night is under 24 h). */
async function fetchSleep(
  http: VendorHttp,
  range: Parameters<typeof rangeFields>[0],
  window: { fromMs: number; toMs: number },
) {
  const form = { action: 'getsummary', data_fields: SUMMARY_FIELDS, ...rangeFields(range, window, true) };
  const summaries = (await pages(http, '/v2/sleep', form, 'series')).items as Json[];
  const details: unknown[] = [];
  for (const night of summaries) {
    const start = Number(night.startdate);
    const end = Math.min(Number(night.enddate), start + DAY / 1000);
    if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start) continue;
    const body = await withingsCall<Json>(http, {
      method: 'POST',
      path: '/v2/sleep',
      form: { action: 'get', data_fields: DETAIL_FIELDS, startdate: start, enddate: end },
    });
    details.push({ timezone: night.timezone ?? null, model: night.model ?? null, series: body.series ?? [] });
  }
  return { summaries, details };
}

export async function fetchWithings(
  context: PullContext,
  resource: string,
  window: PullWindow,
): Promise<unknown> {
  const { http } = context;
  if (resource === 'intraday') return fetchIntraday(http, window);
  const range = rangeOf(context, window);
  switch (resource) {
    case 'measures':
      return range.kind === 'covered'
        ? { timezone: null, measuregrps: [] }
        : fetchMeasures(http, range, window);
    case 'activity':
      return range.kind === 'covered' ? { activities: [] } : fetchActivity(http, range, window);
    case 'workouts':
      return range.kind === 'covered' ? { series: [] } : fetchWorkouts(http, range, window);
    case 'sleep':
      return range.kind === 'covered' ? { summaries: [], details: [] } : fetchSleep(http, range, window);
    default:
      throw new ProviderResponseError(`Withings has no resource "${resource}"`);
  }
}

/**
 * What a notification named: the span `startdate`–`enddate` of one category. Body measures are read
 * for exactly that span; activity (days, workouts) and sleep by the local dates it touches, a day
 * wider on each side since the span is UTC and the dates are the user's.
 */
export async function fetchWithingsTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  const { http } = context;
  if (target.fromMs === undefined || target.toMs === undefined || target.toMs < target.fromMs)
    throw new ProviderResponseError(
      `Withings ${target.resource} notification names no startdate/enddate span`,
    );
  const span = { fromMs: target.fromMs, toMs: Math.max(target.toMs, target.fromMs + 1000) };
  const days = { fromMs: span.fromMs - DAY, toMs: span.toMs + DAY, label: 'notification' };
  const range = { kind: 'range' } as const;
  switch (target.resource) {
    case 'measures':
      // `enddate` is inclusive for Withings; one second more keeps a reading at exactly `enddate`.
      return [
        {
          resource: 'measures',
          payload: await fetchMeasures(http, range, { ...span, toMs: span.toMs + 1000 }),
        },
      ];
    case 'activity':
      return [
        { resource: 'activity', payload: await fetchActivity(http, range, days) },
        { resource: 'workouts', payload: await fetchWorkouts(http, range, days) },
      ];
    case 'sleep':
      return [{ resource: 'sleep', payload: await fetchSleep(http, range, days) }];
    default:
      throw new ProviderResponseError(`Withings notifications do not name a "${target.resource}" resource`);
  }
}
