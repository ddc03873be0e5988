import { createHmac, timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deriveKey } from '../../auth/derive-key.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
} from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { S3Error } from '../../storage/s3.ts';
import { type AppleImportService, UploadIncompleteError, UploadTooLargeError } from './import-service.ts';
import { MultipartError, multipartBoundary, readMultipartFile } from './multipart.ts';

/** Direct uploads: 50 MB of export plus multipart framing. */
export const DIRECT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
export const DIRECT_UPLOAD_BODY_LIMIT_BYTES = DIRECT_UPLOAD_MAX_BYTES + 1024 * 1024;
/** Presigned (local) uploads: the size asked for, up to this. */
export const LARGE_UPLOAD_MAX_BYTES = 8 * 1024 ** 3;
/** AWS takes at most 5 GiB in one PUT (larger objects need a multipart upload). */
export const S3_SINGLE_PUT_MAX_BYTES = 5 * 1024 ** 3;
export const directUploadPattern = /^\/api\/v1\/users\/[^/]+\/import\/apple\/xml\/direct$/;
export const largeUploadPattern = /^\/api\/v1\/uploads\/apple\/[^/]+$/;

/**
 * The body caps of the two upload routes, enforced without buffering. Hono's `bodyLimit` reads a body
 * sent without Content-Length (chunked) whole into memory before the route runs, which here would be up
 * to 51 MB or 8 GiB per request. These routes stream the body to disk and stop at their cap themselves
 * (`store` counts the bytes; the multipart reader bounds the parts other than the file), so only a
 * declared Content-Length over the cap is refused up front.
 */
const STREAMED_UPLOAD_LIMITS = [
  { pattern: directUploadPattern, bytes: DIRECT_UPLOAD_BODY_LIMIT_BYTES },
  { pattern: largeUploadPattern, bytes: LARGE_UPLOAD_MAX_BYTES },
];

/** Whether `path` is an upload route that caps its body while streaming it (see uploadBodyLimit). */
export const isStreamedUpload = (path: string) => STREAMED_UPLOAD_LIMITS.some((r) => r.pattern.test(path));

export const uploadBodyLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const rule = STREAMED_UPLOAD_LIMITS.find((r) => r.pattern.test(c.req.path));
  const declared = Number(c.req.header('content-length') ?? 0);
  if (rule !== undefined && declared > rule.bytes) {
    throw new PayloadTooLargeError(
      `Request body exceeds the ${Math.round(rule.bytes / 1024)} KiB limit of this route`,
    );
  }
  await next();
};

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

const CompleteBody = z
  .object({
    key: z.string().min(1).max(1024).openapi({ description: 'The `key` the upload URL was issued with' }),
  })
  .openapi('AppleImportComplete');

const SnsAck = z
  .object({
    received: z.number().int().openapi({ description: 'Object keys the notification named' }),
    subscription: z.enum(['confirmed', 'ignored']).optional(),
  })
  .openapi('SnsNotificationAck');

/**
 * What a local upload URL carries: the key of its pending upload (which holds the user, the size granted
 * and whether it was used) and its expiry. Signed so that a URL cannot be made up or altered.
 */
interface UploadGrant {
  key: string;
  expiresAt: number;
}

/** The purpose the upload-URL MAC key is derived for: never the JWT key itself (issue 15 #11). */
export const UPLOAD_GRANT_KEY_PURPOSE = 'wearlink/upload-grant/v1';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', deriveKey(secret, UPLOAD_GRANT_KEY_PURPOSE))
    .update(payload)
    .digest('base64url');
}

