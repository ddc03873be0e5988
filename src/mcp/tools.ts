import { z } from '@hono/zod-openapi';
import { dateRangeQuery } from '../health-data/date-range.ts';
import { EventsQuery } from '../health-data/events.routes.ts';
import { HealthScoresQuery } from '../health-data/health-scores.routes.ts';
import { SUMMARY_MAX_DAYS } from '../health-data/summaries.routes.ts';
import { TimeseriesQuery } from '../health-data/timeseries.routes.ts';
import { type Resolution, resolutions } from '../health-data/timeseries.ts';
import { ListLogsQuery } from '../nutrition/schemas.ts';
import { ListUsersQuery } from '../users/schemas.ts';

/**
 * The MCP tools: each one is a call (or two) to WearLink's own REST API, so tenant scoping, validation
 * and serialisation are exactly the REST API's. Inputs reuse the routes' zod schemas (the route
 * validates again and its `detail` comes back as the tool's error). Results are shaped for a model:
 * a summary first, then a bounded page with the cursor for the next one.
 */

/** One REST call: in-process (the HTTP MCP endpoint) or over HTTP (`wearlink mcp`, stdio). */
export type ApiCaller = (request: {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}) => Promise<{ status: number; body: unknown }>;

/** A user-scoped credential may only reach its own user. */
export interface ToolScope {
  userId?: string;
}

export type ToolResult = { ok: true; value: unknown } | { ok: false; message: string };

export interface McpTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject<z.ZodRawShape>;
  readOnly: boolean;
  run(args: Record<string, unknown>, call: ApiCaller, scope: ToolScope): Promise<ToolResult>;
}

const userId = z.uuid({ error: 'user_id must be a UUID' }).describe('A WearLink user id');

class ToolFailure extends Error {}

function detailOf(body: unknown, status: number): string {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map(
        (d) => `${((d as { loc?: unknown[] }).loc ?? []).slice(1).join('.')}: ${(d as { msg?: string }).msg}`,
      )
      .join('; ');
  }
  return `HTTP ${status}`;
}

async function get(
  call: ApiCaller,
  path: string,
  query?: Record<string, string | number | boolean | undefined>,
) {
  const response = await call({ method: 'GET', path, ...(query ? { query } : {}) });
  if (response.status >= 400)
    throw new ToolFailure(`${response.status}: ${detailOf(response.body, response.status)}`);
  return response.body as Record<string, unknown>;
}

function userPath(args: Record<string, unknown>, scope: ToolScope, rest: string): string {
  const id = String(args.user_id);
  if (scope.userId !== undefined && id !== scope.userId) {
    throw new ToolFailure('403: This token is scoped to a different user');
  }
  return `/api/v1/users/${id}${rest}`;
}

/** The query parameters of a tool call: everything but the ids that go in the path. */
function queryOf(args: Record<string, unknown>, omit: string[] = ['user_id']) {
  const query: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(args)) {
    if (omit.includes(key) || value === undefined || value === null) continue;
    query[key] = value as string | number | boolean;
  }
  return query;
}

const pageOf = (body: Record<string, unknown>) => {
  const pagination = (body.pagination ?? {}) as { next_cursor?: string | null; has_more?: boolean };
  return {
    next_cursor: pagination.next_cursor ?? null,
    ...(pagination.has_more ? { hint: 'More results: call again with this next_cursor.' } : {}),
  };
};

/** Without `resolution`, a bucket that keeps the range to about 500 points per series. */
export function autoResolution(startIso: string, endIso: string): Resolution {
  const spanMs = Date.parse(endIso) - Date.parse(startIso);
  const candidates = Object.keys(resolutions) as Resolution[];
  const bucketMs: Record<string, number> = {
    '1min': 60_000,
    '5min': 300_000,
    '15min': 900_000,
    '1hour': 3_600_000,
  };
  if (spanMs <= 2 * 3_600_000) return 'raw';
  for (const resolution of candidates) {
    const size = bucketMs[resolution];
    if (size !== undefined && spanMs / size <= 500) return resolution;
  }
  return '1hour';
}

interface Point {
  timestamp: string;
  series_type: string;
  value: number;
  unit: string;
  min?: number;
  max?: number;
  source: { provider: string; device: string | null };
}

