import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { superuserRoute } from '../../admin/guard.ts';
import { type AuditAction, auditRequest, recordAudit } from '../../audit/audit-log.ts';
import { deriveKey } from '../../auth/derive-key.ts';
import type { TokenService } from '../../auth/tokens.ts';
import type { AppEnv } from '../../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { pickErrors } from '../../http/openapi.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { logRecognizedEvent } from '../events.ts';
import {
  findItem,
  findLog,
  itemsByLog,
  itemsOf,
  reviewQueue,
  reviewQueueCount,
  updateItem,
  updateLog,
} from '../logs.repo.ts';
import { nutritionBlobStore } from '../nutrition.routes.ts';
import {
  ItemCorrectionBody,
  ItemParams,
  type ItemRow,
  LogIdParams,
  type LogRow,
  MACRO_FIELDS,
  NutritionItem,
  toItemJson,
  totalKcal,
} from '../schemas.ts';

/** How long a reviewer's image URL works. */
export const REVIEW_IMAGE_URL_TTL_SECONDS = 300;
export const BULK_REVIEW_MAX = 200;
const IMAGE_URL_PURPOSE = 'wearlink/nutrition-review-image/v1';

const notFound = () => new NotFoundError('Not found');

function imageSignature(secret: string, logId: string, expires: number): string {
  return createHmac('sha256', deriveKey(secret, IMAGE_URL_PURPOSE))
    .update(`${logId}.${expires}`)
    .digest('hex');
}

/** A short-lived URL of the log's photo, for an <img> in the reviewer's browser (no credential needed). */
export function reviewImageUrl(publicUrl: string, secret: string, logId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + REVIEW_IMAGE_URL_TTL_SECONDS;
  const signature = imageSignature(secret, logId, expires);
  return `${publicUrl.replace(/\/$/, '')}/api/v1/admin/nutrition/review/${logId}/image?expires=${expires}&signature=${signature}`;
}

function signatureValid(secret: string, logId: string, expires: number, signature: string): boolean {
  if (
    expires * 1000 < Date.now() ||
    expires * 1000 > Date.now() + REVIEW_IMAGE_URL_TTL_SECONDS * 1000 + 60_000
  )
    return false;
  const expected = Buffer.from(imageSignature(secret, logId, expires), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const ReviewLog = z
  .object({
    id: z.uuid(),
    developer_id: z.uuid(),
    user_id: z.uuid(),
    status: z.string(),
    review_state: z.string().nullable(),
    meal_type: z.string(),
    detected_at: z.string(),
    note: z.string().nullable(),
    confidence_score: z.number().nullable(),
    vision_model: z.string().nullable(),
    verifier_model: z.string().nullable(),
    verifier_agreed: z.boolean().nullable(),
    human_reviewed: z.boolean(),
    failure: z.unknown().nullable(),
    total_kcal: z.number().nullable(),
    created_at: z.string(),
    items: z.array(NutritionItem),
  })
  .openapi('NutritionReviewLog');

const ReviewDetail = ReviewLog.extend({
  exif: z.unknown().nullable(),
  image_content_type: z.string().nullable(),
  image_bytes: z.number().nullable(),
  image_url: z
    .string()
    .nullable()
    .openapi({
      description: `Works without credentials for ${REVIEW_IMAGE_URL_TTL_SECONDS} seconds; null when the photo is gone (retention) or there is none`,
    }),
}).openapi('NutritionReviewDetail');

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));

function toReviewLog(log: LogRow, items: readonly ItemRow[]): z.infer<typeof ReviewLog> {
  return {
    id: log.id,
    developer_id: log.developer_id,
    user_id: log.user_id,
    status: log.status,
    review_state: log.review_state,
    meal_type: log.meal_type,
    detected_at: log.detected_at.toISOString(),
    note: log.note,
    confidence_score: log.confidence_score,
    vision_model: log.vision_model,
    verifier_model: log.verifier_model,
    verifier_agreed: log.verifier_agreed,
    human_reviewed: log.human_reviewed,
    failure: parseJson(log.failure),
    total_kcal: totalKcal(items),
    created_at: log.created_at.toISOString(),
    items: items.map(toItemJson),
  };
}

const queueCursor = z.object({ t: cursorField.timestamp(), i: z.uuid() });

const BulkBody = z
  .strictObject({
    action: z.enum(['approve', 'reject']),
    log_ids: z.array(z.uuid()).min(1).max(BULK_REVIEW_MAX),
  })
  .openapi('NutritionReviewBulk');

const BulkResult = z
  .object({
    results: z.array(
      z.object({
        log_id: z.uuid(),
        outcome: z.enum(['approved', 'rejected', 'not_found', 'conflict']),
        detail: z.string().optional(),
      }),
    ),
  })
  .openapi('NutritionReviewBulkResult');

type Resolution = 'approve' | 'reject';

