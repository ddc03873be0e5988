import { z } from 'zod';
import { ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, VendorHttp } from '../types.ts';
import {
  OURA_COLLECTION_PATHS,
  OURA_PERSONAL_INFO_PATH,
  OURA_TIME_SERIES_MAX_DAYS,
  OURA_TIME_SERIES_PATHS,
  type OuraCollection,
} from './manifest.ts';
import { OuraPayloadError } from './map-common.ts';

/**
 * Reading Oura: day-document collections by `start_date`/`end_date`, the heart-rate series by
 * `start_datetime`/`end_datetime` in chunks of at most 30 days, every `next_token` page followed to
 * the end and merged into one `{data, next_token: null}` payload per resource and window.
 */

const DAY_MS = 86_400_000;
const Page = z.looseObject({ data: z.array(z.unknown()), next_token: z.string().nullish() });

export interface OuraPage {
  data: unknown[];
  next_token: null;
}

const isCollection = (resource: string): resource is OuraCollection =>
  Object.hasOwn(OURA_COLLECTION_PATHS, resource);

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A 403 from Oura means a scope the user did not grant or a lapsed membership: say both. */
async function get(
  http: VendorHttp,
  resource: string,
  path: string,
  query: Record<string, string | undefined>,
  accept: number[] = [],
): Promise<{ status: number; body: unknown }> {
  const response = await http.request({ path, query, accept: [403, ...accept] });
  if (response.status === 403)
    throw new ProviderResponseError(
      `Oura refused ${resource} (403): the user did not grant its scope, or their Oura membership has lapsed`,
      403,
    );
  return response;
}

/** Every page of one query, merged. A `next_token` that comes back again would loop: refused. */
async function allPages(
  http: VendorHttp,
  resource: string,
  path: string,
  query: Record<string, string>,
): Promise<unknown[]> {
  const data: unknown[] = [];
  const seen = new Set<string>();
  let next: string | undefined;
  do {
    const { body } = await get(http, resource, path, { ...query, next_token: next });
    const page = Page.safeParse(body);
    if (!page.success) throw new OuraPayloadError(`Oura ${resource}: the answer has no "data" array`);
    data.push(...page.data.data);
    next = page.data.next_token ?? undefined;
    if (next !== undefined) {
      if (seen.has(next))
        throw new OuraPayloadError(`Oura ${resource}: next_token "${next}" came back twice`);
      seen.add(next);
    }
  } while (next !== undefined);
  return data;
}

/**
 * Day collections are filtered by the user's local `day`, a window by UTC instants: the query reaches
 * a day further on both sides, so a day in any time zone is read whether `end_date` is inclusive or
 * exclusive (Oura does not say, [UNV]). Overlaps with the next window are idempotent writes.
 */
async function fetchCollection(
  http: VendorHttp,
  resource: OuraCollection,
  window: PullWindow,
): Promise<OuraPage> {
  const data = await allPages(http, resource, OURA_COLLECTION_PATHS[resource], {
    start_date: isoDay(window.fromMs - DAY_MS),
    end_date: isoDay(window.toMs + DAY_MS),
  });
  return { data, next_token: null };
}

async function fetchHeartRate(http: VendorHttp, window: PullWindow): Promise<OuraPage> {
  const data: unknown[] = [];
  const chunk = OURA_TIME_SERIES_MAX_DAYS * DAY_MS;
  for (let from = window.fromMs; from < window.toMs; from += chunk) {
    const to = Math.min(window.toMs, from + chunk);
    data.push(
      ...(await allPages(http, 'heartrate', OURA_TIME_SERIES_PATHS.heartrate, {
        start_datetime: new Date(from).toISOString(),
        end_datetime: new Date(to).toISOString(),
      })),
    );
  }
  return { data, next_token: null };
}

/** The profile, stamped with when it was read (its weight and height carry no date of their own). */
async function fetchPersonalInfo(http: VendorHttp): Promise<Record<string, unknown>> {
  const { body } = await get(http, 'personal_info', OURA_PERSONAL_INFO_PATH, {});
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new OuraPayloadError('Oura personal_info: the answer is not an object');
  return { ...(body as Record<string, unknown>), retrieved_at: new Date().toISOString() };
}

/** One resource over one window, every page (the engine archives and maps the result). */
export async function fetchOura(
  context: PullContext,
  resource: string,
  window: PullWindow,
): Promise<unknown> {
  if (resource === 'personal_info') return fetchPersonalInfo(context.http);
  if (resource === 'heartrate') return fetchHeartRate(context.http, window);
  if (isCollection(resource)) return fetchCollection(context.http, resource, window);
  throw new ProviderResponseError(`Oura: unknown resource "${resource}"`);
}

/**
 * What a webhook named: one document (`GET …/{resource}/{object_id}`, wrapped as a one-document page),
 * or a window of a resource. A document gone by the time we fetch it (404) yields nothing.
 */
export async function fetchOuraTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  const { resource } = target;
  if (target.objectId !== undefined) {
    if (!isCollection(resource))
      throw new ProviderResponseError(`Oura: "${resource}" has no single-document route`);
    const path = `${OURA_COLLECTION_PATHS[resource]}/${encodeURIComponent(target.objectId)}`;
    const { status, body } = await get(context.http, resource, path, {}, [404]);
    if (status === 404) return [];
    return [{ resource, payload: { data: [body], next_token: null } }];
  }
  if (target.fromMs !== undefined && target.toMs !== undefined) {
    const window = { fromMs: target.fromMs, toMs: target.toMs, label: `${resource} target` };
    return [{ resource, payload: await fetchOura(context, resource, window) }];
  }
  throw new ProviderResponseError(`Oura: a ${resource} target names neither a document nor a window`);
}

/** The Oura user id of the tokens' owner (no scope needed for it). */
export async function identifyOura(http: VendorHttp): Promise<{ providerUserId: string }> {
  const { body } = await get(http, 'personal_info', OURA_PERSONAL_INFO_PATH, {});
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '')
    throw new OuraPayloadError('Oura personal_info: the answer has no user "id"');
  return { providerUserId: id };
}
