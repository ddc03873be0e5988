import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Selectable } from 'kysely';
import { auditActor, auditRequest, recordAudit } from '../../audit/audit-log.ts';
import type { TokenService } from '../../auth/tokens.ts';
import type { DataExportsTable } from '../../db/schema.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security, UuidParam } from '../../http/openapi.ts';
import { publicOrigin } from '../../providers/oauth/public-url.ts';
import { NotFoundError, PayloadTooLargeError } from '../../shared/errors.ts';
import { blobStoreFor } from '../../storage/blob-store.ts';
import { DATA_RIGHTS_QUEUE } from '../../sync/job-queue.ts';
import { createRun, newRunId } from '../../sync/sync-runs.repo.ts';
import { EXPORT_FORMAT_VERSION, writeExport } from './build.ts';
import { signDownloadToken, verifyDownloadToken } from './download-token.ts';
import { downloadPath, exportTempFile } from './job.ts';
import { ZipTooLargeError } from './zip-writer.ts';

class ExportTooLargeError extends PayloadTooLargeError {
  override readonly code = 'export_too_large';
}

const UserParams = z.object({
  user_id: z.uuid({ error: 'user_id must be a UUID' }).openapi({ param: { name: 'user_id', in: 'path' } }),
});

const ExportParams = UserParams.extend({ export_id: UuidParam('export_id') });

const TokenParams = z.object({
  token: z
    .string()
    .max(200)
    .openapi({ param: { name: 'token', in: 'path' }, description: 'The token of a download_url' }),
});

const Queued = z
  .object({
    export_id: z.uuid(),
    run_id: z.string().openapi({ description: 'The sync run reporting progress (source "export")' }),
    status: z.literal('queued'),
  })
  .openapi('DataExportQueued');

const ManifestFile = z.object({
  name: z.string(),
  count: z.number().int(),
  sha256: z.string(),
  bytes: z.number().int(),
});

