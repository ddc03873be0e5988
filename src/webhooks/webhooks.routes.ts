import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AuditEntry, auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { type SecretBox, SecretOpenError } from '../crypto/secret-box.ts';
import type { WebhookEndpointRow } from '../db/schema.ts';
import { authenticate, requireRole } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { EVENT_TYPES, eventGroups, isValidFilter, TEST_EVENT_TYPE } from './event-types.ts';
import { urlRefusal } from './ssrf.ts';
import {
  countAttempts,
  createEndpoint,
  deleteEndpoint,
  enqueueTestMessage,
  findEndpoint,
  listAttempts,
  listEndpoints,
  openEndpointSecrets,
  rotateSecret,
  updateEndpoint,
} from './webhooks.repo.ts';

/** 409: the stored secret does not open (written under a key this server was not given, or altered). */
class SecretUnreadableError extends ConflictError {
  override readonly code = 'secret_unreadable';
}

/** Attempts pages: `b` is the last attempt id returned (a bigint identity). */
const AttemptsCursor = z.object({ b: cursorField.bigintId() });

const Endpoint = z
  .object({
    id: z.string().openapi({ example: 'ep_Qx3v9yB2kq0m1ZcR' }),
    url: z.string(),
    description: z.string().nullable(),
    filter_types: z.array(z.string()).openapi({ description: 'Empty: every event type' }),
    disabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    failing_since: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('WebhookEndpoint');

function toEndpoint(row: WebhookEndpointRow): z.infer<typeof Endpoint> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    filter_types: row.filter_types,
    disabled: !row.enabled,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const FilterTypes = z
  .array(z.string().min(1).max(200))
  .max(500)
  .openapi({
    description: 'Event types or group wildcards (`workout.*`, `series.*`, `*`); empty or absent: all events',
    example: ['workout.created', 'sleep.created', 'series.*'],
  });

const CreateEndpoint = z
  .strictObject({
    url: z.string().min(1).max(2000).openapi({ example: 'https://yourapp.com/hooks/wearlink' }),
    description: z.string().max(500).optional(),
    filter_types: FilterTypes.optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('CreateWebhookEndpointRequest');

const UpdateEndpoint = z
  .strictObject({
    url: z.string().min(1).max(2000).optional(),
    description: z.string().max(500).nullable().optional(),
    filter_types: FilterTypes.optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('UpdateWebhookEndpointRequest');

const Secret = z
  .object({
    key: z.string().openapi({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    previous_key: z.string().nullable(),
    previous_key_expires_at: z.string().nullable(),
  })
  .openapi('WebhookEndpointSecret');

const Attempt = z
  .object({
    id: z.string(),
    message_id: z.string(),
    event_type: z.string(),
    attempt: z.number().int(),
    status_code: z.number().int().nullable(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
    next_attempt_at: z.string().nullable(),
    delivery_status: z.enum(['pending', 'succeeded', 'failed']),
    created_at: z.string(),
  })
  .openapi('WebhookAttempt');

const EndpointIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'ep_Qx3v9yB2kq0m1ZcR' }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * An endpoint URL as the audit trail keeps it: its origin only. Paths and queries of receivers often
 * carry a secret of their own (Slack's and Zapier's hook URLs are bearer capabilities).
 */
function auditedUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparsable)';
  }
}

async function checkInput(
  url: string | undefined,
  filters: string[] | undefined,
  allowPrivate: boolean,
): Promise<void> {
  const errors: ConstructorParameters<typeof ValidationError>[0] = [];
  if (url !== undefined) {
    const refusal = await urlRefusal(url, allowPrivate);
    if (refusal !== undefined) errors.push({ loc: ['body', 'url'], msg: refusal, type: 'value_error.url' });
  }
  filters?.forEach((filter, index) => {
    if (!isValidFilter(filter)) {
      errors.push({
        loc: ['body', 'filter_types', index],
        msg: `Unknown event type or group '${filter}' (see GET /api/v1/webhooks/event-types)`,
        type: 'value_error.event_type',
      });
    }
  });
  if (errors.length > 0) throw new ValidationError(errors);
}

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Webhooks'], security: security.session, middleware: authenticate(tokens) };
  const audit = (
    c: Parameters<typeof auditActor>[0],
    action: AuditEntry['action'],
    id: string,
    detail: Record<string, unknown>,
  ): AuditEntry => ({
    developerId: c.var.principal.developerId,
    actor: auditActor(c),
    action,
    target: { type: 'webhook_endpoint', id },
    request: auditRequest(c),
    detail,
  });
  const endpointOf = async (c: { var: AppEnv['Variables'] }, id: string) => {
    const row = await findEndpoint(c.var.deps.db, c.var.principal.developerId, id);
    if (row === undefined) throw new NotFoundError('Webhook endpoint not found');
    return row;
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/webhooks/endpoints',
      summary: 'List your webhook endpoints',
      responses: {
        200: json(z.object({ data: z.array(Endpoint) }), 'Endpoints'),
        ...pickErrors(401, 403),
      },
    }),
    async (c) =>
      c.json(
        { data: (await listEndpoints(c.var.deps.db, c.var.principal.developerId)).map(toEndpoint) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/webhooks/endpoints',
      summary: 'Create a webhook endpoint',
      description:
        'URLs that resolve to loopback, private or link-local addresses are refused unless the server runs with WEBHOOK_ALLOW_PRIVATE_URLS=true.',
      request: { body: { content: { 'application/json': { schema: CreateEndpoint } }, required: true } },
      responses: { 201: json(Endpoint, 'Created'), ...pickErrors(400, 401, 403, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await checkInput(body.url, body.filter_types, c.var.deps.config.WEBHOOK_ALLOW_PRIVATE_URLS);
      const row = await c.var.deps.db.transaction().execute(async (trx) => {
        const created = await createEndpoint(trx, c.var.deps.secrets, {
          developerId: c.var.principal.developerId,
          url: body.url,
          description: body.description ?? null,
          filterTypes: body.filter_types ?? [],
          enabled: body.disabled !== true,
        });
        await recordAudit(
          trx,
          audit(c, 'webhook_endpoint.created', created.id, {
            url_origin: auditedUrl(created.url),
            filter_types: created.filter_types,
            disabled: !created.enabled,
          }),
        );
        return created;
      });
      return c.json(toEndpoint(row), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/webhooks/endpoints/{id}',
      summary: 'Get a webhook endpoint',
      request: { params: EndpointIdParams },
      responses: { 200: json(Endpoint, 'Endpoint'), ...pickErrors(401, 403, 404) },
    }),
    async (c) => c.json(toEndpoint(await endpointOf(c, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'patch',
      path: '/api/v1/webhooks/endpoints/{id}',
      summary: 'Update URL, description, filters, or disable / re-enable',
      request: {
        params: EndpointIdParams,
        body: { content: { 'application/json': { schema: UpdateEndpoint } }, required: true },
      },
      responses: { 200: json(Endpoint, 'Updated'), ...pickErrors(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await endpointOf(c, id);
      await checkInput(body.url, body.filter_types, c.var.deps.config.WEBHOOK_ALLOW_PRIVATE_URLS);
      const row = await c.var.deps.db.transaction().execute(async (trx) => {
        const updated = await updateEndpoint(trx, c.var.principal.developerId, id, {
          ...(body.url !== undefined ? { url: body.url } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.filter_types !== undefined ? { filterTypes: body.filter_types } : {}),
          ...(body.disabled !== undefined ? { enabled: !body.disabled } : {}),
        });
        if (updated !== undefined)
          await recordAudit(
            trx,
            audit(c, 'webhook_endpoint.updated', id, {
              changed: Object.keys(body).sort(),
              ...(body.url !== undefined ? { url_origin: auditedUrl(body.url) } : {}),
              ...(body.filter_types !== undefined ? { filter_types: body.filter_types } : {}),
              ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
            }),
          );
        return updated;
      });
      if (row === undefined) throw new NotFoundError('Webhook endpoint not found');
      return c.json(toEndpoint(row), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/webhooks/endpoints/{id}',
      summary: 'Delete a webhook endpoint (its pending deliveries are dropped)',
      request: { params: EndpointIdParams },
      responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const deleted = await c.var.deps.db.transaction().execute(async (trx) => {
        const gone = await deleteEndpoint(trx, c.var.principal.developerId, id);
        if (gone !== undefined)
          await recordAudit(
            trx,
            audit(c, 'webhook_endpoint.deleted', id, { url_origin: auditedUrl(gone.url) }),
          );
        return gone !== undefined;
      });
      if (!deleted) throw new NotFoundError('Webhook endpoint not found');
      return c.body(null, 204);
    },
  );

  // Sealed at rest; shown to their owner in plaintext, as receivers need them to verify.
  const secretOf = (secrets: SecretBox, row: WebhookEndpointRow): z.infer<typeof Secret> => {
    const live =
      row.previous_secret !== null && (row.previous_secret_expires_at?.getTime() ?? 0) > Date.now();
    let opened: ReturnType<typeof openEndpointSecrets>;
    try {
      opened = openEndpointSecrets(secrets, { ...row, previous_secret: live ? row.previous_secret : null });
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      throw new SecretUnreadableError(
        `This endpoint's signing secret cannot be read with the configured ENCRYPTION_KEY (${error.message}); rotate it (POST …/secret/rotate) to get a new one`,
      );
    }
    return {
      key: opened.secret,
      previous_key: opened.previous_secret,
      previous_key_expires_at: live ? (row.previous_secret_expires_at?.toISOString() ?? null) : null,
    };
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/webhooks/endpoints/{id}/secret',
      middleware: [authenticate(tokens), requireRole('admin')], // a secret: owners and admins only
      summary: 'Signing secret for verifying deliveries (Standard Webhooks / Svix)',
      request: { params: EndpointIdParams },
      responses: { 200: json(Secret, 'Secret'), ...pickErrors(401, 403, 404, 409) },
    }),
    async (c) => c.json(secretOf(c.var.deps.secrets, await endpointOf(c, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/webhooks/endpoints/{id}/secret/rotate',
      summary: 'Rotate the signing secret',
      description:
        'Deliveries carry signatures with both the new and the previous secret until the previous one expires (WEBHOOK_SECRET_OVERLAP_SECONDS, default 24 h).',
      request: { params: EndpointIdParams },
      responses: { 200: json(Secret, 'The new secret'), ...pickErrors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await c.var.deps.db.transaction().execute(async (trx) => {
        const rotated = await rotateSecret(
          trx,
          c.var.deps.secrets,
          c.var.principal.developerId,
          id,
          c.var.deps.config.WEBHOOK_SECRET_OVERLAP_SECONDS,
        );
        // Neither secret, sealed or not: only until when the previous one keeps signing.
        if (rotated !== undefined)
          await recordAudit(
            trx,
            audit(c, 'webhook_endpoint.secret_rotated', id, {
              previous_secret_expires_at: rotated.previous_secret_expires_at?.toISOString() ?? null,
            }),
          );
        return rotated;
      });
      if (row === undefined) throw new NotFoundError('Webhook endpoint not found');
      return c.json(secretOf(c.var.deps.secrets, row), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/webhooks/endpoints/{id}/test',
      summary: `Send a test event (${TEST_EVENT_TYPE}) to this endpoint`,
      request: { params: EndpointIdParams },
      responses: {
        202: json(z.object({ message_id: z.string(), event_type: z.string() }), 'Queued for delivery'),
        ...pickErrors(401, 403, 404),
      },
    }),
    async (c) => {
      const endpoint = await endpointOf(c, c.req.valid('param').id);
      const messageId = await enqueueTestMessage(c.var.deps.db, endpoint, TEST_EVENT_TYPE, {
        endpoint_id: endpoint.id,
        message: 'This is a test event from WearLink.',
      });
      return c.json({ message_id: messageId, event_type: TEST_EVENT_TYPE }, 202);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/webhooks/endpoints/{id}/attempts',
      summary: 'Delivery attempts to this endpoint, newest first',
      request: {
        params: EndpointIdParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
          message_id: z.string().max(100).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            data: z.array(Attempt),
            pagination: z.object({
              next_cursor: z.string().nullable(),
              has_more: z.boolean(),
              total_count: z.number().int(),
            }),
          }),
          'Attempts',
        ),
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const endpoint = await endpointOf(c, c.req.valid('param').id);
      const query = c.req.valid('query');
      const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, AttemptsCursor).b;
      const rows = await listAttempts(c.var.deps.db, endpoint.id, {
        limit: query.limit + 1,
        ...(before !== undefined ? { before } : {}),
        ...(query.message_id !== undefined ? { messageId: query.message_id } : {}),
      });
      const page = rows.slice(0, query.limit);
      const hasMore = rows.length > query.limit;
      const last = page.at(-1);
      return c.json(
        {
          data: page.map((a) => ({
            id: String(a.id),
            message_id: a.message_id,
            event_type: a.event_type,
            attempt: a.attempt,
            status_code: a.status_code,
            response_excerpt: a.response_excerpt,
            error: a.error,
            duration_ms: a.duration_ms,
            next_attempt_at: a.next_attempt_at?.toISOString() ?? null,
            delivery_status: a.delivery_status as 'pending' | 'succeeded' | 'failed',
            created_at: a.created_at.toISOString(),
          })),
          pagination: {
            next_cursor: hasMore && last ? encodeCursor({ b: last.id }) : null,
            has_more: hasMore,
            total_count: await countAttempts(c.var.deps.db, endpoint.id, query.message_id),
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/webhooks/event-types',
      summary: 'Every event type an endpoint can subscribe to, and the group wildcards',
      responses: {
        200: json(
          z.object({
            data: z.array(z.object({ name: z.string(), group: z.string(), description: z.string() })),
            groups: z.array(z.string()),
          }),
          'Event types',
        ),
        ...pickErrors(401, 403),
      },
    }),
    (c) => c.json({ data: [...EVENT_TYPES], groups: eventGroups() }, 200),
  );
}
