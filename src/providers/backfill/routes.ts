import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TokenService } from '../../auth/tokens.ts';
import { findConnectionByProvider } from '../../connections/connections.repo.ts';
import type { ConnectionRow, SyncRunRow } from '../../db/schema.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderModule } from '../types.ts';
import { closeRunWindows, countWindows, windowsOfConnection } from './repo.ts';
import { countByType } from './runner.ts';

/** 409 `{detail, code}`: a refusal a client can branch on (`backfill_running`, `nothing_to_retry`, …). */
class BackfillConflict extends ConflictError {
  constructor(
    message: string,
    override readonly code: string,
  ) {
    super(message);
  }
}

const Params = z.object({
  provider: z
    .string()
    .min(1)
    .max(50)
    .openapi({ param: { name: 'provider', in: 'path' }, example: 'garmin' }),
  user_id: z.uuid({ error: 'user_id must be a UUID' }).openapi({ param: { name: 'user_id', in: 'path' } }),
});

const TypeStatus = z
  .object({
    type: z.string(),
    family: z.string(),
    max_window_days: z.number().int(),
    requested_windows: z.number().int().openapi({ description: 'Every window planned or asked for' }),
    received: z.number().int(),
    pending: z.number().int().openapi({ description: 'Not yet asked, or asked and waiting for the data' }),
    failed: z.number().int(),
    timed_out: z.number().int(),
    duplicate: z.number().int().openapi({ description: 'The vendor had already sent the window (409)' }),
    cancelled: z.number().int(),
    complete: z.boolean().openapi({ description: 'Nothing pending, failed or timed out' }),
    last_run_id: z.string().nullable(),
  })
  .openapi('BackfillTypeStatus');

const Status = z
  .object({
    provider: z.string(),
    user_id: z.uuid(),
    connection_id: z.uuid(),
    active_run_id: z.string().nullable(),
    last_run_id: z.string().nullable(),
    types: z.array(TypeStatus),
  })
  .openapi('BackfillStatus');

const RunAnswer = z
  .object({ run_id: z.string(), status: z.string(), windows: z.number().int() })
  .openapi('BackfillRunAnswer');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The vendor (with a backfill) and the caller's connection to it, or 404 `{detail}`. */
async function target(
  c: Context<AppEnv>,
  provider: string,
  userId: string,
): Promise<{
  module: ProviderModule;
  backfill: NonNullable<ProviderModule['manifest']['backfill']>;
  connection: ConnectionRow;
}> {
  const module = findProviderModule(provider);
  const backfill = module?.manifest.backfill;
  if (module?.backfill === undefined || backfill === undefined)
    throw new NotFoundError(`Provider '${provider}' has no vendor backfill`);
  const connection = await findConnectionByProvider(
    c.var.deps.db,
    c.var.principal.developerId,
    userId.toLowerCase(),
    provider,
  );
  if (connection === undefined)
    throw new NotFoundError(`No ${module.manifest.name} connection for this user`);
  return { module, backfill, connection };
}

