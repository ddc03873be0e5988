import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { dailyTotals } from '../nutrition/logs.repo.ts';
import { UserIdParams } from '../users/schemas.ts';
import { findUser } from '../users/users.repo.ts';
import { activitySummaries } from './daily-summaries.ts';
import { dateRangeQuery } from './date-range.ts';

export const ENERGY_BALANCE_MAX_DAYS = 92;

const EnergyBalanceDay = z.object({
  date: z.string(),
  calories_consumed_kcal: z.number().nullable(),
  calories_burned_kcal: z.number().nullable(),
  active_calories_kcal: z.number().nullable(),
  basal_calories_kcal: z.number().nullable(),
  net_energy_balance_kcal: z.number().nullable(),
  data_completeness: z.enum(['none', 'nutrition_only', 'wearable_only', 'wearable_and_nutrition']),
});

const EnergyBalance = z
  .object({ user_id: z.uuid(), days: z.array(EnergyBalanceDay) })
  .openapi('EnergyBalance');

const allDays = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

/**
 * Calories in (nutrition logs) against calories out (active + basal, after source priority) per local
 * day. Either side may be missing: the day says which it has, and the net is null unless both are there.
 * Calories in are the items of the day's recognized and manual logs (a pending, failed or discarded log
 * has not been eaten as far as anyone knows); a day without such a log has no nutrition side.
 */
export function registerEnergyBalanceRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/energy_balance',
      tags: ['Health data'],
      summary: 'Daily calories in vs calories out (92-day cap)',
      security: security.developer,
      middleware: authenticate(tokens),
      request: {
        params: UserIdParams,
        query: dateRangeQuery(ENERGY_BALANCE_MAX_DAYS, { from: 'date_from', to: 'date_to' }),
      },
      responses: {
        200: { description: 'Days', content: { 'application/json': { schema: EnergyBalance } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query') as Record<string, string>;
      const from = q.date_from as string;
      const to = q.date_to as string;
      const userId = c.req.valid('param').user_id;
      const { db } = c.var.deps;
      const timeZone = (await findUser(db, c.var.principal.developerId, userId))?.timezone ?? 'UTC';
      const [summaries, eaten] = await Promise.all([
        activitySummaries(db, userId, from, to),
        dailyTotals(db, userId, timeZone, from, to),
      ]);
      const activity = new Map(summaries.map((d) => [d.date, d]));
      const days = allDays(from, to).map((date) => {
        const a = activity.get(date);
        const burned = a?.total_calories_kcal ?? null;
        const consumed = eaten.get(date)?.totals.calories_kcal ?? null;
        const completeness =
          burned !== null && consumed !== null
            ? 'wearable_and_nutrition'
            : burned !== null
              ? 'wearable_only'
              : consumed !== null
                ? 'nutrition_only'
                : 'none';
        return {
          date,
          calories_consumed_kcal: consumed,
          calories_burned_kcal: burned,
          active_calories_kcal: a?.active_calories_kcal ?? null,
          basal_calories_kcal: a?.basal_calories_kcal ?? null,
          net_energy_balance_kcal:
            burned !== null && consumed !== null ? Math.round((consumed - burned) * 10) / 10 : null,
          data_completeness: completeness,
        } as const;
      });
      return c.json({ user_id: userId, days }, 200);
    },
  );
}
