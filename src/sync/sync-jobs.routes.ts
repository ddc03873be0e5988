import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TokenService } from '../auth/tokens.ts';
import {
  findConnection,
  findConnectionByProvider,
  updateConnection,
} from '../connections/connections.repo.ts';
import type { ConnectionRow, SyncRunRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security, UserIdField } from '../http/openapi.ts';
import { sseResponse } from '../http/sse.ts';
import { PushOnlyError } from '../providers/backfill/errors.ts';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { isTerminal, type SyncStage } from './run-state.ts';
import type { SyncMode } from './sync-engine.ts';
import { isValidCron, nextSyncAt } from './workers.ts';

type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

function jobStatus(run: SyncRunRow): JobStatus {
  if (run.stage === 'queued') return 'queued';
  if (run.stage === 'completed' || run.stage === 'failed' || run.stage === 'cancelled') return run.stage;
  return 'running';
}

const SyncErrorBody = z
  .object({
    code: z.enum(['PLATFORM_ERROR', 'AUTH_ERROR', 'RATE_LIMIT', 'CONNECTION_NOT_FOUND', 'INTERNAL_ERROR']),
    message: z.string(),
    details: z.object({ retry_after: z.number().optional() }).optional(),
  })
  .openapi('SyncError');

const JobStatusBody = z
  .object({
    job_id: z.string(),
    connection_id: z.uuid().nullable(),
    status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
    progress: z.object({
      total: z.number().int(),
      processed: z.number().int(),
      failing: z.number().int(),
      percentage: z.number(),
    }),
    started_at: z.string().nullable(),
    estimated_completion: z.string().nullable(),
    current_stage: z.string(),
    message: z.string().nullable(),
    error: SyncErrorBody.nullable(),
  })
  .openapi('SyncJobStatus');

function toStatus(run: SyncRunRow): z.infer<typeof JobStatusBody> {
  const total = run.items_total ?? 0;
  const processed = run.items_processed ?? 0;
  let estimated: string | null = null;
  if (run.started_at && processed > 0 && processed < total && run.ended_at === null) {
    const elapsed = Date.now() - run.started_at.getTime();
    estimated = new Date(run.started_at.getTime() + (elapsed / processed) * total).toISOString();
  }
  return {
    job_id: run.id,
    connection_id: run.connection_id,
    status: jobStatus(run),
    progress: {
      total,
      processed,
      failing: 0,
      percentage: total > 0 ? Math.round((processed / total) * 1000) / 10 : 0,
    },
    started_at: run.started_at?.toISOString() ?? null,
    estimated_completion: run.ended_at ? run.ended_at.toISOString() : estimated,
    current_stage: run.stage,
    message: run.message,
    error: (run.error as z.infer<typeof SyncErrorBody> | null) ?? null,
  };
}

const TriggerBody = z
  .strictObject({
    connection_id: z.uuid().optional(),
    user_id: UserIdField.optional(),
    provider: z.string().min(1).max(50).optional(),
    force: z.boolean().default(false),
    mode: z.enum(['incremental', 'historical']).default('incremental'),
  })
  .refine((b) => b.connection_id !== undefined || (b.user_id !== undefined && b.provider !== undefined), {
    message: 'Send connection_id, or user_id and provider',
  })
  .openapi('SyncRequest');

const Triggered = z
  .object({
    status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
    job_id: z.string(),
    connection_id: z.uuid(),
    estimated_items: z.number().int().nullable(),
    started_at: z.string().nullable(),
    created: z
      .boolean()
      .openapi({ description: 'false when a sync of this connection and mode was already running' }),
  })
  .openapi('SyncTriggered');

/** An incremental sync of a push vendor (Garmin): 409 `{detail, code: 'push_only'}`. */
class PushOnlyConflict extends ConflictError {
  override readonly code = 'push_only';
}

const connectionNotFound = () => new NotFoundError('CONNECTION_NOT_FOUND: no such connection');

