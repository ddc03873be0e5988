import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ValidationError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { boundedTimestamp } from './date-range.ts';
import { type Resolution, resolutions, resolveTypes, timeseriesPage } from './timeseries.ts';

export const TimeseriesQuery = z
  .object({
    start_time: boundedTimestamp,
    end_time: boundedTimestamp,
    types: z.string().max(2000).optional().openapi({
      description:
        'Comma-separated series types or groups (heart_rate, spo2, calories, distance, blood_pressure, …); all when omitted',
    }),
    resolution: z.enum(Object.keys(resolutions) as [Resolution, ...Resolution[]]).default('raw'),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => Date.parse(q.end_time) > Date.parse(q.start_time), {
    path: ['end_time'],
    message: 'end_time must be after start_time',
  });

const Point = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    series_type: z.string(),
    value: z.number(),
    unit: z.string(),
    aggregation: z.enum(['sum', 'avg']).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    count: z.number().int().optional(),
    duration_seconds: z.number().optional(),
    source: z.object({ provider: z.string(), device: z.string().nullable() }),
  })
  .openapi('TimeseriesPoint');

const Page = z
  .object({
    data: z.array(Point),
    pagination: z.object({
      next_cursor: z.string().nullable(),
      has_more: z.boolean(),
      total_count: z.number().int(),
    }),
  })
  .openapi('TimeseriesPage');

const CursorShape = z.object({
  f: cursorField.epochMs(),
  // [epoch seconds, series type, source id, duration ms]: see TimeseriesCursor.
  k: z
    .tuple([cursorField.epochSeconds(), cursorField.int2(), cursorField.int4(), cursorField.int4()])
    .optional(),
  n: cursorField.count(),
  // The cursor belongs to one query: a different range, type list or resolution invalidates it.
  q: cursorField.fingerprint(),
});

export function registerTimeseriesRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/timeseries',
      tags: ['Health data'],
      summary:
        'Samples, raw or aggregated per 1min/5min/15min/1hour bucket (sum or avg/min/max per type), per source',
      description:
        'Aggregation happens in SQL: cumulative types (steps, energy, distance…) are summed, instantaneous ones (heart rate, SpO2…) averaged with min and max. A sample belongs to the bucket of its start time. Pages are keyset pages: they neither skip nor repeat while new data arrives; total_count is counted when the first page is requested.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserIdParams, query: TimeseriesQuery },
      responses: {
        200: { description: 'A page of points', content: { 'application/json': { schema: Page } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const types = resolveTypes(q.types);
      if (types.unknown.length > 0) {
        throw new ValidationError([
          {
            loc: ['query', 'types'],
            msg: `Unknown series types: ${types.unknown.join(', ')}`,
            type: 'unknown_type',
          },
        ]);
      }
      const fingerprint = `${q.start_time}|${q.end_time}|${types.ids.join(',')}|${q.resolution}`;
      let cursor: z.infer<typeof CursorShape> | undefined;
      if (q.cursor !== undefined) {
        cursor = decodeCursor(q.cursor, CursorShape);
        if (cursor.q !== fingerprint) {
          throw new ValidationError([
            {
              loc: ['query', 'cursor'],
              msg: 'This cursor belongs to a different query',
              type: 'invalid_cursor',
            },
          ]);
        }
      }
      const page = await timeseriesPage(c.var.deps.db, {
        userId: c.req.valid('param').user_id,
        typeIds: types.ids,
        fromMs: Date.parse(q.start_time),
        toMs: Date.parse(q.end_time),
        resolution: q.resolution,
        limit: q.limit,
        cursor,
      });
      return c.json(
        {
          data: page.points,
          pagination: {
            next_cursor: page.next ? encodeCursor({ ...page.next, q: fingerprint }) : null,
            has_more: page.next !== undefined,
            total_count: page.total,
          },
        },
        200,
      );
    },
  );
}
