import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditActor, auditRequest } from '../../audit/audit-log.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { isProviderSlug } from '../../catalog/providers.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { UserIdParams } from '../../users/schemas.ts';
import { startProviderDataDeletion } from './start.ts';

const ProviderDataDeletion = z
  .object({
    status: z.literal('queued'),
    user_id: z.uuid(),
    provider: z.string(),
    detail: z.string(),
  })
  .openapi('ProviderDataDeletion');

/** DELETE /users/{id} itself is a users route (src/users/users.routes.ts): it starts the same kind of job. */
export function registerDeletionRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      tags: ['Users'],
      security: security.developer,
      middleware: authenticate(tokens),
      method: 'delete',
      path: '/api/v1/users/{user_id}/connections/{provider}/data',
      summary: "Delete one provider's data of a user",
      description:
        "Deletes, in the background, every sample, hourly aggregate, workout, sleep record, score and raw payload the provider's " +
        'sources stored for this user; unfinished syncs of that provider are cancelled first. The connection is left as it is ' +
        '(disconnect it with DELETE /users/{user_id}/connections/{provider}, or it keeps syncing new data).',
      request: {
        params: UserIdParams.extend({
          provider: z
            .string()
            .min(1)
            .max(50)
            .openapi({ param: { name: 'provider', in: 'path' }, example: 'oura' }),
        }),
      },
      responses: {
        202: {
          description: 'Queued: the data goes within moments',
          content: { 'application/json': { schema: ProviderDataDeletion } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id, provider } = c.req.valid('param');
      if (!isProviderSlug(provider)) throw new NotFoundError(`Unknown provider "${provider.slice(0, 50)}"`);
      await startProviderDataDeletion(c.var.deps, {
        developerId: c.var.principal.developerId,
        userId: user_id,
        provider,
        actor: auditActor(c),
        request: auditRequest(c),
      });
      return c.json(
        {
          status: 'queued' as const,
          user_id,
          provider,
          detail: `The ${provider} data of this user is being deleted`,
        },
        202,
      );
    },
  );
}
