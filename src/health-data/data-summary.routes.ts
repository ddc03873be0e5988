import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { findSeriesTypeById } from '../catalog/series-types.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UserIdParams } from '../users/schemas.ts';
import { countSamplesByTypeAndProvider } from './samples.repo.ts';

const ProviderCount = z.object({ provider: z.string(), count: z.number().int() });

const DataSummary = z
  .object({
    user_id: z.uuid(),
    total_samples: z.number().int(),
    series: z.array(
      z.object({
        series_type: z.string(),
        unit: z.string(),
        provider: z.string(),
        count: z.number().int(),
        first_timestamp: z.string(),
        last_timestamp: z.string(),
      }),
    ),
    workouts: z.array(ProviderCount),
    sleep_sessions: z.array(ProviderCount),
    health_scores: z.array(ProviderCount),
  })
  .openapi('DataSummary');

export function registerDataSummaryRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/summaries/data',
      tags: ['Health data'],
      summary:
        'How much is stored for a user: sample counts per series type and provider, sessions per provider',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserIdParams },
      responses: {
        200: { description: 'Counts', content: { 'application/json': { schema: DataSummary } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const userId = c.req.valid('param').user_id;
      const perProvider = (table: 'workouts' | 'sleep_sessions' | 'health_scores') =>
        db
          .selectFrom(table)
          .innerJoin('data_sources', 'data_sources.id', `${table}.source_id`)
          .where(`${table}.user_id`, '=', userId)
          .groupBy('data_sources.provider')
          .select((eb) => ['data_sources.provider as provider', eb.fn.countAll<number>().as('count')])
          .orderBy('data_sources.provider')
          .execute();
      const [series, workouts, sleep, scores] = await Promise.all([
        countSamplesByTypeAndProvider(db, userId),
        perProvider('workouts'),
        perProvider('sleep_sessions'),
        perProvider('health_scores'),
      ]);
      const asCounts = (rows: { provider: string; count: number }[]) =>
        rows.map((r) => ({ provider: r.provider, count: Number(r.count) }));
      return c.json(
        {
          user_id: userId,
          total_samples: series.reduce((sum, r) => sum + Number(r.count), 0),
          series: series.map((r) => {
            const info = findSeriesTypeById(r.series_type);
            return {
              series_type: info?.name ?? `unknown_${r.series_type}`,
              unit: info?.unit ?? '',
              provider: r.provider,
              count: Number(r.count),
              first_timestamp: r.first.toISOString(),
              last_timestamp: r.last.toISOString(),
            };
          }),
          workouts: asCounts(workouts),
          sleep_sessions: asCounts(sleep),
          health_scores: asCounts(scores),
        },
        200,
      );
    },
  );
}