async function loadRun(c: Context<AppEnv>, jobId: string): Promise<SyncRunRow> {
  const run = await c.var.deps.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('id', '=', jobId)
    .where('developer_id', '=', c.var.principal.developerId)
    .executeTakeFirst();
  if (run === undefined) throw new NotFoundError('Sync job not found');
  return run;
}

async function trigger(
  c: Context<AppEnv>,
  connection: ConnectionRow | undefined,
  mode: SyncMode,
  force: boolean,
) {
  if (connection === undefined) throw connectionNotFound();
  if (connection.status !== 'active')
    throw new BadRequestError(`The connection is ${connection.status}; reconnect it first`);
  let requested: Awaited<ReturnType<typeof c.var.deps.sync.requestSync>>;
  try {
    requested = await c.var.deps.sync.requestSync(connection, mode, force);
  } catch (error) {
    if (error instanceof PushOnlyError) throw new PushOnlyConflict(error.message);
    throw error;
  }
  const { run, created } = requested;
  return {
    status: jobStatus(run),
    job_id: run.id,
    connection_id: connection.id,
    estimated_items: run.items_total,
    started_at: run.started_at?.toISOString() ?? run.created_at.toISOString(),
    created,
  };
}

export function registerSyncJobRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Sync jobs'], security: security.developer, middleware: authenticate(tokens) };
  const triggered = {
    202: { description: 'Queued', content: { 'application/json': { schema: Triggered } } },
    200: { description: 'Already running: that job', content: { 'application/json': { schema: Triggered } } },
    ...pickErrors(400, 401, 403, 404, 409, 415, 422),
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/sync',
      summary: 'Start a sync of one connection (one active job per connection and mode)',
      request: { body: { required: true, content: { 'application/json': { schema: TriggerBody } } } },
      responses: triggered,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const developerId = c.var.principal.developerId;
      const connection = body.connection_id
        ? await findConnection(c.var.deps.db, developerId, body.connection_id)
        : await findConnectionByProvider(
            c.var.deps.db,
            developerId,
            body.user_id as string,
            body.provider as string,
          );
      const result = await trigger(c, connection, body.mode, body.force);
      return c.json(result, result.created ? 202 : 200);
    },
  );

  for (const mode of ['incremental', 'historical'] as const) {
    app.openapi(
      createRoute({
        ...base,
        tags: ['Providers'],
        method: 'post',
        path: `/api/v1/providers/{provider}/users/{user_id}/sync${mode === 'historical' ? '/historical' : ''}`,
        summary:
          mode === 'historical'
            ? 'Pull the full history the provider offers (push vendors such as Garmin: a vendor backfill, see …/backfill/status)'
            : 'Pull the latest data window (push vendors such as Garmin: 409 `push_only`)',
        request: {
          params: z.object({
            provider: z
              .string()
              .min(1)
              .max(50)
              .openapi({ param: { name: 'provider', in: 'path' } }),
            user_id: z
              .uuid({ error: 'user_id must be a UUID' })
              .openapi({ param: { name: 'user_id', in: 'path' } }),
          }),
        },
        responses: triggered,
      }),
      async (c) => {
        const { provider, user_id } = c.req.valid('param');
        const connection = await findConnectionByProvider(
          c.var.deps.db,
          c.var.principal.developerId,
          user_id,
          provider,
        );
        const result = await trigger(c, connection, mode, false);
        return c.json(result, result.created ? 202 : 200);
      },
    );
  }

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/sync/status',
      summary: "A job's progress, stage and estimated completion (by job_id, or a connection's latest job)",
      request: {
        query: z.object({ job_id: z.string().max(100).optional(), connection_id: z.uuid().optional() }),
      },
      responses: {
        200: { description: 'Status', content: { 'application/json': { schema: JobStatusBody } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { job_id, connection_id } = c.req.valid('query');
      if (job_id) return c.json(toStatus(await loadRun(c, job_id)), 200);
      if (!connection_id) {
        throw new ValidationError([{ loc: ['query'], msg: 'Send job_id or connection_id', type: 'missing' }]);
      }
      const run = await c.var.deps.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('connection_id', '=', connection_id)
        .where('developer_id', '=', c.var.principal.developerId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (run === undefined) throw new NotFoundError('No sync job for this connection');
      return c.json(toStatus(run), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/sync/history',
      summary: "A connection's past sync jobs, newest first",
      request: {
        query: z.object({
          connection_id: z.uuid(),
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
      },
      responses: {
        200: {
          description: 'History',
          content: {
            'application/json': {
              schema: z.object({
                history: z.array(
                  z.object({
                    job_id: z.string(),
                    connection_id: z.uuid().nullable(),
                    mode: z.string().nullable(),
                    status: z.string(),
                    started_at: z.string().nullable(),
                    completed_at: z.string().nullable(),
                    duration_seconds: z.number().nullable(),
                    items_synced: z.number().int().nullable(),
                    error: SyncErrorBody.nullable(),
                  }),
                ),
              }),
            },
          },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { connection_id, limit } = c.req.valid('query');
      if (!(await findConnection(c.var.deps.db, c.var.principal.developerId, connection_id)))
        throw connectionNotFound();
      const rows = await c.var.deps.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('connection_id', '=', connection_id)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return c.json(
        {
          history: rows.map((run) => ({
            job_id: run.id,
            connection_id: run.connection_id,
            mode: run.mode,
            status: jobStatus(run),
            started_at: run.started_at?.toISOString() ?? null,
            completed_at: run.ended_at?.toISOString() ?? null,
            duration_seconds:
              run.started_at && run.ended_at
                ? (run.ended_at.getTime() - run.started_at.getTime()) / 1000
                : null,
            items_synced: run.items_processed,
            error: (run.error as z.infer<typeof SyncErrorBody> | null) ?? null,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/sync/cancel',
      summary:
        'Cancel a job: a queued one at once, a running one at its next checkpoint (data saved so far is kept)',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ job_id: z.string().min(1).max(100) }) } },
        },
      },
      responses: {
        200: {
          description: 'Cancelled, or cancelling',
          content: {
            'application/json': {
              schema: z.object({
                status: z.enum(['cancelled', 'cancelling', 'completed', 'failed']),
                job_id: z.string(),
                cancelled_at: z.string().nullable(),
              }),
            },
          },
        },
        ...pickErrors(401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const run = await c.var.deps.sync.cancel(await loadRun(c, c.req.valid('json').job_id));
      const status =
        run.stage === 'cancelled'
          ? 'cancelled'
          : run.stage === 'completed' || run.stage === 'failed'
            ? run.stage
            : 'cancelling';
      return c.json(
        {
          status,
          job_id: run.id,
          cancelled_at:
            (run.stage === 'cancelled' ? run.ended_at : run.cancel_requested_at)?.toISOString() ?? null,
        } as const,
        200,
      );
    },
  );

  const Schedule = z
    .object({
      connection_id: z.uuid(),
      user_id: z.uuid(),
      provider: z.string(),
      schedule: z
        .string()
        .nullable()
        .openapi({ description: 'Cron (UTC, 5 fields); null: the default interval' }),
      enabled: z.boolean(),
      next_sync: z.string().nullable(),
      last_sync: z.string().nullable(),
    })
    .openapi('SyncSchedule');
  const toSchedule = (row: ConnectionRow) => ({
    connection_id: row.id,
    user_id: row.user_id,
    provider: row.provider,
    schedule: row.schedule_cron,
    enabled: row.schedule_enabled,
    next_sync: row.next_sync_at?.toISOString() ?? null,
    last_sync: row.last_synced_at?.toISOString() ?? null,
  });

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/sync/schedules',
      summary: 'Sync schedules of your active connections',
      request: { query: z.object({ user_id: UserIdField.optional() }) },
      responses: {
        200: {
          description: 'Schedules',
          content: { 'application/json': { schema: z.object({ schedules: z.array(Schedule) }) } },
        },
        ...pickErrors(401, 403, 422),
      },
    }),
    async (c) => {
      const { user_id } = c.req.valid('query');
      let query = c.var.deps.db
        .selectFrom('connections')
        .selectAll()
        .where('developer_id', '=', c.var.principal.developerId)
        .where('status', '!=', 'revoked');
      if (user_id) query = query.where('user_id', '=', user_id);
      return c.json({ schedules: (await query.orderBy('created_at').execute()).map(toSchedule) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'put',
      path: '/api/v1/sync/schedules',
      summary: "Set a connection's cron schedule (UTC) or enable/disable its scheduled syncs",
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                connection_id: z.uuid(),
                schedule: z
                  .string()
                  .max(100)
                  .refine(isValidCron, { message: 'must be a 5-field cron expression, e.g. "0 */4 * * *"' })
                  .nullable()
                  .optional(),
                enabled: z.boolean().optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Saved', content: { 'application/json': { schema: Schedule } } },
        ...pickErrors(401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const connection = await findConnection(c.var.deps.db, c.var.principal.developerId, body.connection_id);
      if (connection === undefined || connection.status === 'revoked') throw connectionNotFound();
      const schedule = body.schedule === undefined ? connection.schedule_cron : body.schedule;
      const enabled = body.enabled ?? connection.schedule_enabled;
      const updated = await updateConnection(c.var.deps.db, connection.id, {
        schedule_cron: schedule,
        schedule_enabled: enabled,
        next_sync_at: enabled
          ? nextSyncAt(
              { schedule_cron: schedule },
              new Date(),
              c.var.deps.config.SYNC_DEFAULT_INTERVAL_MINUTES,
            )
          : null,
      });
      return c.json(toSchedule(updated ?? connection), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/sync/jobs/{job_id}/subscribe',
      summary: "A job's progress as Server-Sent Events (spec 002); closes when the job ends",
      security: [...security.developer, { AccessTokenQuery: [] }],
      middleware: authenticate(tokens, 'developer', { queryToken: true }),
      request: {
        params: z.object({
          job_id: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: 'job_id', in: 'path' } }),
        }),
      },
      responses: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...pickErrors(401, 403, 404),
      },
    }),
    async (c) => {
      const run = await loadRun(c, c.req.valid('param').job_id);
      const { events, config, db } = c.var.deps;
      return sseResponse(c, async (stream) => {
        const progress = (r: {
          stage: string;
          status: string;
          items_processed: number | null;
          items_total: number | null;
          message: string | null;
        }) =>
          JSON.stringify({
            type: 'progress',
            job_id: run.id,
            status: jobStatus({ ...run, stage: r.stage } as SyncRunRow),
            stage: r.stage,
            items_processed: r.items_processed,
            items_total: r.items_total,
            message: r.message,
          });
        let writing = Promise.resolve();
        const write = (data: string) => {
          writing = writing.then(() => stream.writeSSE({ data }));
          return writing;
        };
        let done!: () => void;
        const finished = new Promise<void>((resolve) => {
          done = resolve;
        });
        stream.onAbort(() => done());
        const unsubscribe = events.subscribe(run.user_id, ({ event }) => {
          if (event.run_id !== run.id) return;
          void write(progress(event));
          if (event.status === 'failed')
            void write(JSON.stringify({ type: 'error', job_id: run.id, error: event.error }));
          if (isTerminal(event.stage as SyncStage)) void writing.then(done);
        });
        const heartbeat = setInterval(
          () => void write(JSON.stringify({ type: 'heartbeat' })),
          config.JOB_SSE_HEARTBEAT_MS,
        );
        try {
          await write(JSON.stringify({ type: 'connected', job_id: run.id }));
          // The state as of now, then live changes (a change in between shows up twice, never not at all).
          const current = await db
            .selectFrom('sync_runs')
            .selectAll()
            .where('id', '=', run.id)
            .executeTakeFirstOrThrow();
          await write(progress(current));
          if (current.ended_at !== null) done();
          await finished;
          await writing;
        } finally {
          clearInterval(heartbeat);
          unsubscribe();
        }
      });
    },
  );
}
