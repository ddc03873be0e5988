import { ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, VendorHttp } from '../types.ts';
import type { WhoopRecoveryPayload } from './map-recovery.ts';
import type { WhoopBodyPayload } from './map-workout.ts';
import { parseWhoop, WhoopPage, WhoopRecovery, WhoopSleep } from './schemas.ts';

/** WHOOP's collections, by resource name. All answer `{records, next_token}`, newest first. */
const COLLECTIONS: Record<string, string> = {
  cycle: '/developer/v2/cycle',
  recovery: '/developer/v2/recovery',
  sleep: '/developer/v2/activity/sleep',
  workout: '/developer/v2/activity/workout',
};
const SLEEP = '/developer/v2/activity/sleep';

/** WHOOP's maximum page size (400 above it). */
export const WHOOP_PAGE_LIMIT = 25;
/** A loop guard: 25 × 2,000 records is far more than one window of one member can hold. */
const MAX_PAGES = 2000;
const DAY_MS = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Every page of one collection over `[fromMs, toMs)` (`start` inclusive, `end` exclusive), following
 * `next_token` from each answer into the next request's `nextToken` until WHOOP sends none.
 *
 * @example await fetchPages(http, 'workout', { fromMs, toMs, label }) // [{ records, next_token }, …]
 */
export async function fetchPages(http: VendorHttp, resource: string, window: PullWindow): Promise<unknown[]> {
  const path = COLLECTIONS[resource];
  if (path === undefined) throw new ProviderResponseError(`WHOOP has no collection "${resource}"`);
  const pages: unknown[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const body = await http.json({
      path,
      query: { limit: WHOOP_PAGE_LIMIT, start: iso(window.fromMs), end: iso(window.toMs), nextToken },
    });
    const page = parseWhoop(WhoopPage, body, `${resource} page ${pages.length + 1}`);
    pages.push(body);
    nextToken = page.next_token ?? undefined;
    if (nextToken === '') nextToken = undefined;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) {
        throw new ProviderResponseError(`WHOOP ${resource} pagination repeated next_token "${nextToken}"`);
      }
      seen.add(nextToken);
    }
    if (pages.length >= MAX_PAGES) {
      throw new ProviderResponseError(`WHOOP ${resource} pagination did not end after ${MAX_PAGES} pages`);
    }
  } while (nextToken !== undefined);
  return pages;
}

/**
 * One resource over one window, every page of it, as the engine archives it: `{pages}` for the
 * collections, recoveries with the sleeps they were measured in, and the body measurement only in a
 * window that reaches today (WHOOP keeps just the current one, without a date).
 */
export async function fetchWhoop(
  context: PullContext,
  resource: string,
  window: PullWindow,
): Promise<unknown> {
  if (resource === 'body') return fetchBody(context.http, window);
  const pages = await fetchPages(context.http, resource, window);
  if (resource !== 'recovery') return { pages };
  return { pages, sleeps: await sleepsFor(context.http, pages, window) } satisfies WhoopRecoveryPayload;
}

async function fetchBody(http: VendorHttp, window: PullWindow): Promise<WhoopBodyPayload> {
  const now = Date.now();
  // Filed at the start of the UTC day: pulls on the same day store one measurement, not one per pull.
  const measured_at = iso(Math.floor(now / DAY_MS) * DAY_MS);
  if (window.toMs < now - DAY_MS) return { measured_at, body: null };
  return { measured_at, body: await http.json({ path: '/developer/v2/user/measurement/body' }) };
}

/**
 * The sleeps the recoveries of `pages` were measured in: the window's sleep pages (a recovery's sleep
 * starts its cycle), then any still missing one by one.
 */
async function sleepsFor(http: VendorHttp, pages: unknown[], window: PullWindow): Promise<unknown[]> {
  const wanted = new Set<string>();
  for (const page of pages) {
    for (const [i, raw] of parseWhoop(WhoopPage, page, 'recovery page').records.entries()) {
      const recovery = parseWhoop(WhoopRecovery, raw, `recovery record ${i + 1}`);
      if (recovery.score_state === 'SCORED' && recovery.sleep_id) wanted.add(recovery.sleep_id);
    }
  }
  if (wanted.size === 0) return [];
  const sleeps: unknown[] = [];
  for (const page of await fetchPages(http, 'sleep', window)) {
    for (const raw of parseWhoop(WhoopPage, page, 'sleep page').records) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && wanted.delete(id)) sleeps.push(raw);
    }
  }
  for (const id of wanted) {
    const sleep = await fetchOne(http, `${SLEEP}/${encodeURIComponent(id)}`);
    if (sleep !== undefined) sleeps.push(sleep);
  }
  return sleeps;
}

/** One record, or undefined when WHOOP no longer has it (404: deleted since it was named). */
async function fetchOne(http: VendorHttp, path: string): Promise<unknown> {
  const response = await http.request({ path, accept: [404] });
  return response.status === 404 ? undefined : response.body;
}

const isCycleId = (id: string) => /^\d+$/.test(id);

/**
 * What a webhook named: one sleep or workout by its UUID; a recovery by its cycle id (or by the UUID of
 * its sleep, see webhook.ts), pulled with its sleep and its cycle (whose strain WHOOP re-scores with it).
 * An object WHOOP answers 404 for yields nothing (deleted meanwhile).
 */
export async function fetchWhoopTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  const { http } = context;
  const id = target.objectId;
  if (id === undefined || id === '')
    throw new ProviderResponseError(`WHOOP ${target.resource} target has no id`);
  const one = (record: unknown) => ({ pages: [{ records: [record], next_token: null }] });
  switch (target.resource) {
    case 'sleep':
    case 'workout': {
      const record = await fetchOne(http, `${COLLECTIONS[target.resource]}/${encodeURIComponent(id)}`);
      return record === undefined ? [] : [{ resource: target.resource, payload: one(record) }];
    }
    case 'recovery': {
      let cycleId = id;
      let sleep: unknown;
      if (!isCycleId(id)) {
        sleep = await fetchOne(http, `${SLEEP}/${encodeURIComponent(id)}`);
        if (sleep === undefined) return [];
        const cycle = parseWhoop(WhoopSleep, sleep, `sleep ${id}`).cycle_id;
        if (cycle === null || cycle === undefined) return [{ resource: 'sleep', payload: one(sleep) }];
        cycleId = String(cycle);
      }
      const recovery = await fetchOne(http, `/developer/v2/cycle/${cycleId}/recovery`);
      const cycle = await fetchOne(http, `/developer/v2/cycle/${cycleId}`);
      const out: { resource: string; payload: unknown }[] = [];
      if (cycle !== undefined) out.push({ resource: 'cycle', payload: one(cycle) });
      if (recovery === undefined) return out;
      const sleepId = parseWhoop(WhoopRecovery, recovery, `recovery of cycle ${cycleId}`).sleep_id;
      if (sleep === undefined && sleepId)
        sleep = await fetchOne(http, `${SLEEP}/${encodeURIComponent(sleepId)}`);
      const payload: WhoopRecoveryPayload = { ...one(recovery), sleeps: sleep === undefined ? [] : [sleep] };
      out.push({ resource: 'recovery', payload });
      return out;
    }
    default:
      throw new ProviderResponseError(`WHOOP cannot pull a "${target.resource}" target`);
  }
}
