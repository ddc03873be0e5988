import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
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
      const key = await createApiKey(c.var.deps.db, c.var.principal.developerId, name);
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
      const rotated = await rotateApiKey(
        c.var.deps.db,
        c.var.principal.developerId,
        c.req.valid('param').key_id,
      );
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
      const deleted = await deleteApiKey(
        c.var.deps.db,
        c.var.principal.developerId,
        c.req.valid('param').key_id,
      );
      if (!deleted) throw keyNotFound();
      return c.body(null, 204);
    },
  );
}
