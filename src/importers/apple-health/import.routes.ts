import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../../auth/tokens.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../../shared/errors.ts';
import { UploadTooLargeError } from './import-service.ts';

/** Direct uploads: 50 MB of export plus multipart framing. */
export const DIRECT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
export const DIRECT_UPLOAD_BODY_LIMIT_BYTES = DIRECT_UPLOAD_MAX_BYTES + 1024 * 1024;
/** Presigned (local) uploads: the size asked for, up to this. */
export const LARGE_UPLOAD_MAX_BYTES = 8 * 1024 ** 3;
export const directUploadPattern = /^\/api\/v1\/users\/[^/]+\/import\/apple\/xml\/direct$/;
export const largeUploadPattern = /^\/api\/v1\/uploads\/apple\/[^/]+$/;

const UserParams = z.object({
  user_id: z.uuid({ error: 'user_id must be a UUID' }).openapi({ param: { name: 'user_id', in: 'path' } }),
});

const Queued = z
  .object({
    job_id: z
      .string()
      .openapi({ description: 'The sync run id: poll GET /users/{user_id}/sync/runs/{job_id}' }),
    run_id: z.string(),
    status: z.literal('queued'),
  })
  .openapi('AppleImportQueued');

const PresignBody = z
  .object({
    filename: z.string().max(255).optional(),
    file_size_bytes: z.number().int().min(1).max(LARGE_UPLOAD_MAX_BYTES).optional(),
    expiration_seconds: z.number().int().min(60).max(86_400).optional(),
  })
  .openapi('AppleImportPresignRequest');

const Presigned = z
  .object({
    presigned_put_url: z.string(),
    key: z.string(),
    method: z.literal('PUT'),
    expires_at: z.string(),
    max_bytes: z.number().int(),
  })
  .openapi('AppleImportPresigned');

interface UploadGrant {
  developerId: string;
  userId: string;
  fileName: string;
  maxBytes: number;
  expiresAt: number;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', `apple-upload:${secret}`).update(payload).digest('base64url');
}

/** The local stand-in for an S3 presigned PUT: a signed, expiring grant to upload one file for one user. */
export function uploadToken(secret: string, grant: UploadGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

function readUploadToken(secret: string, token: string): UploadGrant {
  const [payload, mac] = token.split('.');
  if (payload === undefined || mac === undefined) throw new NotFoundError('Unknown or expired upload URL');
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new NotFoundError('Unknown or expired upload URL');
  }
  const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UploadGrant;
  if (grant.expiresAt < Date.now()) throw new NotFoundError('Unknown or expired upload URL');
  return grant;
}

const storeErrors = (error: unknown): never => {
  if (error instanceof UploadTooLargeError) {
    throw new PayloadTooLargeError(`The upload exceeds ${error.maxBytes} bytes`);
  }
  throw error;
};

export function registerAppleImportRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/import/apple/xml/direct',
      tags: ['Ingest'],
      summary: 'Upload an Apple Health export (export.zip or export.xml, up to 50 MB)',
      description:
        'Stores the file and queues its import as a sync run with source "xml_import" (202). Progress (bytes and records) goes out on the sync event stream; the run result lists counts per type, kept-raw types and rejected elements. Importing the same export again stores nothing twice.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: {
        params: UserParams,
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
            },
          },
        },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: Queued } } },
        ...pickErrors(400, 401, 403, 404, 413, 422),
      },
    }),
    async (c) => {
      const { user_id: userId } = c.req.valid('param');
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File)) throw new BadRequestError('Send the export as the multipart field "file"');
      if (file.size > DIRECT_UPLOAD_MAX_BYTES) {
        throw new PayloadTooLargeError(
          'Direct uploads take up to 50 MB; use /import/apple/xml/s3 for larger files',
        );
      }
      const service = c.var.deps.appleImports;
      const stored = await service.store(file.stream(), DIRECT_UPLOAD_MAX_BYTES).catch(storeErrors);
      const runId = await service.accept({
        developerId: c.var.principal.developerId,
        userId,
        path: stored.path,
        bytes: stored.bytes,
        fileName: file.name || 'export',
      });
      return c.json({ job_id: runId, run_id: runId, status: 'queued' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/import/apple/xml/s3',
      tags: ['Ingest'],
      summary: 'Get an upload URL for a large Apple Health export',
      description:
        'Returns a presigned PUT URL. Without S3 configured it points at this server (a signed, expiring local upload endpoint with the same flow). PUT the file there; the import starts when the upload completes and the PUT answers 202 with the job id.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: {
        params: UserParams,
        body: { required: false, content: { 'application/json': { schema: PresignBody } } },
      },
      responses: {
        200: { description: 'Upload URL', content: { 'application/json': { schema: Presigned } } },
        ...pickErrors(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id: userId } = c.req.valid('param');
      const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {}) ?? {};
      const { config } = c.var.deps;
      const expiresAt = Date.now() + (body.expiration_seconds ?? 3600) * 1000;
      const grant: UploadGrant = {
        developerId: c.var.principal.developerId,
        userId,
        fileName: body.filename ?? 'export.zip',
        maxBytes: body.file_size_bytes ?? LARGE_UPLOAD_MAX_BYTES,
        expiresAt,
      };
      const token = uploadToken(config.jwtSecret, grant);
      // Without PUBLIC_URL, the origin the caller reached: config.publicUrl would say port 0 under PORT=0.
      const origin = config.PUBLIC_URL ?? new URL(c.req.url).origin;
      return c.json(
        {
          presigned_put_url: `${origin}/api/v1/uploads/apple/${token}`,
          key: token.slice(0, 32),
          method: 'PUT' as const,
          expires_at: new Date(expiresAt).toISOString(),
          max_bytes: grant.maxBytes,
        },
        200,
      );
    },
  );

  // The URL itself is the credential (signed, expiring, one user), as with an S3 presigned PUT.
  app.put('/api/v1/uploads/apple/:token', async (c) => {
    const grant = readUploadToken(c.var.deps.config.jwtSecret, c.req.param('token'));
    const body = c.req.raw.body;
    if (body === null) throw new BadRequestError('Empty upload');
    const service = c.var.deps.appleImports;
    const stored = await service.store(body, grant.maxBytes).catch(storeErrors);
    const runId = await service.accept({ ...grant, path: stored.path, bytes: stored.bytes });
    return c.json({ job_id: runId, run_id: runId, status: 'queued' as const }, 202);
  });
}