/** The local stand-in for an S3 presigned PUT: a signed, expiring grant to upload one file for one user. */
export function uploadToken(secret: string, grant: UploadGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

const unknownUpload = () => new NotFoundError('Unknown or expired upload URL');

function readUploadToken(secret: string, token: string): UploadGrant {
  const [payload, mac, extra] = token.split('.');
  if (payload === undefined || mac === undefined || extra !== undefined) throw unknownUpload();
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw unknownUpload();
  let grant: Partial<UploadGrant>;
  try {
    grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw unknownUpload();
  }
  if (typeof grant.key !== 'string' || typeof grant.expiresAt !== 'number') throw unknownUpload();
  if (grant.expiresAt < Date.now()) throw unknownUpload();
  return grant as UploadGrant;
}

/**
 * The origin upload URLs point at: PUBLIC_URL, never the request's Host header (which the caller
 * chooses, and which would make WearLink hand out URLs to a host of the caller's choice). Without
 * PUBLIC_URL, HOST:PORT as configured, with the port the server actually listens on under PORT=0.
 */
function publicOrigin(c: Context<AppEnv>): string {
  const { config } = c.var.deps;
  if (config.PUBLIC_URL !== undefined) return config.PUBLIC_URL.replace(/\/+$/, '');
  const url = new URL(config.publicUrl);
  if (url.port === '0') {
    const socket = (c.env as { incoming?: { socket?: { localPort?: number } } } | undefined)?.incoming
      ?.socket;
    if (socket?.localPort !== undefined) url.port = String(socket.localPort);
  }
  return url.origin;
}

/**
 * A request's body to stream to disk: Node's own request stream when the server is Node's (what
 * @hono/node-server passes as `env.incoming`) and nothing has read it yet, else the web stream of the
 * Request. The web stream is that same Node stream bridged twice (Readable.toWeb, then a pulling
 * ReadableStream), a promise or two per socket chunk: reading an 832 MiB export through it took 10.4 s,
 * most of it in those bridges and their garbage. The Node stream is read through an iterator that does
 * not destroy it on return: destroying a request destroys its socket, so a body refused halfway (413)
 * would reset the connection instead of getting its answer; the server drains or closes it after that.
 */
function requestBody(c: Context<AppEnv>): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (incoming instanceof Readable && !incoming.readableDidRead) {
    return incoming.iterator({ destroyOnReturn: false });
  }
  return c.req.raw.body;
}

/** The Content-Length a request declared, if any (chunked bodies have none). */
function declaredLength(c: Context<AppEnv>): number | undefined {
  const header = c.req.header('content-length');
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}

/** Errors of a body that stops arriving: the sender reset or closed the connection mid-upload. */
const BROKEN_OFF = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED']);

const storeErrors = (error: unknown): never => {
  if (error instanceof UploadTooLargeError) {
    throw new PayloadTooLargeError(`The upload exceeds ${error.maxBytes} bytes`);
  }
  if (error instanceof UploadIncompleteError) throw new BadRequestError(error.message);
  if (BROKEN_OFF.has((error as { code?: unknown } | null)?.code as string)) {
    throw new BadRequestError('The upload broke off before its end');
  }
  throw error;
};

/** The bucket not answering is the sender's cue to retry (SNS and MinIO both retry 5xx). */
const s3Errors =
  (logger: Logger) =>
  (error: unknown): never => {
    if (error instanceof S3Error) {
      logger.warn({ err: error }, 'object store unavailable');
      throw new ServiceUnavailableError('The object store did not answer; try again shortly');
    }
    throw error;
  };

const S3EventRecord = z.object({
  eventName: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().optional() }).optional(),
    object: z.object({ key: z.string().min(1) }),
  }),
});

/**
 * The object keys an S3 event notification names: AWS (`{Records}` inside an SNS message) and MinIO
 * (`{EventName, Key, Records}` posted by its webhook target). Only creations in our bucket count;
 * undefined when the body is no S3 event at all.
 */
