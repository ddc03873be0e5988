import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import type { SyncRunRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security, UserIdField } from '../http/openapi.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { syncSources, syncStages, syncStatuses } from './run-state.ts';
import { progressOf } from './sync-event.ts';
import { findRun, listTenantRuns, type TenantRunPosition } from './sync-runs.repo.ts';

export const SyncRun = z
  .object({
    run_id: z.string(),
    user_id: z.uuid(),
    provider: z.string(),
    source: z.enum(syncSources),
    stage: z.enum(syncStages),
    status: z.enum(syncStatuses),
    message: z.string().nullable(),
    progress: z.number().nullable(),
    items_processed: z.number().int().nullable(),
    items_total: z.number().int().nullable(),
    error: z.unknown().nullable(),
    result: z.unknown().nullable(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    last_update: z.string().openapi({ description: 'Same as updated_at (the name spec 000 uses)' }),
  })
  .openapi('SyncRun');

export function toSyncRun(row: SyncRunRow): z.infer<typeof SyncRun> {
  return {
    run_id: row.id,
    user_id: row.user_id,
    provider: row.provider,
    source: row.source as z.infer<typeof SyncRun>['source'],
    stage: row.stage as z.infer<typeof SyncRun>['stage'],
    status: row.status as z.infer<typeof SyncRun>['status'],
    message: row.message,
    progress: progressOf(row),
    items_processed: row.items_processed,
    items_total: row.items_total,
    error: row.error ?? null,
    result: row.result ?? null,
    started_at: row.started_at?.toISOString() ?? null,
    ended_at: row.ended_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_update: row.updated_at.toISOString(),
  };
}

const TenantRunsQuery = z.object({
  status: z.enum(syncStatuses).optional(),
  provider: z.string().min(1).max(50).optional(),
  user_id: UserIdField.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional().openapi({ description: 'next_cursor from the previous page' }),
});

/**
 * A page cursor: the last row's position, and the filters it belongs to (used with other filters it
 * would skip or repeat rows).
 */
const RunsCursor = z.object({
  t: cursorField.timestamp(),
  // Run ids are `<source>_<provider>_<time><hex>`: anything else (a NUL byte PostgreSQL refuses) is no cursor of ours.
  i: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  q: cursorField.fingerprint(),
});

export function registerSyncRunRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sync/runs',
      tags: ['Sync'],
      summary: 'Recent sync runs of all your users, newest first (filters: status, provider, user_id)',
      description:
        'The tenant-wide view of GET /users/{user_id}/sync/runs, for dashboards: one row per run, kept beyond the 24 h event log. Page with `next_cursor`.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { query: TenantRunsQuery },
      responses: {
        200: {
          description: 'A page of runs',
          content: {
            'application/json': {
              schema: z
                .object({
                  data: z.array(SyncRun),
                  pagination: z.object({ next_cursor: z.string().nullable(), has_more: z.boolean() }),
                })
                .openapi('SyncRunPage'),
            },
          },
        },
        ...pickErrors(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const fingerprint = `${q.status ?? ''}|${q.provider ?? ''}|${q.user_id ?? ''}`;
      let before: TenantRunPosition | undefined;
      if (q.cursor !== undefined) {
        const cursor = decodeCursor(q.cursor, RunsCursor);
        if (cursor.q !== fingerprint) {
          throw new ValidationError([
            {
              loc: ['query', 'cursor'],
              msg: 'This cursor belongs to a different query',
              type: 'invalid_cursor',
            },
          ]);
        }
        before = { createdAt: cursor.t, id: cursor.i };
      }
      const rows = await listTenantRuns(
        c.var.deps.db,
        {
          developerId: c.var.principal.developerId,
          status: q.status,
          provider: q.provider,
          userId: q.user_id,
        },
        { limit: q.limit + 1, before },
      );
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const hasMore = rows.length > q.limit && last !== undefined;
      return c.json(
        {
          data: page.map(toSyncRun),
          pagination: {
            next_cursor: hasMore ? encodeCursor({ t: last.position_at, i: last.id, q: fingerprint }) : null,
            has_more: hasMore,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/sync/runs/{run_id}',
      tags: ['Sync'],
      summary:
        'One sync run: stage, status, counts and (when finished) its result, kept beyond the 24 h event log',
      security: security.developerOrSdk,
      middleware: authenticate(tokens, 'developer_or_sdk'),
      request: {
        params: z.object({
          user_id: z
            .uuid({ error: 'user_id must be a UUID' })
            .openapi({ param: { name: 'user_id', in: 'path' } }),
          run_id: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: 'run_id', in: 'path' } }),
        }),
      },
      responses: {
        200: { description: 'The run', content: { 'application/json': { schema: SyncRun } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id, run_id } = c.req.valid('param');
      const developerId = c.var.principal.developerId;
      const run = await findRun(c.var.deps.db, developerId, user_id, run_id);
      if (run === undefined) throw new NotFoundError('Sync run not found');
      return c.json(toSyncRun(run), 200);
    },
  );
}
