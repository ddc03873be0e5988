import { ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, VendorHttp } from '../types.ts';
import {
  FITBIT_RESOURCE_DATA_TYPES,
  type FitbitResource,
  GOOGLE_HEALTH_PATHS,
  PAGE_SIZE,
  type TimeShape,
} from './manifest.ts';
import { isObject } from './map-common.ts';

/**
 * Reading the Google Health API v4: `GET /v4/users/me/dataTypes/{type}/dataPoints` per data type of a
 * resource, bounded by an AIP-160 `filter` on the type's time field, every `nextPageToken` page
 * followed (AIP-158 `pageSize`/`pageToken`), merged into one `{dataPoints}` payload per resource.
 */

const DAY_MS = 86_400_000;
/** A notification's changed interval is read with this much margin (sessions are filtered by one end). */
const TARGET_PAD_MS = { session: DAY_MS, daily: DAY_MS, sample: 3_600_000, interval: 3_600_000 } as const;

export interface FitbitPayload {
  dataPoints: unknown[];
}

const isResource = (r: string): r is FitbitResource => Object.hasOwn(FITBIT_RESOURCE_DATA_TYPES, r);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The `filter` bounding one data type to [fromMs, toMs). Filter fields are snake_case
 * (`heart_rate.sample_time.physical_time`). Sleep is filtered by its END so a night that began before
 * the window but ended in it is read with the window it ends in ([UNV]: Google documents
 * `interval.start_time` for interval types; `end_time` for sleep follows open-wearables' working
 * client). Daily types by civil date, a day wider on both sides (any time zone's day is covered).
 */
export function timeFilter(dataType: string, shape: TimeShape, fromMs: number, toMs: number): string {
  const field = dataType.replace(/-/g, '_');
  const range = (member: string, low: string, high: string) =>
    `${member} >= "${low}" AND ${member} < "${high}"`;
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  switch (shape) {
    case 'sample':
      return range(`${field}.sample_time.physical_time`, from, to);
    case 'interval':
      return range(`${field}.interval.start_time`, from, to);
    case 'session':
      return range(`${field}.interval.${dataType === 'sleep' ? 'end_time' : 'start_time'}`, from, to);
    case 'daily':
      return range(`${field}.date`, isoDay(fromMs - DAY_MS), isoDay(toMs + DAY_MS));
  }
}

/** Every page of one data type over a window. A page token that comes back again would loop: refused. */
async function listAll(
  http: VendorHttp,
  dataType: string,
  shape: TimeShape,
  fromMs: number,
  toMs: number,
): Promise<unknown[]> {
  const points: unknown[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  do {
    const { status, body } = await http.request({
      path: GOOGLE_HEALTH_PATHS.dataPoints(dataType),
      query: {
        pageSize: shape === 'session' ? PAGE_SIZE.session : PAGE_SIZE.other,
        filter: timeFilter(dataType, shape, fromMs, toMs),
        pageToken,
      },
      accept: [403],
    });
    // Users may withhold any scope on Google's consent screen (Google asks apps to degrade gracefully):
    // a data type whose scope was not granted is read as empty instead of failing the whole run.
    if (status === 403) return [];
    if (!isObject(body))
      throw new ProviderResponseError(`Google Health ${dataType}: the answer is not a JSON object`);
    // An empty page may omit `dataPoints` altogether (proto3 JSON drops empty repeated fields).
    const page = body.dataPoints ?? [];
    if (!Array.isArray(page))
      throw new ProviderResponseError(`Google Health ${dataType}: "dataPoints" is not an array`);
    points.push(...page);
    const next = body.nextPageToken;
    pageToken = typeof next === 'string' && next !== '' ? next : undefined;
    if (pageToken !== undefined) {
      if (seen.has(pageToken))
        throw new ProviderResponseError(`Google Health ${dataType}: nextPageToken came back twice`);
      seen.add(pageToken);
    }
  } while (pageToken !== undefined);
  return points;
}

async function fetchResource(
  http: VendorHttp,
  resource: FitbitResource,
  fromMs: number,
  toMs: number,
  only?: string,
): Promise<FitbitPayload> {
  const dataPoints: unknown[] = [];
  for (const { dataType, shape } of FITBIT_RESOURCE_DATA_TYPES[resource]) {
    if (only !== undefined && dataType !== only) continue;
    dataPoints.push(...(await listAll(http, dataType, shape, fromMs, toMs)));
  }
  return { dataPoints };
}

/** One resource over one window: every data type of it, every page (the engine archives and maps it). */
export async function fetchFitbit(
  context: PullContext,
  resource: string,
  window: PullWindow,
): Promise<unknown> {
  if (!isResource(resource)) throw new ProviderResponseError(`Fitbit: unknown resource "${resource}"`);
  return fetchResource(context.http, resource, window.fromMs, window.toMs);
}

/**
 * What a notification named: the changed interval of one data type (`details.dataType`), padded by
 * its shape's margin, or every data type of the resource when the target names none.
 */
export async function fetchFitbitTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  const { resource } = target;
  if (!isResource(resource)) throw new ProviderResponseError(`Fitbit: unknown resource "${resource}"`);
  if (target.fromMs === undefined || target.toMs === undefined)
    throw new ProviderResponseError(`Fitbit: a ${resource} target names no interval`);
  const only = target.details?.dataType;
  const shape = FITBIT_RESOURCE_DATA_TYPES[resource].find((t) => t.dataType === only)?.shape ?? 'session';
  const pad = TARGET_PAD_MS[shape];
  const payload = await fetchResource(context.http, resource, target.fromMs - pad, target.toMs + pad, only);
  return [{ resource, payload }];
}

/**
 * The Google Health user id (`healthUserId` of `GET /v4/users/me/identity`): the `{user}` of Google's
 * resource names and the id its notifications carry, so it is the connection's routing key. (The
 * `legacyUserId` is the old Fitbit id, for migrations only; the id token's `sub` would need the
 * `openid` scope and is not the id notifications carry.) [UNV] which scopes the identity call needs:
 * Google's HealthProfileService lists the read scopes WearLink asks for among its defaults.
 */
export async function identifyFitbit(http: VendorHttp): Promise<{ providerUserId: string }> {
  const body = await http.json({ path: GOOGLE_HEALTH_PATHS.identity });
  const id = isObject(body) ? body.healthUserId : undefined;
  if (typeof id !== 'string' || id === '')
    throw new ProviderResponseError('Google Health identity: the answer has no "healthUserId"');
  return { providerUserId: id };
}
