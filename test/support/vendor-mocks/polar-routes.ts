import type { PolarUserData } from './polar.ts';
import type { PolarRecord } from './polar-data.ts';

/**
 * The Polar mock's data routes for one registered user, as AccessLink answers them: the 30-day
 * exercise list (samples, zones and route only when asked), dated single reads (404 "no data found",
 * 204 for an activity day without data), the 28-day sleep and recharge lists, and the range routes with
 * Polar's rules (400 for more than 28 days between `from` and `to`, or an activity `from` older than
 * 365 days).
 */

const DAY = 86_400_000;

export function polarDataAnswer(
  user: PolarUserData,
  method: string,
  url: URL,
): { status: number; body?: unknown } {
  if (method !== 'GET') return { status: 405, body: { message: 'method not allowed' } };
  const path = url.pathname;
  const q = url.searchParams;
  const now = Date.now();
  const byDate = (list: PolarRecord[], date: string) => list.find((r) => r.date === date);
  const recent = (list: PolarRecord[], days: number) =>
    list.filter((r) => Date.parse(`${String(r.date)}T00:00:00Z`) >= now - days * DAY);
  const exerciseMatch = /^\/v3\/exercises\/([^/]+)(\/fit)?$/.exec(path);
  const dated =
    /^\/v3\/users\/(sleep|nightly-recharge|continuous-heart-rate|activities)\/(\d{4}-\d{2}-\d{2})$/.exec(
      path,
    );
  if (path === '/v3/exercises') {
    const list = user.exercises.filter((e) => Date.parse(String(e.upload_time)) >= now - 30 * DAY);
    return { status: 200, body: list.map((e) => withDetail(e, q)) };
  }
  if (exerciseMatch !== null) {
    const exercise = user.exercises.find((e) => e.id === exerciseMatch[1]);
    if (exercise === undefined) return { status: 404, body: { message: 'Exercise not found' } };
    return {
      status: 200,
      body: exerciseMatch[2] === undefined ? withDetail(exercise, q) : { fit: 'binary' },
    };
  }
  if (dated !== null) {
    const [, kind, date] = dated as unknown as [string, string, string];
    const found =
      kind === 'sleep'
        ? byDate(user.nights, date)
        : kind === 'nightly-recharge'
          ? byDate(user.recharges, date)
          : kind === 'continuous-heart-rate'
            ? byDate(user.heartRateDays, date)
            : user.activities.find((a) => String(a.start_time).startsWith(date));
    if (found !== undefined) return { status: 200, body: found };
    // Activities answer 204 for a day without data; the others 404 (as the spec lists them).
    return kind === 'activities'
      ? { status: 204 }
      : { status: 404, body: { message: 'No data found for date' } };
  }
  if (path === '/v3/users/sleep') return { status: 200, body: { nights: recent(user.nights, 28) } };
  if (path === '/v3/users/sleep/available')
    return {
      status: 200,
      body: {
        available: recent(user.nights, 28).map((n) => ({
          date: n.date,
          start_time: n.sleep_start_time,
          end_time: n.sleep_end_time,
        })),
      },
    };
  if (path === '/v3/users/nightly-recharge')
    return { status: 200, body: { recharges: recent(user.recharges, 28) } };
  if (path === '/v3/users/activities' || path === '/v3/users/continuous-heart-rate') {
    const range = checkRange(q, now, path.endsWith('activities'));
    if ('error' in range) return { status: 400, body: { status: 400, message: range.error } };
    if (path === '/v3/users/continuous-heart-rate')
      // [UNV] The spec's range answer is one day's schema; a list under `heart_rates` is served here.
      return {
        status: 200,
        body: { heart_rates: user.heartRateDays.filter((d) => inRange(String(d.date), range)) },
      };
    const days = user.activities.filter((a) => inRange(String(a.start_time).slice(0, 10), range));
    return {
      status: 200,
      body: days.map((a) => (q.get('steps') === 'true' ? a : { ...a, samples: undefined })),
    };
  }
  if (path.startsWith('/v3/users/biosensing/')) return { status: 204 };
  if (path === '/v3/users/physical-info')
    return user.physicalInfo === null ? { status: 204 } : { status: 200, body: user.physicalInfo };
  return { status: 404, body: { message: `no route ${path}` } };
}

/** Samples, zones and route only when asked for (as `/v3/exercises?samples=true&zones=true`). */
function withDetail(e: PolarRecord, q: URLSearchParams): PolarRecord {
  const out = { ...e };
  if (q.get('samples') !== 'true') delete out.samples;
  if (q.get('zones') !== 'true') delete out.heart_rate_zones;
  if (q.get('route') !== 'true') delete out.route;
  return out;
}

function checkRange(
  q: URLSearchParams,
  now: number,
  activity: boolean,
): { from: string; to: string } | { error: string } {
  const today = new Date(now).toISOString().slice(0, 10);
  const from = q.get('from') ?? new Date(now - 28 * DAY).toISOString().slice(0, 10);
  const to = q.get('to') ?? today;
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs)
    return { error: 'Invalid date range' };
  if (toMs - fromMs > 28 * DAY) return { error: 'Maximum range between from and to is 28 days' };
  if (activity && fromMs < Date.parse(`${today}T00:00:00Z`) - 365 * DAY)
    return { error: 'Invalid or too old date. Cannot be older than 365 days.' };
  return { from, to };
}

const inRange = (date: string, r: { from: string; to: string }) => date >= r.from && date <= r.to;