export function keysFromS3Event(event: unknown, bucket: string): string[] | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const body = event as { Records?: unknown; EventName?: unknown; Key?: unknown; Event?: unknown };
  // Sent once when a notification is configured on the bucket.
  if (body.Event === 's3:TestEvent') return [];
  const created = (name: unknown) => typeof name !== 'string' || /^(s3:)?ObjectCreated:/.test(name);
  const keys = new Set<string>();
  if (Array.isArray(body.Records)) {
    for (const raw of body.Records.slice(0, 1000)) {
      const record = S3EventRecord.safeParse(raw);
      if (!record.success || !created(record.data.eventName)) continue;
      const name = record.data.s3.bucket?.name;
      if (name !== undefined && name !== bucket) continue;
      try {
        // Keys in event notifications are URL-encoded, with `+` for spaces.
        keys.add(decodeURIComponent(record.data.s3.object.key.replace(/\+/g, '%20')));
      } catch {
        // Not valid percent-encoding: no key of ours.
      }
    }
  } else if (typeof body.Key === 'string' && created(body.EventName)) {
    if (body.Key.startsWith(`${bucket}/`)) keys.add(body.Key.slice(bucket.length + 1));
  } else {
    return undefined;
  }
  return [...keys];
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(`${what} is not JSON`);
  }
}

const SnsEnvelope = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  Message: z.string().optional(),
  SubscribeURL: z.string().optional(),
  TopicArn: z.string().optional(),
});

/**
 * Confirms an SNS subscription by fetching its SubscribeURL, but only on SNS's own host in the bucket's
 * region: the body is unauthenticated, and anything else would make us fetch a URL of the sender's choosing.
 */