/**
 * Resolves one queued log, in its own transaction: approve → recognized (human_reviewed) and
 * `nutrition.log.recognized`, as if recognition had accepted it; reject → discarded. The audit row is
 * written on the LOG OWNER's trail (developerId = the log's developer, whose data the admin acted on),
 * with the admin as actor ({type: 'admin', id: the admin's developer id}).
 */
async function resolveLog(c: Context<AppEnv>, logId: string, action: Resolution, via: 'single' | 'bulk') {
  const adminId = c.var.principal.developerId;
  return c.var.deps.db.transaction().execute(async (trx) => {
    const log = await findLog(trx, logId, { forUpdate: true });
    if (log === undefined) throw notFound();
    if (log.review_state !== 'queued' || !['pending', 'failed'].includes(log.status)) {
      throw new ConflictError(`The log is not awaiting review (status ${log.status})`);
    }
    const items = await itemsOf(trx, logId);
    let updated: LogRow;
    let auditAction: AuditAction;
    if (action === 'approve') {
      if (items.length === 0) throw new ConflictError('The log has no items to approve: reject it instead');
      updated = await updateLog(trx, logId, {
        status: 'recognized',
        review_state: 'approved',
        human_reviewed: true,
        failure: null,
      });
      await logRecognizedEvent(trx, updated, items);
      auditAction = 'nutrition.review.approved';
    } else {
      updated = await updateLog(trx, logId, {
        status: 'discarded',
        review_state: 'rejected',
        human_reviewed: true,
        discarded_at: new Date(),
      });
      auditAction = 'nutrition.review.rejected';
    }
    await recordAudit(trx, {
      developerId: log.developer_id,
      actor: { type: 'admin', id: adminId },
      action: auditAction,
      target: { type: 'nutrition_log', id: logId },
      request: auditRequest(c),
      detail: { user_id: log.user_id, previous_status: log.status, via, total_kcal: totalKcal(items) },
    });
    return { log: updated, items };
  });
}

