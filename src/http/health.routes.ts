import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';

const Health = z.object({ status: z.literal('ok') }).openapi('Health');
const Ready = z
  .object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.string()) })
  .openapi('Readiness');

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, checkDatabase: () => Promise<void>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Liveness: the process is up',
      responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['Operations'],
      summary: 'Readiness: the database (and Redis, when configured) answer',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
        503: { description: 'A dependency is down', content: { 'application/json': { schema: Ready } } },
      },
    }),
    async (c) => {
      const checks: Record<string, () => Promise<void>> = {
        database: checkDatabase,
        ...c.var.deps.readinessChecks,
      };
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) =>
                setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref(),
              ),
            ]);
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, error instanceof Error ? error.message : String(error)] as const;
          }
        }),
      );
      const ok = results.every(([, result]) => result === 'ok');
      const body = {
        status: ok ? ('ready' as const) : ('unavailable' as const),
        checks: Object.fromEntries(results),
      };
      return ok ? c.json(body, 200) : c.json(body, 503);
    },
  );
}
