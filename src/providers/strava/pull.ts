import { ProviderAuthError, ProviderResponseError } from '../errors.ts';
import type { PullContext, PullTarget, PullWindow, TokenSet, VendorHttp, VendorRequest } from '../types.ts';
import { parseStravaJson, StravaJsonError } from './json.ts';
import type { AthletePayload } from './schemas.ts';

/** The `activities` payload as fetched (what the archive keeps and `mapActivities` reads). */
type Fetched = { activities: unknown[]; streams: Record<string, unknown> };

/** Strava's maximum page size (a larger `per_page` is refused with 400). */
export const STRAVA_PAGE_SIZE = 200;
/** A runaway guard: 200 pages of 200 is 40,000 activities in one window. */
const MAX_PAGES = 200;
/** The streams WearLink maps: heart rate, the route (position, altitude, speed), all indexed by time. */
export const STRAVA_STREAM_KEYS = 'time,latlng,altitude,heartrate,velocity_smooth';

/**
 * A Strava call whose body is read as text and parsed with `parseStravaJson`, so int64 ids stay exact
 * strings. Returns undefined for a status in `accept` (e.g. 404: gone, or private without
 * `activity:read_all`).
 */
export async function stravaJson(http: VendorHttp, request: VendorRequest): Promise<unknown> {
  const response = await http.request<string>({ ...request, responseType: 'text' });
  if (request.accept?.includes(response.status)) return undefined;
  const where = `${request.method ?? 'GET'} ${request.path}`;
  if (typeof response.body !== 'string' || response.body.trim() === '')
    throw new ProviderResponseError(`Strava answered an empty body on ${where}`, response.status);
  try {
    return parseStravaJson(response.body);
  } catch (error) {
    if (!(error instanceof StravaJsonError)) throw error;
    throw new ProviderResponseError(
      `Strava answered malformed JSON on ${where} (${error.message}): ${response.body.slice(0, 120)}`,
      response.status,
    );
  }
}

const idOf = (activity: unknown): string | undefined => {
  const id = (activity as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
};

/**
 * Every activity that started in the window, page by page until a short page: `after` and `before`
 * are epoch seconds and exclusive, so `after` is one second before the window (start times are whole
 * seconds) and adjacent windows neither miss nor share an activity.
 *
 * @example const summaries = await listActivities(context.http, window); // every page, exact ids
 */
export async function listActivities(http: VendorHttp, window: PullWindow): Promise<unknown[]> {
  const seen = new Map<string, unknown>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const body = await stravaJson(http, {
      path: '/athlete/activities',
      query: {
        after: Math.floor(window.fromMs / 1000) - 1,
        before: Math.ceil(window.toMs / 1000),
        page,
        per_page: STRAVA_PAGE_SIZE,
      },
    });
    if (!Array.isArray(body))
      throw new ProviderResponseError(`Strava's activity list (page ${page}) is not an array`);
    // An activity uploaded while paging shifts later pages by one: the id keeps it single.
    for (const activity of body) seen.set(idOf(activity) ?? `#${seen.size}`, activity);
    if (body.length < STRAVA_PAGE_SIZE) return [...seen.values()];
  }
  throw new ProviderResponseError(`Strava's activity list did not end within ${MAX_PAGES} pages`);
}

/** Worth a streams call: recorded (not manual) with a heart-rate sensor or a GPS track. */
function hasStreams(activity: Record<string, unknown>): boolean {
  if (activity.manual === true) return false;
  const gps = Array.isArray(activity.start_latlng) && activity.start_latlng.length === 2;
  return activity.has_heartrate === true || gps || activity.has_heartrate === undefined;
}

/**
 * One activity's detail (calories, device, laps) and streams. A 404 of the detail means gone (or made
 * private without `activity:read_all`): nothing. `fallback` is the list's summary when there is one.
 */