function backfillRuns(c: Context<AppEnv>, connectionId: string) {
  return c.var.deps.db
    .selectFrom('sync_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('source', '=', 'backfill')
    .where('mode', '=', 'historical');
}

const activeRun = (c: Context<AppEnv>, connectionId: string): Promise<SyncRunRow | undefined> =>
  backfillRuns(c, connectionId).where('ended_at', 'is', null).executeTakeFirst();

/**
 * Vendor backfill control (spec 001, Garmin 30-day backfill): per-type progress, cancel, and a retry of
 * one type's failed windows. Generic over every provider whose manifest has a `backfill` section.
 */
export function registerBackfillRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Providers'], security: security.developer, middleware: authenticate(tokens) };
  const path = '/api/v1/providers/{provider}/users/{user_id}/backfill';

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: `${path}/status`,
      summary: "A user's vendor backfill per type: windows asked, received, pending, failed",
      request: { params: Params },
      responses: { 200: json(Status, 'Per-type progress'), ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { provider, user_id } = c.req.valid('param');
      const { backfill, connection } = await target(c, provider, user_id);
      const windows = await windowsOfConnection(c.var.deps.db, connection.id);
      const counts = countByType(windows);
      const last = await backfillRuns(c, connection.id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const active = await activeRun(c, connection.id);
      const types = backfill.types.map((t) => {
        const n = counts[t.name];
        const ofType = windows.filter((w) => w.type === t.name);
        const latest = ofType.reduce<(typeof ofType)[number] | undefined>(
          (best, w) =>
            best === undefined || (w.requested_at ?? w.created_at) > (best.requested_at ?? best.created_at)
              ? w
              : best,
          undefined,
        );
        const pending = (n?.pending ?? 0) + (n?.requested ?? 0);
        return {
          type: t.name,
          family: t.family,
          max_window_days: t.max_window_days,
          requested_windows: ofType.length,
          received: n?.received ?? 0,
          pending,
          failed: n?.failed ?? 0,
          timed_out: n?.timed_out ?? 0,
          duplicate: n?.duplicate ?? 0,
          cancelled: n?.cancelled ?? 0,
          complete: ofType.length > 0 && pending === 0 && (n?.failed ?? 0) + (n?.timed_out ?? 0) === 0,
          last_run_id: latest?.run_id ?? null,
        };
      });
      return c.json(
        {
          provider,
          user_id: connection.user_id,
          connection_id: connection.id,
          active_run_id: active?.id ?? null,
          last_run_id: last?.id ?? null,
          types,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: `${path}/cancel`,
      summary:
        'Stop the running backfill: it ends cancelled, windows not yet received are cancelled, data is kept',
      request: { params: Params },
      responses: {
        200: json(RunAnswer, 'Cancelled (or cancelling at its next checkpoint)'),
        ...pickErrors(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { provider, user_id } = c.req.valid('param');
      const { connection } = await target(c, provider, user_id);
      const run = await activeRun(c, connection.id);
      if (run === undefined)
        throw new BackfillConflict('No backfill is running for this user', 'no_active_backfill');
      const after = await c.var.deps.sync.cancel(run);
      const windows = await closeRunWindows(
        c.var.deps.db,
        run.id,
        ['pending', 'requested'],
        'cancelled',
        'Backfill cancelled',
      );
      return c.json(
        { run_id: run.id, status: after.stage === 'cancelled' ? 'cancelled' : 'cancelling', windows },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: `${path}/{type_name}/retry`,
      summary: "Ask the vendor again for one type's failed and timed-out windows (same bounds), as a new run",
      request: {
        params: Params.extend({
          type_name: z
            .string()
            .min(1)
            .max(50)
            .openapi({ param: { name: 'type_name', in: 'path' }, example: 'sleeps' }),
        }),
      },
      responses: {
        202: json(RunAnswer, 'Retry queued'),
        ...pickErrors(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { provider, user_id, type_name } = c.req.valid('param');
      const { module, backfill, connection } = await target(c, provider, user_id);
      if (!backfill.types.some((t) => t.name === type_name))
        throw new NotFoundError(`${module.manifest.name} has no backfill type '${type_name}'`);
      if (connection.status !== 'active')
        throw new BackfillConflict(
          `The connection is ${connection.status}; reconnect it first`,
          'connection_inactive',
        );
      if ((await activeRun(c, connection.id)) !== undefined)
        throw new BackfillConflict(
          'A backfill is running for this user; cancel it or wait',
          'backfill_running',
        );
      const windows = await countWindows(c.var.deps.db, connection.id, type_name, ['failed', 'timed_out']);
      if (windows === 0)
        throw new BackfillConflict(
          `No failed or timed-out ${type_name} windows to retry`,
          'nothing_to_retry',
        );
      const { run, created } = await c.var.deps.sync.requestBackfill(connection, type_name);
      if (!created)
        throw new BackfillConflict(
          'A backfill is running for this user; cancel it or wait',
          'backfill_running',
        );
      return c.json({ run_id: run.id, status: 'queued', windows }, 202);
    },
  );
}