const DataExport = z
  .object({
    export_id: z.uuid(),
    user_id: z.uuid(),
    run_id: z.string().nullable(),
    status: z.enum(['queued', 'running', 'ready', 'failed', 'expired']),
    format_version: z.number().int(),
    size_bytes: z.number().int().nullable(),
    files: z.array(ManifestFile).nullable().openapi({ description: 'Per NDJSON file: rows, SHA-256, bytes' }),
    download_url: z.string().nullable().openapi({
      description:
        'Single-use, time-bound link to the ZIP (no credentials needed: hand it to the user). Null until ready, after its one download, and after it expires.',
    }),
    expires_at: z.string().nullable(),
    downloaded_at: z.string().nullable(),
    error: z.unknown().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi('DataExport');

type ExportRow = Selectable<DataExportsTable>;

function toDataExport(c: Context<AppEnv>, row: ExportRow): z.infer<typeof DataExport> {
  const { config } = c.var.deps;
  const live =
    row.status === 'ready' &&
    row.token_nonce !== null &&
    row.expires_at !== null &&
    row.expires_at.getTime() > Date.now();
  const manifest = row.manifest as { files?: z.infer<typeof ManifestFile>[] } | null;
  return {
    export_id: row.id,
    user_id: row.user_id,
    run_id: row.run_id,
    status: row.status as z.infer<typeof DataExport>['status'],
    format_version: row.format_version,
    size_bytes: row.size_bytes === null ? null : Number(row.size_bytes),
    files: manifest?.files ?? null,
    download_url:
      live && row.token_nonce !== null && row.expires_at !== null
        ? `${publicOrigin(c)}${downloadPath(signDownloadToken(config.jwtSecret, row.token_nonce, row.expires_at))}`
        : null,
    expires_at: row.expires_at?.toISOString() ?? null,
    downloaded_at: row.downloaded_at?.toISOString() ?? null,
    error: row.error ?? null,
    created_at: (row.created_at as Date).toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

const linkGone = () => new NotFoundError('This download link is invalid, expired or already used');

const zipName = (now: Date) => `wearlink-export-${now.toISOString().slice(0, 10)}.zip`;

/** A file streamed as the response body; it is unlinked once open, so nothing is left behind either way. */
async function streamTempFile(path: string, filename: string): Promise<Response> {
  const file = createReadStream(path);
  await once(file, 'open');
  await rm(path, { force: true });
  return new Response(Readable.toWeb(file) as ReadableStream, {
    status: 200,
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}

export function registerExportRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/export/async',
      tags: ['Data rights'],
      summary: "Export all of a user's data (GDPR/DPDP access and portability) as a ZIP, built by a job",
      description:
        'Answers 202 at once. The ZIP holds one NDJSON file per data type (samples per series type, workouts, their GPS route points, sleep sessions with stages, daily activity and sleep summaries, health scores, nutrition where present, connections without secrets, sync runs) and manifest.json (format version, generation time, the user, time range, and per file its row count, SHA-256 and size). Progress is a sync run (provider "wearlink", source "export") on the user\'s sync stream; when it is ready an `export.completed` webhook carries the download link, and GET …/exports/{export_id} shows it.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserParams },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: Queued } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db, queue, runs } = c.var.deps;
      const { user_id: userId } = c.req.valid('param');
      const developerId = c.var.principal.developerId;
      const exportId = randomUUID();
      const runId = newRunId('export', 'wearlink');
      const jobId = randomUUID();
      // Export row, run, job and audit row commit together.
      const run = await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('data_exports')
          .values({
            id: exportId,
            developer_id: developerId,
            user_id: userId,
            run_id: runId,
            status: 'queued',
            format_version: EXPORT_FORMAT_VERSION,
          })
          .execute();
        const created = await createRun(trx, {
          id: runId,
          queueJobId: jobId,
          developerId,
          userId,
          provider: 'wearlink',
          source: 'export',
          message: 'Export queued',
        });
        await queue.enqueueDataRights({ task: 'export', exportId }, { db: trx, id: jobId });
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'export.requested',
          target: { type: 'user', id: userId },
          request: auditRequest(c),
          detail: { export_id: exportId, mode: 'async' },
        });
        return created;
      });
      await runs.announce(run, { export_id: exportId });
      queue.wake(DATA_RIGHTS_QUEUE);
      return c.json({ export_id: exportId, run_id: runId, status: 'queued' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/exports/{export_id}',
      tags: ['Data rights'],
      summary: 'An export: its status and, once ready, its single-use download link',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: ExportParams },
      responses: {
        200: { description: 'The export', content: { 'application/json': { schema: DataExport } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id: userId, export_id: exportId } = c.req.valid('param');
      const row = await c.var.deps.db
        .selectFrom('data_exports')
        .selectAll()
        .where('id', '=', exportId)
        .where('user_id', '=', userId)
        .where('developer_id', '=', c.var.principal.developerId)
        .executeTakeFirst();
      if (row === undefined) throw new NotFoundError('Export not found');
      return c.json(toDataExport(c, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/exports',
      tags: ['Data rights'],
      summary: "A user's recent exports (the last 20), newest first, as GET …/exports/{export_id} shows each",
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserParams },
      responses: {
        200: {
          description: 'Exports',
          content: { 'application/json': { schema: z.object({ data: z.array(DataExport) }) } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const rows = await c.var.deps.db
        .selectFrom('data_exports')
        .selectAll()
        .where('user_id', '=', c.req.valid('param').user_id)
        .where('developer_id', '=', c.var.principal.developerId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(20)
        .execute();
      return c.json({ data: rows.map((row) => toDataExport(c, row)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/data-exports/{token}/download',
      tags: ['Data rights'],
      summary: 'Download an export ZIP by its link (single use, time-bound, no credentials)',
      description:
        'The token is signed and names no export, user or developer; it works once, until its expiry. A used, expired or made-up token is 404.',
      security: [],
      request: { params: TokenParams },
      responses: {
        200: {
          description: 'The ZIP',
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { db, config } = c.var.deps;
      const nonce = verifyDownloadToken(config.jwtSecret, c.req.valid('param').token);
      if (nonce === undefined) throw linkGone();
      // Single use: the one UPDATE that clears the nonce wins; a second request finds nothing.
      const row = await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('data_exports')
          .set({ token_nonce: null, downloaded_at: new Date() })
          .where('token_nonce', '=', nonce)
          .where('status', '=', 'ready')
          .where('expires_at', '>', new Date())
          .returning(['id', 'developer_id', 'user_id', 'blob_key', 'size_bytes', 'completed_at'])
          .executeTakeFirst();
        if (claimed === undefined) return undefined;
        await recordAudit(trx, {
          developerId: claimed.developer_id,
          actor: { type: 'anonymous', id: null },
          action: 'export.downloaded',
          target: { type: 'user', id: claimed.user_id },
          request: {
            ip: auditRequest(c).ip,
            userAgent: c.req.header('user-agent') ?? null,
            requestId: c.var.requestId ?? null,
          },
          detail: { export_id: claimed.id },
        });
        return claimed;
      });
      if (row === undefined || row.blob_key === null) throw linkGone();
      const blob = await blobStoreFor(config).open(row.blob_key);
      if (blob === undefined) throw linkGone();
      return new Response(Readable.toWeb(blob.stream) as ReadableStream, {
        status: 200,
        headers: {
          'content-type': 'application/zip',
          'content-length': String(blob.bytes),
          'content-disposition': `attachment; filename="${zipName(row.completed_at ?? new Date())}"`,
          'cache-control': 'no-store',
        },
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/export',
      tags: ['Data rights'],
      summary: "Export all of a user's data as a ZIP in the response (small accounts)",
      description:
        'The same ZIP as POST …/export/async, answered in-band. An export larger than EXPORT_INLINE_MAX_BYTES is refused with 413 (code `export_too_large`): use POST /api/v1/users/{user_id}/export/async.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserParams },
      responses: {
        200: {
          description: 'The ZIP',
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        ...pickErrors(401, 403, 404, 413, 422),
      },
    }),
    async (c) => {
      const { db, config } = c.var.deps;
      const { user_id: userId } = c.req.valid('param');
      const developerId = c.var.principal.developerId;
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .where('developer_id', '=', developerId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (user === undefined) throw new NotFoundError('User not found');
      // Built into a temp file first: the size is known (and capped) before the first byte is answered.
      const temp = await exportTempFile(config, `inline-${randomUUID()}.zip`);
      try {
        await writeExport(db, user, createWriteStream(temp, { mode: 0o600 }), {
          zip: { maxBytes: config.EXPORT_INLINE_MAX_BYTES },
        });
      } catch (error) {
        await rm(temp, { force: true });
        if (error instanceof ZipTooLargeError) {
          throw new ExportTooLargeError(
            `This export exceeds the ${config.EXPORT_INLINE_MAX_BYTES} bytes answered in-band: use POST /api/v1/users/${userId}/export/async`,
          );
        }
        throw error;
      }
      await db.transaction().execute((trx) =>
        recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'export.requested',
          target: { type: 'user', id: userId },
          request: auditRequest(c),
          detail: { mode: 'inline' },
        }),
      );
      return streamTempFile(temp, zipName(new Date()));
    },
  );
}
