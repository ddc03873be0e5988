import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { ApiKeyRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security, UuidParam } from '../http/openapi.ts';
import { NotFoundError } from '../shared/errors.ts';
import { createApiKey, deleteApiKey, listApiKeys, type NewApiKey, rotateApiKey } from './api-keys.repo.ts';
import { ApiKeySummary, ApiKeyWithSecret, CreateApiKeyBody } from './schemas.ts';

export const toApiKeyWithSecret = (row: NewApiKey) => ({
  id: row.id,
  name: row.name,
  key: row.key,
  prefix: row.prefix,
  created_at: row.created_at.toISOString(),
});

const toApiKeySummary = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  created_at: row.created_at.toISOString(),
  last_used_at: row.last_used_at?.toISOString() ?? null,
});

const KeyParams = z.object({ key_id: UuidParam('key_id') });
const keyNotFound = () => new NotFoundError('API key not found');

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = {
    tags: ['API keys'],
    security: security.session,
    middleware: authenticate(tokens),
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/developer/api-keys',
      summary: 'List API keys (prefixes only)',
      responses: {
        200: { description: 'Keys', content: { 'application/json': { schema: z.array(ApiKeySummary) } } },
        ...pickErrors(401, 403),
      },
    }),
    async (c) =>
      c.json((await listApiKeys(c.var.deps.db, c.var.principal.developerId)).map(toApiKeySummary), 200),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/developer/api-keys',
      summary: 'Create an API key; the full key is returned once',
      request: { body: { required: false, content: { 'application/json': { schema: CreateApiKeyBody } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: ApiKeyWithSecret } } },
        ...pickErrors(401, 403, 415, 422),
      },
    }),
    async (c) => {
      const { name } = CreateApiKeyBody.parse(c.req.valid('json'));
      const developerId = c.var.principal.developerId;
      const key = await c.var.deps.db.transaction().execute(async (trx) => {
        const created = await createApiKey(trx, developerId, name);
        // The prefix is what the dashboard shows; the key itself never enters the trail.
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'api_key.created',
          target: { type: 'api_key', id: created.id },
          request: auditRequest(c),
          detail: { name: created.name, prefix: created.prefix },
        });
        return created;
      });
      return c.json(toApiKeyWithSecret(key), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/developer/api-keys/{key_id}/rotate',
      summary: 'Rotate a key: the old key stops working and a new one with the same name is returned once',
      request: { params: KeyParams },
      responses: {
        201: { description: 'New key', content: { 'application/json': { schema: ApiKeyWithSecret } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const developerId = c.var.principal.developerId;
      const oldId = c.req.valid('param').key_id;
      const rotated = await c.var.deps.db.transaction().execute(async (trx) => {
        const key = await rotateApiKey(trx, developerId, oldId);
        if (key !== undefined)
          await recordAudit(trx, {
            developerId,
            actor: auditActor(c),
            action: 'api_key.rotated',
            target: { type: 'api_key', id: oldId },
            request: auditRequest(c),
            detail: { name: key.name, new_key_id: key.id, prefix: key.prefix },
          });
        return key;
      });
      if (rotated === undefined) throw keyNotFound();
      return c.json(toApiKeyWithSecret(rotated), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/developer/api-keys/{key_id}',
      summary: 'Delete a key permanently',
      request: { params: KeyParams },
      responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const developerId = c.var.principal.developerId;
      const id = c.req.valid('param').key_id;
      const deleted = await c.var.deps.db.transaction().execute(async (trx) => {
        const key = await deleteApiKey(trx, developerId, id);
        if (key !== undefined)
          await recordAudit(trx, {
            developerId,
            actor: auditActor(c),
            action: 'api_key.deleted',
            target: { type: 'api_key', id },
            request: auditRequest(c),
            detail: { name: key.name, prefix: key.prefix },
          });
        return key !== undefined;
      });
      if (!deleted) throw keyNotFound();
      return c.body(null, 204);
    },
  );
}