/** The six review routes of spec 001 (Admin → Nutrition human-review), plus the signed image URL. */
export function registerNutritionReviewRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = superuserRoute(tokens);
  const admin404 = pickErrors(404);

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/admin/nutrition/review/queue',
      summary:
        'Logs awaiting human review (low confidence, verifier disagreement, failed recognition), oldest first',
      description: 'Superusers only (SUPERUSER_EMAILS); 404 for everyone else.',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of the queue',
          content: {
            'application/json': {
              schema: z.object({
                data: z.array(ReviewLog),
                pagination: z.object({
                  next_cursor: z.string().nullable(),
                  has_more: z.boolean(),
                  total_count: z.number().int(),
                }),
              }),
            },
          },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const q = c.req.valid('query');
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, queueCursor);
      const [rows, total] = await Promise.all([reviewQueue(db, q.limit + 1, after), reviewQueueCount(db)]);
      const page = rows.slice(0, q.limit);
      const items = await itemsByLog(
        db,
        page.map((r) => r.id),
      );
      const last = page[page.length - 1];
      const hasMore = rows.length > q.limit;
      return c.json(
        {
          data: page.map((log) => toReviewLog(log, items.get(log.id) ?? [])),
          pagination: {
            next_cursor:
              hasMore && last ? encodeCursor({ t: last.created_at.toISOString(), i: last.id }) : null,
            has_more: hasMore,
            total_count: total,
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
      path: '/api/v1/admin/nutrition/review/{log_id}',
      summary: 'A log in full, with a short-lived URL of its photo',
      request: { params: LogIdParams },
      responses: {
        200: { description: 'The log', content: { 'application/json': { schema: ReviewDetail } } },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { db, config } = c.var.deps;
      const log = await findLog(db, c.req.valid('param').log_id);
      if (log === undefined) throw notFound();
      const hasImage = log.image_key !== null && log.image_deleted_at === null;
      return c.json(
        {
          ...toReviewLog(log, await itemsOf(db, log.id)),
          exif: parseJson(log.exif),
          image_content_type: log.image_content_type,
          image_bytes: log.image_bytes,
          image_url: hasImage ? reviewImageUrl(config.publicUrl, config.jwtSecret, log.id) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/nutrition/review/{log_id}/image',
      tags: ['Admin'],
      summary: "A log's photo, by the signed URL of the review detail (no credential; expires)",
      request: {
        params: LogIdParams,
        query: z.object({
          expires: z.coerce
            .number()
            .int()
            .min(0)
            .max(2 ** 40),
          signature: z.string().regex(/^[0-9a-f]{64}$/),
        }),
      },
      responses: {
        200: {
          description: 'The photo',
          content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
        },
        ...admin404,
      },
    }),
    // A bad query is as absent as a bad signature: 404, not a 422 telling what the URL looks like.
    (async (c: Context<AppEnv>) => {
      const { db, config } = c.var.deps;
      const logId = c.req.param('log_id') ?? '';
      const expires = Number(c.req.query('expires'));
      const signature = c.req.query('signature') ?? '';
      if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(signature)) throw notFound();
      if (!signatureValid(config.jwtSecret, logId, expires, signature)) throw notFound();
      const log = await findLog(db, logId);
      if (log?.image_key == null || log.image_deleted_at !== null) throw notFound();
      const blob = await nutritionBlobStore(config).open(log.image_key);
      if (blob === undefined) throw notFound();
      return new Response(Readable.toWeb(blob.stream) as ReadableStream, {
        status: 200,
        headers: {
          'Content-Type': log.image_content_type ?? 'application/octet-stream',
          'Content-Length': String(blob.bytes),
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    }) as never,
    (result, c) => (result.success ? undefined : c.json({ detail: 'Not found' }, 404)),
  );

  for (const action of ['approve', 'reject'] as const) {
    app.openapi(
      createRoute({
        ...base,
        method: 'post',
        path: `/api/v1/admin/nutrition/review/{log_id}/${action}`,
        summary:
          action === 'approve'
            ? 'Approve: status recognized (human_reviewed) and nutrition.log.recognized'
            : 'Reject: the log is soft-deleted (status discarded)',
        request: { params: LogIdParams },
        responses: {
          200: { description: 'The resolved log', content: { 'application/json': { schema: ReviewLog } } },
          ...pickErrors(404, 409, 422),
        },
      }),
      async (c) => {
        const { log, items } = await resolveLog(c, c.req.valid('param').log_id, action, 'single');
        return c.json(toReviewLog(log, items), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      ...base,
      method: 'patch',
      path: '/api/v1/admin/nutrition/review/{log_id}/items/{item_id}',
      summary: 'Edit one item of a queued log (dish, grams, macros) before approving it',
      request: {
        params: ItemParams,
        body: { required: true, content: { 'application/json': { schema: ItemCorrectionBody } } },
      },
      responses: {
        200: {
          description: 'The log after the edit',
          content: { 'application/json': { schema: ReviewLog } },
        },
        ...pickErrors(404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { log_id: logId, item_id: itemId } = c.req.valid('param');
      const body = c.req.valid('json');
      const log = await db.transaction().execute(async (trx) => {
        const log = await findLog(trx, logId, { forUpdate: true });
        if (log === undefined) throw notFound();
        if (log.review_state !== 'queued' || !['pending', 'failed'].includes(log.status)) {
          throw new ConflictError(`The log is not awaiting review (status ${log.status})`);
        }
        const item = await findItem(trx, logId, itemId);
        if (item === undefined) throw notFound();
        const changed: Record<string, { from: unknown; to: unknown }> = {};
        const set: Record<string, unknown> = {};
        for (const field of ['dish_name', 'quantity_grams', ...MACRO_FIELDS] as const) {
          const to = body[field];
          if (to === undefined || to === item[field]) continue;
          changed[field] = { from: item[field], to };
          set[field] = to;
        }
        if (Object.keys(changed).length > 0) {
          await updateItem(trx, itemId, set);
          await updateLog(trx, logId, {});
          // On the log owner's trail, the admin as actor (see resolveLog).
          await recordAudit(trx, {
            developerId: log.developer_id,
            actor: { type: 'admin', id: c.var.principal.developerId },
            action: 'nutrition.review.item_edited',
            target: { type: 'nutrition_item', id: itemId },
            request: auditRequest(c),
            detail: { log_id: logId, user_id: log.user_id, changes: changed },
          });
        }
        return log;
      });
      return c.json(toReviewLog((await findLog(db, log.id)) ?? log, await itemsOf(db, log.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/admin/nutrition/review/bulk',
      summary: `Approve or reject up to ${BULK_REVIEW_MAX} queued logs; an outcome per log`,
      request: { body: { required: true, content: { 'application/json': { schema: BulkBody } } } },
      responses: {
        200: { description: 'Outcomes', content: { 'application/json': { schema: BulkResult } } },
        ...pickErrors(404, 413, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const results: z.infer<typeof BulkResult>['results'] = [];
      // One transaction per log: one that cannot be resolved does not hold back the others.
      for (const logId of [...new Set(body.log_ids.map((id) => id.toLowerCase()))]) {
        try {
          await resolveLog(c, logId, body.action, 'bulk');
          results.push({ log_id: logId, outcome: body.action === 'approve' ? 'approved' : 'rejected' });
        } catch (error) {
          if (error instanceof NotFoundError) results.push({ log_id: logId, outcome: 'not_found' });
          else if (error instanceof ConflictError) {
            results.push({ log_id: logId, outcome: 'conflict', detail: error.message });
          } else throw error;
        }
      }
      return c.json({ results }, 200);
    },
  );
}