async function confirmSubscription(
  subscribeUrl: string | undefined,
  region: string,
  logger: Logger,
): Promise<'confirmed' | 'ignored'> {
  let url: URL | undefined;
  try {
    url = subscribeUrl === undefined ? undefined : new URL(subscribeUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'https:' || url.hostname !== `sns.${region}.amazonaws.com`) {
    logger.warn(
      { subscribe_host: url?.host },
      `SNS subscription not confirmed: SubscribeURL is not on https://sns.${region}.amazonaws.com`,
    );
    return 'ignored';
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    await response.body?.cancel();
  } catch (error) {
    logger.warn({ err: error }, 'SNS subscription confirmation failed');
    throw new ServiceUnavailableError('Could not reach SNS to confirm the subscription');
  }
  if (!response.ok) throw new ServiceUnavailableError(`SNS answered ${response.status} to the confirmation`);
  logger.info({ topic_host: url.host }, 'SNS subscription confirmed');
  return 'confirmed';
}

async function kickOff(service: AppleImportService, keys: string[], logger: Logger): Promise<void> {
  for (const key of keys) {
    const result = await service.startS3Import(key).catch(s3Errors(logger));
    const log = { s3_key: key, ...result };
    if (result.outcome === 'queued') logger.info(log, 'S3 upload announced: import queued');
    else if (result.outcome === 'already_started') logger.debug(log, 'S3 upload announced again: ignored');
    else logger.warn(log, 'S3 notification ignored');
  }
}

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
              // A plain schema, not zod: a zod one makes the framework read the whole form into memory
              // (parseBody) before the handler, which streams the file to disk instead.
              schema: {
                type: 'object',
                properties: { file: { type: 'string', format: 'binary' } },
                required: ['file'],
              },
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
      const boundary = multipartBoundary(c.req.header('content-type'));
      const body = requestBody(c);
      if (boundary === undefined || body === null) {
        throw new BadRequestError('Send the export as multipart/form-data, in the field "file"');
      }
      const service = c.var.deps.appleImports;
      // Streamed to disk as it arrives, never held whole in memory.
      const { stored, fileName } = await readMultipartFile(
        body,
        boundary,
        'file',
        (content) => service.store(content, DIRECT_UPLOAD_MAX_BYTES),
        (file) => rm(file.path, { force: true }),
      ).catch((error: unknown) => {
        if (error instanceof MultipartError) throw new BadRequestError(error.message);
        if (error instanceof UploadTooLargeError) {
          throw new PayloadTooLargeError(
            'Direct uploads take up to 50 MB; use /import/apple/xml/s3 for larger files',
          );
        }
        throw error;
      });
      const runId = await service.accept({
        developerId: c.var.principal.developerId,
        userId,
        path: stored.path,
        bytes: stored.bytes,
        fileName: fileName || 'export',
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
        'Returns a presigned PUT URL. With S3 configured it points at the bucket (up to 5 GiB): PUT the file there, and the import starts when the bucket notification reaches POST /api/v1/sns/notification, or when you call POST …/import/apple/xml/s3/complete with the key. Without S3 it points at this server (a signed, expiring local upload endpoint with the same flow); the import starts when the upload completes and the PUT answers 202 with the job id.',
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
      const { config, appleImports: service } = c.var.deps;
      const expirationSeconds = body.expiration_seconds ?? 3600;
      if (service.s3 !== undefined) {
        const maxBytes = body.file_size_bytes ?? S3_SINGLE_PUT_MAX_BYTES;
        if (maxBytes > S3_SINGLE_PUT_MAX_BYTES) {
          throw new BadRequestError('Uploads to the bucket take up to 5 GiB (5368709120 bytes) in one PUT');
        }
        const upload = await service.presignS3Upload({
          developerId: c.var.principal.developerId,
          userId,
          fileName: body.filename ?? 'export.zip',
          maxBytes,
          expiresInSeconds: expirationSeconds,
        });
        return c.json(
          {
            presigned_put_url: upload.url,
            key: upload.key,
            method: 'PUT' as const,
            expires_at: upload.expiresAt.toISOString(),
            max_bytes: maxBytes,
          },
          200,
        );
      }
      const maxBytes = body.file_size_bytes ?? LARGE_UPLOAD_MAX_BYTES;
      const upload = await service.grantLocalUpload({
        developerId: c.var.principal.developerId,
        userId,
        fileName: body.filename ?? 'export.zip',
        maxBytes,
        expiresInSeconds: expirationSeconds,
      });
      const token = uploadToken(config.jwtSecret, {
        key: upload.key,
        expiresAt: upload.expiresAt.getTime(),
      });
      return c.json(
        {
          presigned_put_url: `${publicOrigin(c)}/api/v1/uploads/apple/${token}`,
          key: upload.key,
          method: 'PUT' as const,
          expires_at: upload.expiresAt.toISOString(),
          max_bytes: maxBytes,
        },
        200,
      );
    },
  );

  // The URL itself is the credential (signed, expiring, one user), as with an S3 presigned PUT, and
  // like one it uploads once: the pending upload is claimed before the body is read.
  app.put('/api/v1/uploads/apple/:token', async (c) => {
    const grant = readUploadToken(c.var.deps.config.jwtSecret, c.req.param('token'));
    const body = requestBody(c);
    if (body === null) throw new BadRequestError('Empty upload');
    const service = c.var.deps.appleImports;
    const claim = await service.claimLocalUpload(grant.key);
    if (claim.outcome === 'unknown') throw unknownUpload();
    if (claim.outcome === 'used') {
      throw new ConflictError(
        `This upload URL has already been used (run ${claim.runId}); ask for a new one to upload again`,
      );
    }
    const pending = await c.var.deps.db
      .selectFrom('pending_uploads')
      .select(['developer_id', 'user_id'])
      .where('key', '=', grant.key)
      .executeTakeFirst();
    try {
      if (pending === undefined) throw unknownUpload(); // its user was deleted meanwhile
      const stored = await service.store(body, claim.maxBytes, declaredLength(c)).catch(storeErrors);
      const runId = await service.accept({
        runId: claim.runId,
        developerId: pending.developer_id,
        userId: pending.user_id,
        fileName: claim.fileName,
        path: stored.path,
        bytes: stored.bytes,
      });
      return c.json({ job_id: runId, run_id: runId, status: 'queued' as const }, 202);
    } catch (error) {
      // The upload did not happen: the URL may be used again until it expires.
      await service.releaseLocalUpload(grant.key, claim.runId).catch(() => {});
      throw error;
    }
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/import/apple/xml/s3/complete',
      tags: ['Ingest'],
      summary: 'Start the import of a finished S3 upload',
      description:
        'For buckets without event notifications: after the PUT to the presigned URL has succeeded, send its key. The object is checked in the bucket (it exists, within max_bytes) and its import queued as a sync run (202). Starting an upload twice, here or by notification, is a 409.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: {
        params: UserParams,
        body: { required: true, content: { 'application/json': { schema: CompleteBody } } },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: Queued } } },
        ...pickErrors(400, 401, 403, 404, 409, 413, 422),
      },
    }),
    async (c) => {
      const { user_id: userId } = c.req.valid('param');
      const { key } = c.req.valid('json');
      const service = c.var.deps.appleImports;
      if (service.s3 === undefined) {
        throw new BadRequestError(
          'S3 storage is not configured on this server: its upload URL starts the import by itself',
        );
      }
      const result = await service
        .startS3Import(key, { developerId: c.var.principal.developerId, userId })
        .catch(s3Errors(c.var.logger));
      switch (result.outcome) {
        case 'queued':
          return c.json({ job_id: result.runId, run_id: result.runId, status: 'queued' as const }, 202);
        case 'already_started':
          throw new ConflictError(
            `The import of this upload has already started${result.runId ? ` (run ${result.runId})` : ''}`,
          );
        case 'unknown':
          throw new NotFoundError('Unknown or expired upload key');
        case 'not_uploaded':
          throw new BadRequestError(
            'The object is not in the bucket yet: PUT the file to the upload URL first',
          );
        case 'too_large':
          throw new PayloadTooLargeError(
            `The uploaded object has ${result.bytes} bytes, more than the ${result.maxBytes} granted`,
          );
      }
    },
  );
}

