import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { TokenService } from '../auth/tokens.ts';
import { findSeriesTypeByName, type SeriesTypeName } from '../catalog/series-types.ts';
import type { Db } from '../db/database.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { boundedDate } from './date-range.ts';
import { workoutRoute } from './workouts.repo.ts';

const isoDate = boundedDate;

export const EventsQuery = z
  .object({
    start_date: isoDate.openapi({ description: 'First UTC day (inclusive), by start time' }),
    end_date: isoDate.openapi({ description: 'Last UTC day (inclusive), by start time' }),
    cursor: z.string().max(500).optional().openapi({ description: 'next_cursor from the previous page' }),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  // ISO dates compare correctly as strings.
  .refine((q) => q.end_date >= q.start_date, {
    path: ['end_date'],
    message: 'end_date is before start_date',
  });
type EventsQuery = z.infer<typeof EventsQuery>;

const SourceRef = z.object({ provider: z.string(), device: z.string().nullable() });
const nullableNumber = z.number().nullable();

const Pagination = z.object({
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
  total_count: z.number().int(),
});

const Workout = z
  .object({
    id: z.uuid(),
    type: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    duration_seconds: z.number(),
    distance_meters: nullableNumber,
    calories_kcal: nullableNumber,
    avg_heart_rate_bpm: nullableNumber,
    max_heart_rate_bpm: nullableNumber,
    avg_pace_sec_per_km: nullableNumber,
    elevation_gain_meters: nullableNumber,
    steps: nullableNumber,
    source: SourceRef,
    source_activity_type: z.string().nullable(),
    utc_offset_minutes: z.number().int().nullable(),
    statistics: z.record(z.string(), z.unknown()),
    segments: z.array(z.record(z.string(), z.unknown())),
    route_points: z.number().int().openapi({ description: 'How many GPS points are stored for the route' }),
  })
  .openapi('WorkoutEvent');

const SleepStageRun = z.object({ stage: z.string(), start: z.string(), end: z.string() });

const Sleep = z
  .object({
    id: z.uuid(),
    start_time: z.string(),
    end_time: z.string(),
    duration_seconds: z.number(),
    sleep_duration_seconds: z.number(),
    efficiency_percent: nullableNumber,
    is_nap: z.boolean(),
    stages: z.object({
      awake_minutes: z.number(),
      light_minutes: z.number(),
      deep_minutes: z.number(),
      rem_minutes: z.number(),
      unknown_minutes: z.number(),
    }),
    interruptions: z.number().int(),
    avg_heart_rate_bpm: nullableNumber,
    avg_hrv_sdnn_ms: nullableNumber,
    avg_respiratory_rate: nullableNumber,
    avg_spo2_percent: nullableNumber,
    source: SourceRef,
    utc_offset_minutes: z.number().int().nullable(),
    timeline: z.array(SleepStageRun).openapi({ description: 'Non-overlapping stage runs, in order' }),
  })
  .openapi('SleepEvent');

/** Default and ceiling of route points per answer: plenty for a map, bounded for a phone's memory. */
export const ROUTE_DEFAULT_POINTS = 5000;
export const ROUTE_MAX_POINTS = 20_000;

const RouteQuery = z.object({
  max_points: z.coerce
    .number()
    .int()
    .min(2)
    .max(ROUTE_MAX_POINTS)
    .default(ROUTE_DEFAULT_POINTS)
    .openapi({
      description: `At most this many points (${ROUTE_DEFAULT_POINTS} by default, up to ${ROUTE_MAX_POINTS}); a longer route is downsampled`,
    }),
});

const WorkoutRoute = z
  .object({
    workout_id: z.uuid(),
    total_points: z.number().int().openapi({ description: 'Points stored for the route' }),
    downsampled: z.boolean().openapi({
      description:
        'True when the route had more than max_points: then every k-th point is returned (k the smallest stride that fits), first and last always included',
    }),
    points: z.array(
      z.object({
        time: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        altitude_m: nullableNumber,
      }),
    ),
  })
  .openapi('WorkoutRoute');

const WorkoutPage = z.object({ data: z.array(Workout), pagination: Pagination }).openapi('WorkoutEventPage');
const SleepPage = z.object({ data: z.array(Sleep), pagination: Pagination }).openapi('SleepEventPage');

const CursorShape = z.object({
  /** Start time of the last item returned, with microseconds, as the database holds it. */
  t: cursorField.timestamp(),
  i: z.uuid(),
  // A cursor belongs to one list and one date range: using it on another would silently skip rows.
  q: cursorField.fingerprint(),
});
type Cursor = z.infer<typeof CursorShape>;

interface PageWindow {
  userId: string;
  from: Date;
  to: Date;
  cursor: Cursor | undefined;
  limit: number;
}

/** The UTC instants of a `start_date`/`end_date` query: [start_date 00:00Z, end_date + 1 day 00:00Z). */
function windowOf(userId: string, kind: string, q: EventsQuery): PageWindow & { fingerprint: string } {
  const fingerprint = `${kind}|${q.start_date}|${q.end_date}`;
  let cursor: Cursor | undefined;
  if (q.cursor !== undefined) {
    cursor = decodeCursor(q.cursor, CursorShape);
    if (cursor.q !== fingerprint) {
      throw new ValidationError([
        { loc: ['query', 'cursor'], msg: 'This cursor belongs to a different query', type: 'invalid_cursor' },
      ]);
    }
  }
  return {
    userId,
    from: new Date(`${q.start_date}T00:00:00Z`),
    to: new Date(Date.parse(`${q.end_date}T00:00:00Z`) + 86_400_000),
    cursor,
    limit: q.limit,
    fingerprint,
  };
}

const afterCursor = (cursor: Cursor | undefined) =>
  cursor ? sql`and (start_time, id) > (${cursor.t}::timestamptz, ${cursor.i}::uuid)` : sql``;

/** Microsecond key text, so the next page resumes exactly after the last row. */
const keyText = sql<string>`to_char(start_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function countIn(db: Db, table: 'workouts' | 'sleep_sessions', w: PageWindow): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)}
    where user_id = ${w.userId} and start_time >= ${w.from} and start_time < ${w.to}`.execute(db);
  return rows[0]?.n ?? 0;
}

function paginate<R extends { id: string; k: string }, T>(
  rows: R[],
  w: PageWindow & { fingerprint: string },
  total: number,
  toItem: (row: R) => T,
) {
  const page = rows.slice(0, w.limit);
  const last = page.at(-1);
  const hasMore = rows.length > w.limit && last !== undefined;
  return {
    data: page.map(toItem),
    pagination: {
      next_cursor: hasMore ? encodeCursor({ t: last.k, i: last.id, q: w.fingerprint }) : null,
      has_more: hasMore,
      total_count: total,
    },
  };
}

interface WorkoutRow {
  id: string;
  k: string;
  type: string;
  source_activity_type: string | null;
  start_time: Date;
  end_time: Date;
  duration_s: number;
  distance_m: number | null;
  energy_kcal: number | null;
  avg_heart_rate_bpm: number | null;
  max_heart_rate_bpm: number | null;
  avg_pace_sec_per_km: number | null;
  elevation_gain_m: number | null;
  steps: number | null;
  utc_offset_min: number | null;
  statistics: Record<string, unknown>;
  segments: Record<string, unknown>[];
  provider: string;
  device: string | null;
  route_points: number;
}

export async function workoutRows(db: Db, w: PageWindow): Promise<WorkoutRow[]> {
  const { rows } = await sql<WorkoutRow>`
    select w.*, d.provider, coalesce(d.device_name, d.app_name) as device, r.n as route_points
    from (
      select id, ${keyText} as k, type, source_activity_type, start_time, end_time, duration_s, distance_m,
             energy_kcal, avg_heart_rate_bpm, max_heart_rate_bpm, avg_pace_sec_per_km, elevation_gain_m, steps,
             utc_offset_min, statistics, segments, source_id
      from workouts
      where user_id = ${w.userId} and start_time >= ${w.from} and start_time < ${w.to} ${afterCursor(w.cursor)}
      order by start_time, id
      limit ${w.limit + 1}
    ) w
    join data_sources d on d.id = w.source_id
    cross join lateral (select count(*)::int as n from workout_route_points p where p.workout_id = w.id) r
    order by w.start_time, w.id`.execute(db);
  return rows;
}

export const toWorkout = (r: WorkoutRow): z.infer<typeof Workout> => ({
  id: r.id,
  type: r.type,
  start_time: new Date(r.start_time).toISOString(),
  end_time: new Date(r.end_time).toISOString(),
  duration_seconds: r.duration_s,
  distance_meters: r.distance_m,
  calories_kcal: r.energy_kcal,
  avg_heart_rate_bpm: r.avg_heart_rate_bpm,
  max_heart_rate_bpm: r.max_heart_rate_bpm,
  avg_pace_sec_per_km: r.avg_pace_sec_per_km,
  elevation_gain_meters: r.elevation_gain_m,
  steps: r.steps,
  source: { provider: r.provider, device: r.device },
  source_activity_type: r.source_activity_type,
  utc_offset_minutes: r.utc_offset_min,
  statistics: r.statistics,
  segments: r.segments,
  route_points: r.route_points,
});

interface SleepRow {
  id: string;
  k: string;
  start_time: Date;
  end_time: Date;
  is_nap: boolean;
  asleep_s: number;
  awake_s: number;
  light_s: number;
  deep_s: number;
  rem_s: number;
  unknown_s: number;
  efficiency_percent: number | null;
  interruptions: number;
  stages: z.infer<typeof SleepStageRun>[];
  utc_offset_min: number | null;
  provider: string;
  device: string | null;
  hr: number | null;
  hrv: number | null;
  resp: number | null;
  spo2: number | null;
}

const seriesId = (name: SeriesTypeName): number => {
  const info = findSeriesTypeByName(name);
  if (info === undefined) throw new Error(`series type ${name} is missing from the catalog`);
  return info.id;
};
const SLEEP_AVERAGES = {
  hr: seriesId('heart_rate'),
  hrv: seriesId('heart_rate_variability_sdnn'),
  resp: seriesId('respiratory_rate'),
  spo2: seriesId('oxygen_saturation'),
};

/**
 * The page of sessions with their vitals averaged over the samples (from any source) that start inside
 * each session, all in one statement: the lateral aggregate runs once per session of the page only.
 */
export async function sleepRows(db: Db, w: PageWindow): Promise<SleepRow[]> {
  const ids = Object.values(SLEEP_AVERAGES);
  const avgOf = (id: number) =>
    sql`round((avg(value) filter (where series_type = ${id}::int2))::numeric, 1)::float8`;
  const { rows } = await sql<SleepRow>`
    select s.*, d.provider, coalesce(d.device_name, d.app_name) as device, a.hr, a.hrv, a.resp, a.spo2
    from (
      select id, ${keyText} as k, user_id, start_time, end_time, is_nap, asleep_s, awake_s, light_s, deep_s, rem_s,
             unknown_s, efficiency_percent, interruptions, stages, utc_offset_min, source_id
      from sleep_sessions
      where user_id = ${w.userId} and start_time >= ${w.from} and start_time < ${w.to} ${afterCursor(w.cursor)}
      order by start_time, id
      limit ${w.limit + 1}
    ) s
    join data_sources d on d.id = s.source_id
    cross join lateral (
      select ${avgOf(SLEEP_AVERAGES.hr)} as hr, ${avgOf(SLEEP_AVERAGES.hrv)} as hrv,
             ${avgOf(SLEEP_AVERAGES.resp)} as resp, ${avgOf(SLEEP_AVERAGES.spo2)} as spo2
      from samples
      where user_id = s.user_id and series_type = any(${ids}::int2[])
        and start_time >= s.start_time and start_time < s.end_time
    ) a
    order by s.start_time, s.id`.execute(db);
  return rows;
}

const minutes = (seconds: number) => Math.round((seconds / 60) * 10) / 10;

export const toSleep = (r: SleepRow): z.infer<typeof Sleep> => {
  const start = new Date(r.start_time);
  const end = new Date(r.end_time);
  return {
    id: r.id,
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    // The session's span, as the spec's example (end − start); time actually covered by stages is in the timeline.
    duration_seconds: (end.getTime() - start.getTime()) / 1000,
    sleep_duration_seconds: r.asleep_s,
    efficiency_percent: r.efficiency_percent,
    is_nap: r.is_nap,
    stages: {
      awake_minutes: minutes(r.awake_s),
      light_minutes: minutes(r.light_s),
      deep_minutes: minutes(r.deep_s),
      rem_minutes: minutes(r.rem_s),
      unknown_minutes: minutes(r.unknown_s),
    },
    interruptions: r.interruptions,
    avg_heart_rate_bpm: r.hr,
    avg_hrv_sdnn_ms: r.hrv,
    avg_respiratory_rate: r.resp,
    avg_spo2_percent: r.spo2,
    source: { provider: r.provider, device: r.device },
    utc_offset_minutes: r.utc_offset_min,
    timeline: r.stages,
  };
};

export function registerEventsRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = {
    method: 'get' as const,
    tags: ['Health data'],
    security: security.developer,
    middleware: authenticate(tokens),
    request: { params: UserIdParams, query: EventsQuery },
  };
  const paging =
    'Items whose start time falls on start_date … end_date (UTC days), oldest first. Keyset pages: they neither skip nor repeat while new data arrives; total_count counts the whole range at the time of each request.';

  app.openapi(
    createRoute({
      ...base,
      path: '/api/v1/users/{user_id}/events/workouts',
      summary: 'Workout sessions: type, duration, distance, energy, heart rate, pace, elevation, source',
      description: paging,
      responses: {
        200: { description: 'A page of workouts', content: { 'application/json': { schema: WorkoutPage } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const w = windowOf(c.req.valid('param').user_id, 'workouts', c.req.valid('query'));
      const [rows, total] = await Promise.all([workoutRows(db, w), countIn(db, 'workouts', w)]);
      return c.json(paginate(rows, w, total, toWorkout), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      path: '/api/v1/users/{user_id}/events/sleep',
      summary:
        'Sleep sessions and naps: stages, efficiency, interruptions, average vitals during the session',
      description: `${paging} Average heart rate, HRV (SDNN), respiratory rate and SpO2 are computed from the samples of any source that start within the session.`,
      responses: {
        200: {
          description: 'A page of sleep sessions',
          content: { 'application/json': { schema: SleepPage } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const w = windowOf(c.req.valid('param').user_id, 'sleep', c.req.valid('query'));
      const [rows, total] = await Promise.all([sleepRows(db, w), countIn(db, 'sleep_sessions', w)]);
      return c.json(paginate(rows, w, total, toSleep), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      tags: ['Health data'],
      security: security.developer,
      middleware: authenticate(tokens),
      path: '/api/v1/users/{user_id}/events/workouts/{workout_id}/route',
      summary: "A workout's GPS route: time, latitude, longitude, altitude, in time order",
      description:
        'The points of the route as stored (Apple Health imports, SDK pushes with a route). A route longer than max_points is downsampled evenly (see `downsampled`); `total_points` says how many are stored. A workout without a route answers an empty list.',
      request: {
        params: UserIdParams.extend({
          workout_id: z
            .uuid({ error: 'workout_id must be a UUID' })
            .openapi({ param: { name: 'workout_id', in: 'path' } }),
        }),
        query: RouteQuery,
      },
      responses: {
        200: { description: 'The route', content: { 'application/json': { schema: WorkoutRoute } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id, workout_id } = c.req.valid('param');
      const maxPoints = c.req.valid('query').max_points;
      const route = await workoutRoute(c.var.deps.db, user_id, workout_id, maxPoints);
      if (route === undefined) throw new NotFoundError('Workout not found');
      return c.json(
        {
          workout_id: workout_id.toLowerCase(),
          total_points: route.total,
          downsampled: route.total > route.points.length,
          points: route.points.map((p) => ({
            time: new Date(p.time).toISOString(),
            latitude: p.latitude,
            longitude: p.longitude,
            altitude_m: p.altitude_m,
          })),
        },
        200,
      );
    },
  );
}
