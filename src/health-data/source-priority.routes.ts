import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UserIdParams } from '../users/schemas.ts';
import { loadSourceRanking } from './daily-summaries.ts';
import { SourceRules, storedRules } from './source-priority.ts';

const RulesBody = z.strictObject({ priority: SourceRules }).openapi('SourcePriority', {
  description: 'Ordered rules, most preferred first. An empty list restores the default.',
});

const EffectiveOrder = z.array(
  z.object({
    rank: z.number().int(),
    source_id: z.number().int(),
    provider: z.string(),
    device: z.string().nullable(),
    reason: z.string(),
  }),
);

const UserPriority = RulesBody.extend({ effective: EffectiveOrder }).openapi('UserSourcePriority');

export function registerSourcePriorityRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Source priority'], security: security.developer, middleware: authenticate(tokens) };
  const json = { required: true, content: { 'application/json': { schema: RulesBody } } } as const;

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/developer/source-priority',
      summary: "Your default source-priority rules for all your users' daily summaries",
      responses: {
        200: { description: 'Rules', content: { 'application/json': { schema: RulesBody } } },
        ...pickErrors(401, 403),
      },
    }),
    async (c) => {
      const row = await c.var.deps.db
        .selectFrom('developers')
        .select('source_priority')
        .where('id', '=', c.var.principal.developerId)
        .executeTakeFirst();
      return c.json({ priority: storedRules(row?.source_priority) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'put',
      path: '/api/v1/developer/source-priority',
      summary: 'Replace your default source-priority rules',
      request: { body: json },
      responses: {
        200: { description: 'Saved', content: { 'application/json': { schema: RulesBody } } },
        ...pickErrors(401, 403, 415, 422),
      },
    }),
    async (c) => {
      const { priority } = c.req.valid('json');
      await c.var.deps.db
        .updateTable('developers')
        .set({ source_priority: priority.length ? JSON.stringify(priority) : null })
        .where('id', '=', c.var.principal.developerId)
        .execute();
      return c.json({ priority }, 200);
    },
  );

  const userView = async (db: AppEnv['Variables']['deps']['db'], userId: string, rules: unknown) => {
    const ranking = await loadSourceRanking(db, userId);
    return {
      priority: storedRules(rules),
      effective: ranking.ranked.map((r) => {
        const source = ranking.sources.get(r.sourceId);
        return {
          rank: r.rank,
          source_id: r.sourceId,
          provider: source?.provider ?? 'unknown',
          device: source?.device ?? null,
          reason: r.reason,
        };
      }),
    };
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}/source-priority',
      summary: "This user's rules, and the resulting order of their data sources",
      request: { params: UserIdParams },
      responses: {
        200: {
          description: 'Rules and effective order',
          content: { 'application/json': { schema: UserPriority } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const userId = c.req.valid('param').user_id;
      const row = await c.var.deps.db
        .selectFrom('users')
        .select('source_priority')
        .where('id', '=', userId)
        .executeTakeFirst();
      return c.json(await userView(c.var.deps.db, userId, row?.source_priority), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'put',
      path: '/api/v1/users/{user_id}/source-priority',
      summary: "Replace this user's rules (they come before yours)",
      request: { params: UserIdParams, body: json },
      responses: {
        200: { description: 'Saved', content: { 'application/json': { schema: UserPriority } } },
        ...pickErrors(401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const userId = c.req.valid('param').user_id;
      const { priority } = c.req.valid('json');
      await c.var.deps.db
        .updateTable('users')
        .set({ source_priority: priority.length ? JSON.stringify(priority) : null })
        .where('id', '=', userId)
        .execute();
      return c.json(await userView(c.var.deps.db, userId, priority), 200);
    },
  );
}