/**
 * Bucket notifications: AWS S3 → SNS → here, or MinIO's webhook target → here. Unauthenticated by
 * nature, so the body is only a hint: every key it names is checked against our pending uploads and
 * the bucket itself before anything starts. Ignored keys still answer 200, so the sender stops retrying.
 */
export function registerSnsNotificationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sns/notification',
      tags: ['Ingest'],
      summary: 'S3 upload notifications (AWS SNS or MinIO webhook)',
      description:
        'Takes an SNS message (`Type: Notification` whose `Message` is an S3 event, or `SubscriptionConfirmation`, confirmed only for https://sns.<S3_REGION>.amazonaws.com) or a bare S3 event (`{Records: [...]}`, as MinIO posts it). No credentials: each named key must be a pending upload of this server, and the object is checked in the bucket, before its import starts (once per key, however often it is announced). Any content type; SNS sends text/plain.',
      responses: {
        200: { description: 'Handled', content: { 'application/json': { schema: SnsAck } } },
        ...pickErrors(400),
      },
    }),
    async (c) => {
      const service = c.var.deps.appleImports;
      const logger = c.var.logger;
      if (service.s3 === undefined) throw new BadRequestError('S3 storage is not configured on this server');
      const { bucket, region } = service.s3.settings;
      const body = parseJson(await c.req.text(), 'The notification');
      let event = body;
      const envelope = SnsEnvelope.safeParse(body);
      if (envelope.success) {
        const message = envelope.data;
        if (message.Type === 'SubscriptionConfirmation') {
          const subscription = await confirmSubscription(message.SubscribeURL, region, logger);
          return c.json({ received: 0, subscription }, 200);
        }
        if (message.Type === 'UnsubscribeConfirmation') {
          logger.warn({ topic: message.TopicArn }, 'SNS subscription ended');
          return c.json({ received: 0 }, 200);
        }
        event = parseJson(message.Message ?? '', 'The SNS message');
      }
      const keys = keysFromS3Event(event, bucket);
      if (keys === undefined)
        throw new BadRequestError('Neither an SNS message nor an S3 event notification');
      await kickOff(service, keys, logger);
      return c.json({ received: keys.length }, 200);
    },
  );
}
