import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UserIdParams } from '../users/schemas.ts';
import { activitySummaries, bodySummary, sleepSummaries } from './daily-summaries.ts';
import { boundedTimestamp, dateRangeQuery } from './date-range.ts';

/** Longest range one summaries call returns: a year of days, in one page. */
export const SUMMARY_MAX_DAYS = 366;

const SourceRef = z.object({ provider: z.string(), device: z.string().nullable() });
const nullableNumber = z.number().nullable();

const ActivityDay = z
  .object({
    date: z.string(),
    steps: nullableNumber,
    distance_meters: nullableNumber,
    floors_climbed: nullableNumber,
    active_calories_kcal: nullableNumber,
    basal_calories_kcal: nullableNumber,
    total_calories_kcal: nullableNumber,
    active_minutes: nullableNumber,
    heart_rate: z.object({
      avg_bpm: nullableNumber,
      min_bpm: nullableNumber,
      max_bpm: nullableNumber,
      resting_bpm: nullableNumber,
    }),
    sources: z.record(z.string(), z.array(SourceRef)).openapi({
      description: 'Per metric, the sources the day was built from after the source-priority rule',
    }),
  })
  .openapi('ActivitySummary');

const SleepDay = z
  .object({
    date: z.string(),
    total_sleep_minutes: z.number(),
    time_in_bed_minutes: z.number(),
    awake_minutes: z.number(),
    light_minutes: z.number(),
    deep_minutes: z.number(),
    rem_minutes: z.number(),
    unknown_minutes: z.number(),
    efficiency_percent: nullableNumber,
    interruptions: z.number().int(),
    sessions: z.number().int(),
    bedtime_start: z.string(),
    bedtime_end: z.string(),
    naps: z.object({ count: z.number().int(), minutes: z.number() }),
    source: SourceRef,
  })
  .openapi('SleepSummary');

const bodyFields = z.record(z.string(), nullableNumber);
const BodySummary = z
  .object({
    user_id: z.uuid(),
    as_of: z.string(),
    latest: bodyFields,
    latest_measured_at: z.record(z.string(), z.string().nullable()),
    averaged: bodyFields,
    averaged_period: z.object({ from: z.string(), to: z.string() }),
  })
  .openapi('BodySummary');

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    pagination: z.object({
      next_cursor: z.null(),
      has_more: z.literal(false),
      total_count: z.number().int(),
    }),
  });
const onePage = <T>(data: T[]) => ({
  data,
  pagination: { next_cursor: null, has_more: false as const, total_count: data.length },
});

export function registerSummaryRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Health data'], security: security.developer, middleware: authenticate(tokens) };
  const range = dateRangeQuery(SUMMARY_MAX_DAYS);

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}/summaries/activity',
      summary: 'Daily activity per local day: steps, distance, floors, calories, active minutes, heart rate',
      description:
        'Cumulative metrics take each hour from the best-ranked source that recorded it (see source priority), so two devices never double count. Days without data are omitted.',
      request: { params: UserIdParams, query: range },
      responses: {
        200: { description: 'Days', content: { 'application/json': { schema: page(ActivityDay) } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query') as Record<string, string>;
      const days = await activitySummaries(
        c.var.deps.db,
        c.req.valid('param').user_id,
        q.start_date as string,
        q.end_date as string,
      );
      return c.json(onePage(days), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}/summaries/sleep',
      summary: 'Daily sleep per local day (the day you wake up): stages, efficiency, interruptions, naps',
      request: { params: UserIdParams, query: range },
      responses: {
        200: { description: 'Days', content: { 'application/json': { schema: page(SleepDay) } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query') as Record<string, string>;
      const days = await sleepSummaries(
        c.var.deps.db,
        c.req.valid('param').user_id,
        q.start_date as string,
        q.end_date as string,
      );
      return c.json(onePage(days), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}/summaries/body',
      summary: 'Body metrics: the latest value of each, and 7-day averages',
      request: {
        params: UserIdParams,
        query: z.object({
          as_of: boundedTimestamp.optional().openapi({ description: 'Defaults to now' }),
        }),
      },
      responses: {
        200: { description: 'Body summary', content: { 'application/json': { schema: BodySummary } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { as_of } = c.req.valid('query');
      const userId = c.req.valid('param').user_id;
      const summary = await bodySummary(c.var.deps.db, userId, as_of ? new Date(as_of) : new Date());
      return c.json({ user_id: userId, ...summary }, 200);
    },
  );
}
