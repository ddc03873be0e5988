import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { startUserDeletion } from '../data-rights/deletion/start.ts';
import type { UserRow } from '../db/schema.ts';
import { AccessToken } from '../developers/schemas.ts';
import { rebuildRollups } from '../health-data/samples.repo.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { decodeCursor, encodeCursor, offsetCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { NotFoundError } from '../shared/errors.ts';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, User, UserIdParams, UserList } from './schemas.ts';
import { checkedTimezone } from './timezones.ts';
import { createUser, findUser, listUsers, updateUser } from './users.repo.ts';

export const toUser = (row: UserRow) => ({
  id: row.id,
  first_name: row.first_name,
  last_name: row.last_name,
  email: row.email,
  external_id: row.external_id,
  timezone: row.timezone,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const userNotFound = () => new NotFoundError('User not found');

/** The fields a request sets (absent ones are left as they are). */
const definedFields = (fields: object) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

export function registerUserRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Users'], security: security.developer, middleware: authenticate(tokens) };
  const userJson = { 'application/json': { schema: User } };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users',
      summary: 'List users, newest first by default',
      request: { query: ListUsersQuery },
      responses: {
        200: { description: 'A page of users', content: { 'application/json': { schema: UserList } } },
        ...pickErrors(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const offset =
        q.cursor !== undefined ? decodeCursor(q.cursor, offsetCursor).o : ((q.page ?? 1) - 1) * q.limit;
      const { rows, total } = await listUsers(c.var.deps.db, c.var.principal.developerId, {
        search: q.q ?? q.search,
        sortBy: q.sort_by,
        sortOrder: q.sort_order,
        offset,
        limit: q.limit,
      });
      const hasMore = offset + rows.length < total;
      return c.json(
        {
          data: rows.map(toUser),
          pagination: {
            next_cursor: hasMore ? encodeCursor({ o: offset + rows.length }) : null,
            has_more: hasMore,
            total_count: total,
            page: Math.floor(offset / q.limit) + 1,
            limit: q.limit,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/users',
      summary: 'Create a user',
      request: { body: { required: true, content: { 'application/json': { schema: CreateUserBody } } } },
      responses: {
        201: { description: 'Created', content: userJson },
        ...pickErrors(401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const body = c.req.valid('json');
      const fields = { ...body, timezone: await checkedTimezone(db, body.timezone) };
      const { developerId } = c.var.principal;
      const row = await db.transaction().execute(async (trx) => {
        const created = await createUser(trx, developerId, fields);
        // Field names only: the values are personal data, and the trail outlives the user.
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'user.created',
          target: { type: 'user', id: created.id },
          request: auditRequest(c),
          detail: { fields: Object.keys(definedFields(fields)).sort() },
        });
        return created;
      });
      return c.json(toUser(row), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/users/{user_id}',
      summary: 'Get a user',
      request: { params: UserIdParams },
      responses: { 200: { description: 'The user', content: userJson }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const row = await findUser(c.var.deps.db, c.var.principal.developerId, c.req.valid('param').user_id);
      if (row === undefined) throw userNotFound();
      return c.json(toUser(row), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'patch',
      path: '/api/v1/users/{user_id}',
      summary: 'Update name, email or external_id',
      request: {
        params: UserIdParams,
        body: { required: true, content: { 'application/json': { schema: UpdateUserBody } } },
      },
      responses: {
        200: { description: 'Updated user', content: userJson },
        ...pickErrors(401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { user_id } = c.req.valid('param');
      const body = c.req.valid('json');
      const fields = { ...body, timezone: await checkedTimezone(db, body.timezone) };
      const { developerId } = c.var.principal;
      // The new zone and the rollups rebuilt for it commit together, or neither does.
      const row = await db.transaction().execute(async (trx) => {
        const before = await findUser(trx, developerId, user_id);
        const after = before && (await updateUser(trx, developerId, user_id, fields));
        // Offset-less samples were bucketed into local hours with the old zone.
        if (after !== undefined && fields.timezone !== undefined && after.timezone !== before?.timezone) {
          await rebuildRollups(trx, user_id, after.timezone ?? 'UTC');
        }
        if (after !== undefined) {
          await recordAudit(trx, {
            developerId,
            actor: auditActor(c),
            action: 'user.updated',
            target: { type: 'user', id: user_id },
            request: auditRequest(c),
            detail: { fields: Object.keys(definedFields(fields)).sort() },
          });
        }
        return after;
      });
      if (row === undefined) throw userNotFound();
      return c.json(toUser(row), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/users/{user_id}',
      summary: 'Delete a user and all their data',
      description:
        'The user is gone from the API at once (404 everywhere, left out of lists, no SDK tokens) and nothing ' +
        'more is stored for them: running syncs and imports stop, connections are revoked at the vendor, ' +
        'and every row is wiped by a background job in batches (resumed after a crash). ' +
        'The 204 answers when the deletion is committed to; the wipe follows within moments.',
      request: { params: UserIdParams },
      responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const started = await startUserDeletion(c.var.deps, {
        developerId: c.var.principal.developerId,
        userId: c.req.valid('param').user_id,
        actor: auditActor(c),
        request: auditRequest(c),
      });
      if (!started) throw userNotFound();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/users/{user_id}/token',
      summary: 'Issue a short-lived SDK token that can act for this user only (on /sdk routes)',
      request: { params: UserIdParams },
      responses: {
        200: { description: 'SDK token', content: { 'application/json': { schema: AccessToken } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { developerId } = c.var.principal;
      const user = await findUser(c.var.deps.db, developerId, c.req.valid('param').user_id);
      if (user === undefined) throw userNotFound();
      return c.json(await tokens.issue({ kind: 'sdk', developerId, userId: user.id }), 200);
    },
  );
}
