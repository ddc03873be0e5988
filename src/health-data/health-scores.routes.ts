import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { TokenService } from '../auth/tokens.ts';
import { HEALTH_SCORE_CATEGORY_NAMES, type HealthScoreCategory } from '../catalog/health-scores.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UserIdParams } from '../users/schemas.ts';
import { boundedDate } from './date-range.ts';

const isoDate = boundedDate;

export const HealthScoresQuery = z
  .object({
    start_date: isoDate.optional().openapi({ description: 'First day (inclusive)' }),
    end_date: isoDate.optional().openapi({ description: 'Last day (inclusive)' }),
    category: z
      .enum(HEALTH_SCORE_CATEGORY_NAMES as [HealthScoreCategory, ...HealthScoreCategory[]])
      .optional(),
    provider: z.string().trim().min(1).max(50).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => q.start_date === undefined || q.end_date === undefined || q.end_date >= q.start_date, {
    path: ['end_date'],
    message: 'end_date is before start_date',
  });

const HealthScore = z
  .object({
    id: z.uuid(),
    date: z.string().openapi({ example: '2026-04-15' }),
    category: z.string(),
    score: z.number(),
    range_min: z.number(),
    range_max: z.number(),
    provider: z.string(),
    components: z.record(z.string(), z.unknown()),
  })
  .openapi('HealthScore');

const HealthScorePage = z
  .object({
    data: z.array(HealthScore),
    pagination: z.object({ total_count: z.number().int(), has_more: z.boolean() }),
  })
  .openapi('HealthScorePage');

export function registerHealthScoresRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/health-scores',
      tags: ['Health data'],
      summary: "Providers' scores (sleep, recovery, readiness, strain…) with each provider's native range",
      description:
        'Newest day first, then by category. Scores are as the provider sent them; range_min/range_max give their scale. Offset pagination.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserIdParams, query: HealthScoresQuery },
      responses: {
        200: {
          description: 'A page of scores',
          content: { 'application/json': { schema: HealthScorePage } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const userId = c.req.valid('param').user_id;
      const q = c.req.valid('query');
      let filtered = db.selectFrom('health_scores').where('user_id', '=', userId);
      if (q.start_date !== undefined) filtered = filtered.where('date', '>=', q.start_date);
      if (q.end_date !== undefined) filtered = filtered.where('date', '<=', q.end_date);
      if (q.category !== undefined) filtered = filtered.where('category', '=', q.category);
      if (q.provider !== undefined) filtered = filtered.where('provider', '=', q.provider);
      const [rows, counted] = await Promise.all([
        filtered
          .select([
            'id',
            // Drivers disagree on how to decode `date`; text is the same everywhere.
            sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'),
            'category',
            'score',
            'range_min',
            'range_max',
            'provider',
            'components',
          ])
          .orderBy('health_scores.date', 'desc')
          .orderBy('category')
          .orderBy('id')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        filtered.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst(),
      ]);
      const total = counted?.n ?? 0;
      return c.json(
        {
          data: rows.map((r) => ({
            id: r.id,
            date: r.date,
            category: r.category,
            score: r.score,
            range_min: r.range_min,
            range_max: r.range_max,
            provider: r.provider,
            components: (r.components ?? {}) as Record<string, unknown>,
          })),
          pagination: { total_count: total, has_more: q.offset + rows.length < total },
        },
        200,
      );
    },
  );
}
