import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { OVERVIEW_WINDOW_HOURS, syncOutcomes, tenantOverview } from './overview.repo.ts';

const count = () => z.number().int().min(0);

export const DashboardOverview = z
  .object({
    generated_at: z.string(),
    window_start: z.string().openapi({
      description: `Start of the window of the windowed counts (${OVERVIEW_WINDOW_HOURS} h before generated_at)`,
    }),
    users: z.object({
      total: count().openapi({ description: 'Users, not counting those being deleted' }),
      created_in_window: count(),
    }),
    api_keys: z.object({ total: count() }),
    connections: z.object({
      total: count(),
      by_provider: z.array(
        z.object({
          provider: z.string(),
          total: count(),
          by_status: z.record(z.string(), count()).openapi({
            description: 'Connections by status (active, reauth_required, error, revoked); absent: none',
            example: { active: 3, reauth_required: 1 },
          }),
        }),
      ),
    }),
    sync_runs: z.object({
      total: count(),
      by_outcome: z.object(Object.fromEntries(syncOutcomes.map((o) => [o, count()]))).openapi({
        description:
          'Runs created in the window by outcome (success is `succeeded`; open runs are `queued` until they ' +
          'start, then `running`), plus runs still open from before the window',
      }),
    }),
    webhooks: z.object({
      endpoints: z.object({
        total: count(),
        enabled: count(),
        disabled: count(),
        failing: count().openapi({ description: 'Enabled, but failing since its last success' }),
      }),
      deliveries: z
        .object({
          total: count(),
          delivered: count(),
          failed: count().openapi({ description: 'Every retry spent' }),
          pending: count().openapi({ description: 'Not tried yet' }),
          retrying: count().openapi({ description: 'Tried and failed, another attempt is scheduled' }),
        })
        .openapi({ description: 'Deliveries of the events of the window, by where each stands now' }),
    }),
    nutrition: z.object({
      day: z.string().openapi({ description: 'The UTC day the quota counts', example: '2026-12-03' }),
      plan: z.string(),
      limit: count().nullable().openapi({ description: 'Meal photos a day; null: unlimited' }),
      used: count(),
      resets_at: z.string(),
    }),
  })
  .openapi('DashboardOverview');

export function registerDashboardOverviewRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/dashboard/overview',
      tags: ['Dashboard'],
      summary: "The tenant at a glance: users, connections, the last 24 h's syncs and webhooks, photo quota",
      security: security.session,
      middleware: authenticate(tokens),
      responses: {
        200: {
          description: 'Overview',
          content: { 'application/json': { schema: DashboardOverview } },
        },
        ...pickErrors(401, 403),
      },
    }),
    async (c) => {
      const now = new Date();
      const o = await tenantOverview(c.var.deps.db, c.var.principal.developerId, now);
      return c.json(
        {
          ...o,
          generated_at: o.generated_at.toISOString(),
          window_start: o.window_start.toISOString(),
          sync_runs: { total: o.sync_runs.total, by_outcome: o.sync_runs.by_outcome },
          nutrition: {
            ...o.nutrition,
            // The quota resets at 00:00 UTC (src/nutrition/quota.ts).
            resets_at: new Date(Date.parse(`${o.nutrition.day}T00:00:00Z`) + 86_400_000).toISOString(),
          },
        },
        200,
      );
    },
  );
}