async function activityWithStreams(
  http: VendorHttp,
  id: string,
  fallback: unknown,
  payload: Fetched,
): Promise<void> {
  const detail = (await stravaJson(http, { path: `/activities/${id}`, accept: [404] })) ?? fallback;
  if (detail === undefined || detail === null || typeof detail !== 'object') return;
  payload.activities.push(detail);
  if (!hasStreams(detail as Record<string, unknown>)) return;
  const streams = await stravaJson(http, {
    path: `/activities/${id}/streams`,
    query: { keys: STRAVA_STREAM_KEYS, key_by_type: true },
    accept: [404],
  });
  if (streams !== undefined) payload.streams[id] = streams;
}

async function fetchActivities(context: PullContext, window: PullWindow): Promise<Fetched> {
  const payload: Fetched = { activities: [], streams: {} };
  for (const summary of await listActivities(context.http, window)) {
    const id = idOf(summary);
    if (id === undefined) throw new ProviderResponseError("An activity in Strava's list has no id");
    await activityWithStreams(context.http, id, summary, payload);
  }
  return payload;
}

async function fetchAthlete(http: VendorHttp): Promise<AthletePayload> {
  const athlete = await stravaJson(http, { path: '/athlete' });
  return { athlete: athlete ?? null, fetched_at: new Date().toISOString() };
}

/** `PullAdapter.fetch`: one resource over one window. */
export async function fetchStrava(
  context: PullContext,
  resource: string,
  window: PullWindow,
): Promise<unknown> {
  switch (resource) {
    case 'activities':
      return fetchActivities(context, window);
    case 'athlete':
      // The profile is current state, not a history: once per run (the run's first window) is enough.
      if (context.windowIndex !== 0) return { athlete: null, fetched_at: new Date().toISOString() };
      return fetchAthlete(context.http);
    default:
      throw new ProviderResponseError(`Strava has no resource "${resource}"`);
  }
}

/** `PullAdapter.fetchTarget`: what a webhook event named (one activity, or the athlete). */
export async function fetchStravaTarget(
  context: PullContext,
  target: PullTarget,
): Promise<{ resource: string; payload: unknown }[]> {
  if (target.resource === 'athlete')
    return [{ resource: 'athlete', payload: await fetchAthlete(context.http) }];
  if (target.resource !== 'activities' || target.objectId === undefined || !/^\d+$/.test(target.objectId))
    throw new ProviderResponseError(`Strava cannot pull ${JSON.stringify(target)}`);
  const payload: Fetched = { activities: [], streams: {} };
  await activityWithStreams(context.http, target.objectId, undefined, payload);
  return [{ resource: 'activities', payload }];
}

/** Scopes that let WearLink read activities (`activity:read_all` adds "Only Me" ones). */
const ACTIVITY_SCOPES = ['activity:read', 'activity:read_all'];

/**
 * After the code exchange: the athlete's id. Strava reports the scopes the user left ticked (on the
 * redirect, which the platform keeps as `tokens.scope`); without an activity scope nothing can be
 * synced, and the user is told so instead of getting an empty connection.
 */
export async function identifyStrava(context: { http: VendorHttp; tokens: TokenSet }): Promise<{
  providerUserId: string;
}> {
  const { tokens } = context;
  if (tokens.scope !== undefined) {
    const granted = tokens.scope.split(/[,\s]+/).filter((s) => s !== '');
    if (!granted.some((s) => ACTIVITY_SCOPES.includes(s)))
      throw new ProviderAuthError(
        `Strava access to activities was not granted (granted scope: "${granted.join(',') || 'none'}"); ` +
          'connect again and keep "View data about your activities" ticked',
      );
  }
  // The token response's `athlete` summary [UNV] passed through JSON.parse: trusted only while exact.
  const athlete = tokens.extra?.athlete as { id?: unknown } | undefined;
  const id = athlete?.id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return { providerUserId: id };
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return { providerUserId: String(id) };
  const profile = await stravaJson(context.http, { path: '/athlete' });
  const profileId = idOf(profile);
  if (profileId === undefined || !/^\d+$/.test(profileId))
    throw new ProviderResponseError('Strava /athlete answered without an athlete id');
  return { providerUserId: profileId };
}