/** Per series type and source: how many points in this page, their range and mean, first and last time. */
function summarisePoints(points: Point[]) {
  const groups = new Map<string, { values: number[]; first: string; last: string; unit: string }>();
  for (const p of points) {
    const key = `${p.series_type}|${p.source.provider}${p.source.device ? `/${p.source.device}` : ''}`;
    const group = groups.get(key) ?? { values: [], first: p.timestamp, last: p.timestamp, unit: p.unit };
    group.values.push(p.value);
    if (p.timestamp < group.first) group.first = p.timestamp;
    if (p.timestamp > group.last) group.last = p.timestamp;
    groups.set(key, group);
  }
  return [...groups].map(([key, g]) => {
    const [series_type, source] = key.split('|');
    const sum = g.values.reduce((a, b) => a + b, 0);
    return {
      series_type,
      source,
      unit: g.unit,
      points: g.values.length,
      min: Math.min(...g.values),
      max: Math.max(...g.values),
      mean: Math.round((sum / g.values.length) * 100) / 100,
      first: g.first,
      last: g.last,
    };
  });
}

const summaryRange = dateRangeQuery(SUMMARY_MAX_DAYS);

export const tools: McpTool[] = [
  {
    name: 'list_users',
    title: 'List or find users',
    description:
      'Lists your users, newest first, or finds them by part of their name, email or external_id (`q`). Returns id, name, email and external_id; page with `cursor`.',
    input: ListUsersQuery.pick({ q: true, limit: true, cursor: true }).safeExtend({
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    readOnly: true,
    async run(args, call, scope) {
      if (scope.userId !== undefined) {
        const user = await get(call, `/api/v1/users/${scope.userId}`);
        return { ok: true, value: { users: [user], next_cursor: null } };
      }
      const body = await get(call, '/api/v1/users', queryOf(args, []));
      const users = (body.data ?? []) as Record<string, unknown>[];
      return {
        ok: true,
        value: {
          users: users.map((u) => ({
            id: u.id,
            name: [u.first_name, u.last_name].filter(Boolean).join(' ') || null,
            email: u.email ?? null,
            external_id: u.external_id ?? null,
            created_at: u.created_at,
          })),
          ...pageOf(body),
        },
      };
    },
  },
  {
    name: 'get_daily_summaries',
    title: 'Daily summaries',
    description:
      'Per local day: activity (steps, distance, calories, active minutes, heart rate) and sleep (duration, stages, efficiency), plus the latest body metrics. Days without data are omitted. At most 366 days.',
    input: summaryRange.safeExtend({ user_id: userId }),
    readOnly: true,
    async run(args, call, scope) {
      const query = queryOf(args);
      const [activity, sleep, body] = await Promise.all([
        get(call, userPath(args, scope, '/summaries/activity'), query),
        get(call, userPath(args, scope, '/summaries/sleep'), query),
        get(call, userPath(args, scope, '/summaries/body')),
      ]);
      const activityDays = (activity.data ?? []) as unknown[];
      const sleepDays = (sleep.data ?? []) as unknown[];
      return {
        ok: true,
        value: {
          summary: { activity_days: activityDays.length, sleep_days: sleepDays.length },
          activity: activityDays,
          sleep: sleepDays,
          body,
        },
      };
    },
  },
  {
    name: 'get_timeseries',
    title: 'Timeseries',
    description:
      'Samples of one or more series types (heart_rate, steps, spo2, …) between start_time and end_time (RFC 3339). Without `resolution` a bucket is chosen that keeps about 500 points per series (raw up to 2 h). Returns per type and source a summary (points, min, max, mean), then up to `limit` points and a cursor.',
    input: TimeseriesQuery.safeExtend({
      user_id: userId,
      // The route's values, without its default: when omitted the tool picks one for the range.
      resolution: z
        .enum(Object.keys(resolutions) as [Resolution, ...Resolution[]])
        .optional()
        .describe(
          'raw, 1min, 5min, 15min or 1hour; chosen from the range when omitted',
        ) as unknown as (typeof TimeseriesQuery.shape)['resolution'],
    }),
    readOnly: true,
    async run(args, call, scope) {
      const resolution =
        (args.resolution as Resolution | undefined) ??
        autoResolution(String(args.start_time), String(args.end_time));
      const body = await get(call, userPath(args, scope, '/timeseries'), { ...queryOf(args), resolution });
      const points = (body.data ?? []) as Point[];
      return {
        ok: true,
        value: {
          resolution,
          summary: summarisePoints(points),
          total_count:
            (body.pagination as { total_count?: number } | undefined)?.total_count ?? points.length,
          points: points.map((p) => ({
            t: p.timestamp,
            type: p.series_type,
            v: p.value,
            ...(p.min !== undefined ? { min: p.min, max: p.max } : {}),
            unit: p.unit,
            source: p.source.provider,
          })),
          ...pageOf(body),
        },
      };
    },
  },
  {
    name: 'list_workouts',
    title: 'Workouts',
    description:
      'Workout sessions started between start_date and end_date (UTC days, inclusive): type, start, duration, distance, energy, heart rate, source. Page with `cursor`.',
    input: EventsQuery.safeExtend({
      user_id: userId,
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    readOnly: true,
    async run(args, call, scope) {
      const body = await get(call, userPath(args, scope, '/events/workouts'), queryOf(args));
      const items = (body.data ?? []) as unknown[];
      return { ok: true, value: { summary: { workouts: items.length }, workouts: items, ...pageOf(body) } };
    },
  },
  {
    name: 'list_sleep',
    title: 'Sleep sessions',
    description:
      'Sleep sessions and naps started between start_date and end_date (UTC days): stages, efficiency, interruptions, vitals. Page with `cursor`.',
    input: EventsQuery.safeExtend({
      user_id: userId,
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    readOnly: true,
    async run(args, call, scope) {
      const body = await get(call, userPath(args, scope, '/events/sleep'), queryOf(args));
      const items = (body.data ?? []) as unknown[];
      return { ok: true, value: { summary: { sessions: items.length }, sessions: items, ...pageOf(body) } };
    },
  },
  {
    name: 'get_scores',
    title: 'Health scores',
    description:
      "Providers' daily scores (sleep, recovery, readiness, strain, …) with each provider's native range, optionally one category or provider.",
    input: HealthScoresQuery.safeExtend({ user_id: userId }),
    readOnly: true,
    async run(args, call, scope) {
      const body = await get(call, userPath(args, scope, '/health-scores'), queryOf(args));
      const items = (body.data ?? body.items ?? []) as unknown[];
      return { ok: true, value: { summary: { scores: items.length }, scores: items } };
    },
  },
  {
    name: 'get_energy_balance',
    title: 'Energy balance',
    description:
      'Per day: calories in (nutrition logs) against calories out (active + basal). At most 92 days.',
    input: dateRangeQuery(92, { from: 'date_from', to: 'date_to' }).safeExtend({ user_id: userId }),
    readOnly: true,
    async run(args, call, scope) {
      const body = await get(call, userPath(args, scope, '/energy_balance'), queryOf(args));
      return { ok: true, value: body };
    },
  },
  {
    name: 'list_nutrition_logs',
    title: 'Nutrition logs',
    description:
      'Meal logs (photo-recognised or manual) of a user, newest meal first, with items and macros; filter by local days or meal type. Page with `cursor`.',
    input: ListLogsQuery.safeExtend({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
    readOnly: true,
    async run(args, call, scope) {
      userPath(args, scope, '');
      const body = await get(call, '/api/v1/nutrition/log', queryOf(args, []));
      const items = (body.data ?? body.items ?? []) as unknown[];
      return { ok: true, value: { summary: { logs: items.length }, logs: items, ...pageOf(body) } };
    },
  },
  {
    name: 'get_connections',
    title: 'Connections and sync status',
    description:
      "A user's provider connections (state, last sync) with the status of each one's latest sync job (stage, progress, error).",
    input: z.object({ user_id: userId }),
    readOnly: true,
    async run(args, call, scope) {
      const list = (await get(call, userPath(args, scope, '/connections'))) as unknown as Record<
        string,
        unknown
      >[];
      const withStatus = await Promise.all(
        list.map(async (connection) => {
          const status = await call({
            method: 'GET',
            path: '/api/v1/sync/status',
            query: { connection_id: String(connection.id) },
          });
          return { ...connection, latest_sync: status.status === 200 ? status.body : null };
        }),
      );
      return { ok: true, value: { connections: withStatus } };
    },
  },
  {
    name: 'trigger_sync',
    title: 'Start a sync',
    description:
      "Starts a sync of one of the user's connections: the latest window, or the provider's full history with historical=true. Returns the job; follow it with get_connections.",
    input: z.object({
      user_id: userId,
      provider: z.string().min(1).max(50).describe('The connection to sync, e.g. oura, garmin, sandbox'),
      historical: z.boolean().default(false),
    }),
    readOnly: false,
    async run(args, call, scope) {
      userPath(args, scope, '');
      const response = await call({
        method: 'POST',
        path: `/api/v1/providers/${encodeURIComponent(String(args.provider))}/users/${String(args.user_id)}/sync${args.historical ? '/historical' : ''}`,
      });
      if (response.status >= 400) {
        throw new ToolFailure(`${response.status}: ${detailOf(response.body, response.status)}`);
      }
      return { ok: true, value: response.body };
    },
  },
];

/** Runs a tool: refusals and REST errors become `{ok: false, message}` for the model to read. */
export async function runTool(
  tool: McpTool,
  args: Record<string, unknown>,
  call: ApiCaller,
  scope: ToolScope,
): Promise<ToolResult> {
  try {
    return await tool.run(args, call, scope);
  } catch (error) {
    if (error instanceof ToolFailure) return { ok: false, message: error.message };
    throw error;
  }
}
