import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { PROVIDER_SLUGS } from '../catalog/providers.ts';
import type { ConnectionRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { OAuthFlowError } from '../providers/oauth/errors.ts';
import { findProviderModule } from '../providers/registry.ts';
import { SandboxSettings } from '../providers/sandbox/sandbox-provider.ts';
import { NotFoundError, NotImplementedError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { createConnection, findConnectionByProvider, listConnections } from './connections.repo.ts';
import { disconnectConnection } from './disconnect.ts';

export const Connection = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    provider: z.string(),
    status: z.enum(['active', 'revoked', 'error', 'reauth_required']).openapi({
      description:
        '`reauth_required`: the vendor refused the stored credentials; connect again through the authorize flow',
    }),
    connected_at: z.string(),
    last_synced_at: z.string().nullable(),
    next_sync_at: z.string().nullable(),
    schedule: z.string().nullable(),
    schedule_enabled: z.boolean(),
  })
  .openapi('Connection');

export function toConnection(row: ConnectionRow): z.infer<typeof Connection> {
  return {
    id: row.id,
    user_id: row.user_id,
    provider: row.provider,
    status: row.status as z.infer<typeof Connection>['status'],
    connected_at: row.created_at.toISOString(),
    last_synced_at: row.last_synced_at?.toISOString() ?? null,
    next_sync_at: row.next_sync_at?.toISOString() ?? null,
    schedule: row.schedule_cron,
    schedule_enabled: row.schedule_enabled,
  };
}

const CreateConnection = z
  .strictObject({
    provider: z.enum(['sandbox', ...PROVIDER_SLUGS.filter((p) => p !== 'sandbox')] as [string, ...string[]]),
    settings: SandboxSettings.optional().openapi({
      description: 'Sandbox only: simulated latency and rate limits',
    }),
  })
  .openapi('CreateConnectionRequest');

export function registerConnectionRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Connections'], security: security.developer, middleware: authenticate(tokens) };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}/connections',
      summary: "The user's provider connections",
      request: { params: UserIdParams },
      responses: {
        200: { description: 'Connections', content: { 'application/json': { schema: z.array(Connection) } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) =>
      c.json(
        (await listConnections(c.var.deps.db, c.var.principal.developerId, c.req.valid('param').user_id)).map(
          toConnection,
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/users/{user_id}/connections',
      summary:
        'Connect a provider without OAuth: the built-in sandbox, whose syncs pull synthetic data through the real pipeline',
      request: {
        params: UserIdParams,
        body: { required: true, content: { 'application/json': { schema: CreateConnection } } },
      },
      responses: {
        201: { description: 'Connected', content: { 'application/json': { schema: Connection } } },
        ...pickErrors(400, 401, 403, 404, 409, 415, 422),
        501: { description: 'A provider WearLink cannot connect yet' },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (body.provider !== 'sandbox') {
        if (findProviderModule(body.provider)?.manifest.oauth !== undefined)
          throw new OAuthFlowError(
            'bad_request',
            'oauth_required',
            `${body.provider} connects through OAuth: GET /api/v1/providers/${body.provider}/authorize, or a hosted connect link (POST /api/v1/users/{user_id}/connect-link)`,
          );
        throw new NotImplementedError(`Connecting ${body.provider} is not available yet`);
      }
      const developerId = c.var.principal.developerId;
      const userId = c.req.valid('param').user_id;
      const row = await c.var.deps.db.transaction().execute(async (trx) => {
        const created = await createConnection(trx, {
          developerId,
          userId,
          provider: 'sandbox',
          settings: SandboxSettings.parse(body.settings ?? {}),
          providerUserId: `sandbox-${userId.slice(0, 8)}`,
        });
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'connection.created',
          target: { type: 'connection', id: created.id },
          request: auditRequest(c),
          detail: { provider: created.provider, user_id: userId, via: 'api' },
        });
        return created;
      });
      return c.json(toConnection(row), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/users/{user_id}/connections/{provider}',
      summary:
        'Disconnect a provider: revoked at the vendor, credentials dropped, syncs and webhooks stopped, ingested data kept',
      request: {
        params: UserIdParams.extend({
          provider: z
            .string()
            .min(1)
            .max(50)
            .openapi({ param: { name: 'provider', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Revoked' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { user_id, provider } = c.req.valid('param');
      const connection = await findConnectionByProvider(
        c.var.deps.db,
        c.var.principal.developerId,
        user_id,
        provider,
      );
      if (connection === undefined || connection.status === 'revoked')
        throw new NotFoundError('Connection not found');
      await disconnectConnection(c.var.deps, connection, {
        actor: auditActor(c),
        request: auditRequest(c),
      });
      return c.body(null, 204);
    },
  );
}
