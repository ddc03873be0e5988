import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { boundedDate } from '../health-data/date-range.ts';
import { canonicalUuid, presentedCredential, resolvePrincipalOnce } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../shared/errors.ts';
import { type BlobStore, blobStoreFor } from '../storage/blob-store.ts';
import { NUTRITION_QUEUE } from '../sync/job-queue.ts';
import { findUser } from '../users/users.repo.ts';
import { logCorrectedEvents, logCreatedEvent } from './events.ts';
import { macrosFor, searchFoods } from './food-db/index.ts';
import { MAX_MEAL_IMAGE_BYTES, prepareMealImage } from './images/index.ts';
import {
  dailyTotals,
  findItem,
  findUserLog,
  findUserLogImage,
  insertItems,
  insertLog,
  itemsByLog,
  itemsOf,
  listLogs,
  type NewItem,
  updateItem,
  updateLog,
} from './logs.repo.ts';
import { imageQuotaStatus, quotaRefusal, secondsUntilReset, takeImageSlot } from './quota.ts';
import {
  ImageAccepted,
  ItemCorrectionBody,
  ItemParams,
  ListLogsQuery,
  LogIdParams,
  MACRO_FIELDS,
  type MacroField,
  ManualLogBody,
  MealType,
  NutritionLog,
  NutritionLogList,
  NutritionSummary,
  toLogJson,
  UserIdQuery,
} from './schemas.ts';

export const NUTRITION_SUMMARY_MAX_DAYS = 92;

/** The photo route's body cap: the 5 MiB photo plus its multipart framing and small fields. */
export const NUTRITION_IMAGE_BODY_LIMIT_BYTES = MAX_MEAL_IMAGE_BYTES + 64 * 1024;
export const nutritionImagePattern = /^\/api\/v1\/nutrition\/log\/image$/;

const stores = new WeakMap<Config, BlobStore>();
/** One blob store per configuration (an S3 one holds a client). */
export function nutritionBlobStore(config: Config): BlobStore {
  let store = stores.get(config);
  if (store === undefined) {
    store = blobStoreFor(config);
    stores.set(config, store);
  }
  return store;
}

/**
 * Authentication of the nutrition routes, whose user arrives in the QUERY (`?user_id=`), fenced as
 * `authenticate()` fences a path's: a canonical (lowercase) UUID, an SDK token only for its own user,
 * and another tenant's (or a deleted) user a 404, before any input of the route is looked at.
 */
export function authenticateUserQuery(tokens: TokenService) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedCredential((name) => c.req.header(name));
    if (credential === undefined) {
      throw new UnauthorizedError(
        'Missing credentials: send X-WearLink-API-Key or Authorization: Bearer <token>',
      );
    }
    const principal = await resolvePrincipalOnce(c, tokens, credential);
    const values = c.req.queries('user_id') ?? [];
    const userId = values[0];
    if (userId === undefined || values.length !== 1 || !canonicalUuid.test(userId)) {
      throw new ValidationError([
        {
          loc: ['query', 'user_id'],
          msg: userId === undefined ? 'user_id is required' : 'user_id must be one lowercase UUID',
          type: userId === undefined ? 'missing' : 'invalid_format',
        },
      ]);
    }
    if (principal.kind === 'sdk' && principal.userId !== userId) {
      throw new ForbiddenError('This SDK token is scoped to a different user');
    }
    c.set('principal', principal);
    if ((await findUser(c.var.deps.db, principal.developerId, userId)) === undefined) {
      throw new NotFoundError('User not found');
    }
    await next();
  });
}

const logNotFound = () => new NotFoundError('Nutrition log not found');

/** A log whose photo is gone: `image_deleted` when retention removed it, so clients can say so. */
class MealImageGoneError extends NotFoundError {
  constructor(override readonly code: 'no_image' | 'image_deleted') {
    super(
      code === 'image_deleted'
        ? 'The photo of this log was deleted by the meal-photo retention'
        : 'This log has no photo',
    );
  }
}

async function userTimeZone(db: Db, developerId: string, userId: string): Promise<string> {
  return (await findUser(db, developerId, userId))?.timezone ?? 'UTC';
}

const QuotaExceeded = z
  .object({
    detail: z.object({
      code: z.literal('quota_exceeded'),
      message: z.string(),
      limit: z.number().int(),
      used: z.number().int(),
      plan: z.string(),
      resource: z.literal('nutrition_image'),
    }),
  })
  .openapi('NutritionQuotaExceeded');

const UploadFields = z.object({
  meal_type: MealType.optional(),
  detected_at: z.iso
    .datetime({ offset: true, message: 'must be an RFC 3339 instant with offset' })
    .refine((t) => Math.abs(Date.parse(t) - Date.now()) < 400 * 86_400_000, {
      message: 'must be within a year of now',
    })
    .optional(),
  note: z.string().max(1000).optional(),
});

const EXTENSIONS = { jpeg: 'jpg', png: 'png', heic: 'heic' } as const;

const SummaryQuery = UserIdQuery.extend({ date_from: boundedDate, date_to: boundedDate }).superRefine(
  (q, ctx) => {
    const days = (Date.parse(q.date_to) - Date.parse(q.date_from)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'date_to is before date_from' });
    else if (days > NUTRITION_SUMMARY_MAX_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['date_to'],
        message: `the range may span at most ${NUTRITION_SUMMARY_MAX_DAYS} days`,
      });
    }
  },
);

const logCursor = z.object({ t: cursorField.timestamp(), i: z.uuid(), q: cursorField.fingerprint() });

/** The seven user-facing routes of spec 001 (Nutrition), under the developer's key/JWT or the user's SDK token. */
export function registerNutritionRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = {
    tags: ['Nutrition'],
    security: security.developerOrSdk,
    middleware: authenticateUserQuery(tokens),
  };
  const logJson = { 'application/json': { schema: NutritionLog } };

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/nutrition/log/image',
      summary: 'Upload a meal photo for recognition (202; counts against the daily photo quota)',
      description:
        "Multipart upload of a JPEG, PNG or HEIC photo (at most 5 MB, judged by its content, not its name) in the field `file`, with optional `meal_type`, `detected_at` and `note`. Location metadata is removed before the photo is stored. Answers 202 with the log in status `pending` at once; recognition runs in the background (`nutrition.log.recognized` when done). Over the plan's daily photo quota (per developer, resets at 00:00 UTC): 429 with a `detail` object (`code: quota_exceeded`, `limit`, `used`, `plan`, `resource`).",
      request: {
        query: UserIdQuery,
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              // A plain schema: the form is read once by the input guard and checked here by hand.
              schema: {
                type: 'object',
                properties: {
                  file: { type: 'string', format: 'binary' },
                  meal_type: { type: 'string', enum: ['breakfast', 'lunch', 'dinner', 'snack', 'other'] },
                  detected_at: { type: 'string', format: 'date-time' },
                  note: { type: 'string', maxLength: 1000 },
                },
                required: ['file'],
              },
            },
          },
        },
      },
      responses: {
        202: {
          description: 'Accepted, awaiting recognition',
          content: { 'application/json': { schema: ImageAccepted } },
        },
        429: {
          description: 'Daily photo quota reached (or rate limited: then `detail` is a string)',
          content: { 'application/json': { schema: QuotaExceeded } },
        },
        ...pickErrors(400, 401, 403, 404, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db, config, queue } = c.var.deps;
      const userId = c.req.valid('query').user_id;
      const { developerId } = c.var.principal;
      const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'multipart/form-data') {
        throw new UnsupportedMediaTypeError('Send the photo as multipart/form-data, in the field "file"');
      }
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch {
        throw new BadRequestError('Malformed multipart/form-data body');
      }
      const file = form.get('file');
      if (!(file instanceof File)) {
        throw new ValidationError([
          { loc: ['body', 'file'], msg: 'Send the photo as a file in the field "file"', type: 'missing' },
        ]);
      }
      const fields: Record<string, string> = {};
      for (const name of ['meal_type', 'detected_at', 'note']) {
        const value = form.get(name);
        if (typeof value === 'string') fields[name] = value;
      }
      const parsed = UploadFields.safeParse(fields);
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((i) => ({
            loc: ['body', ...i.path.map(String)],
            msg: i.message,
            type: i.code,
          })),
        );
      }
      if (file.size > MAX_MEAL_IMAGE_BYTES) {
        throw new PayloadTooLargeError(
          `The photo is ${file.size} bytes; at most ${MAX_MEAL_IMAGE_BYTES} (5 MiB)`,
        );
      }
      const image = prepareMealImage(Buffer.from(await file.arrayBuffer()), file.type || undefined);
      if (!image.ok) {
        if (image.code === 'too_large') throw new PayloadTooLargeError(image.detail);
        if (image.code === 'unsupported_type') throw new UnsupportedMediaTypeError(image.detail);
        throw new ValidationError([{ loc: ['body', 'file'], msg: image.detail, type: image.code }]);
      }

      const now = new Date();
      const refuse = (refusal: ReturnType<typeof quotaRefusal>) => {
        c.header('Retry-After', String(secondsUntilReset(now)));
        return c.json({ detail: refusal }, 429);
      };
      // Refused early, before any bytes are stored, when the quota is already used up.
      const status = await imageQuotaStatus(db, developerId, now);
      if (status.limit !== null && status.used >= status.limit) {
        return refuse(quotaRefusal(status.plan, status.limit, status.used));
      }

      const logId = randomUUID();
      const key = `nutrition/${developerId}/${logId}.${EXTENSIONS[image.format]}`;
      const store = nutritionBlobStore(config);
      // Stored before the transaction that makes it visible (a job must find it); removed again when that
      // transaction refuses or fails, so a refused upload leaves nothing behind.
      await store.putBuffer(key, image.bytes, image.contentType);
      let outcome: { refusal: ReturnType<typeof quotaRefusal> } | { jobId: string };
      try {
        outcome = await db.transaction().execute(async (trx) => {
          const refusal = await takeImageSlot(trx, developerId, now);
          if (refusal !== undefined) return { refusal };
          // Enqueued first, in the same transaction: the job id goes on the log, and the job can only
          // see the log once both commit.
          const jobId = await queue.enqueueNutrition({ task: 'recognize', logId }, { db: trx });
          const log = await insertLog(trx, {
            id: logId,
            developer_id: developerId,
            user_id: userId,
            status: 'pending',
            meal_type: parsed.data.meal_type ?? 'other',
            detected_at: parsed.data.detected_at ? new Date(parsed.data.detected_at) : now,
            note: parsed.data.note ?? null,
            image_key: key,
            image_content_type: image.contentType,
            image_bytes: image.bytes.length,
            exif: JSON.stringify(image.exif),
            vision_model: null,
            verifier_model: null,
            confidence_score: null,
            verifier_agreed: null,
            job_id: jobId,
          });
          await logCreatedEvent(trx, log);
          return { jobId };
        });
      } catch (error) {
        await store.delete(key).catch(() => {});
        throw error;
      }
      if ('refusal' in outcome) {
        await store.delete(key);
        return refuse(outcome.refusal);
      }
      queue.wake(NUTRITION_QUEUE);
      return c.json({ job_id: outcome.jobId, log_id: logId, status: 'pending' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'post',
      path: '/api/v1/nutrition/log/manual',
      summary: 'Log a meal by hand (status manual; never counts against the photo quota)',
      description:
        'Items carry their macros; an item sent with only `dish_name` (and `quantity_grams`) is looked up in the food database and its macros scaled to the grams (the dish’s typical portion when no grams are given). A dish the database does not know, sent without macros, is a 422.',
      request: {
        query: UserIdQuery,
        body: { required: true, content: { 'application/json': { schema: ManualLogBody } } },
      },
      responses: {
        201: { description: 'The stored log', content: logJson },
        ...pickErrors(401, 403, 404, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const userId = c.req.valid('query').user_id;
      const body = c.req.valid('json');
      const logId = randomUUID();
      const items: NewItem[] = [];
      for (const [index, item] of body.items.entries()) {
        const given = MACRO_FIELDS.filter((f) => item[f] !== undefined);
        const row: NewItem = {
          id: randomUUID(),
          log_id: logId,
          user_id: userId,
          position: index,
          dish_name: item.dish_name,
          quantity_grams: item.quantity_grams ?? null,
          quantity_uncertainty: null,
          confidence: null,
          food_db_source: null,
          food_db_id: null,
        };
        if (given.length > 0) {
          for (const f of MACRO_FIELDS) row[f] = item[f] ?? null;
        } else {
          const [match] = await searchFoods(db, item.dish_name, 1);
          const grams = item.quantity_grams ?? match?.typical_portion_g ?? undefined;
          if (match === undefined || grams === undefined || grams === null) {
            throw new ValidationError([
              {
                loc: ['body', 'items', index],
                msg:
                  match === undefined
                    ? `"${item.dish_name}" is not in the food database: send its macros`
                    : `"${item.dish_name}" has no typical portion: send quantity_grams`,
                type: 'food_not_found',
              },
            ]);
          }
          const macros = macrosFor(match, grams);
          for (const f of MACRO_FIELDS) row[f] = macros[f] ?? null;
          row.quantity_grams = grams;
          row.food_db_source = match.source;
          row.food_db_id = match.id;
        }
        items.push(row);
      }
      const { log, stored } = await db.transaction().execute(async (trx) => {
        const log = await insertLog(trx, {
          id: logId,
          developer_id: c.var.principal.developerId,
          user_id: userId,
          status: 'manual',
          meal_type: body.meal_type,
          detected_at: body.detected_at ? new Date(body.detected_at) : new Date(),
          note: body.note ?? null,
          image_key: null,
          image_content_type: null,
          image_bytes: null,
          vision_model: null,
          verifier_model: null,
          confidence_score: null,
          verifier_agreed: null,
          job_id: null,
        });
        return { log, stored: await insertItems(trx, items) };
      });
      return c.json(toLogJson(log, stored), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/nutrition/log',
      summary: 'List meal logs, newest meal first (discarded logs hidden)',
      request: { query: ListLogsQuery },
      responses: {
        200: { description: 'A page of logs', content: { 'application/json': { schema: NutritionLogList } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const q = c.req.valid('query');
      const fingerprint = JSON.stringify([q.date_from ?? '', q.date_to ?? '', q.meal_type ?? '']);
      let after: { t: string; i: string } | undefined;
      if (q.cursor !== undefined) {
        const cursor = decodeCursor(q.cursor, logCursor);
        if (cursor.q !== fingerprint) {
          throw new ValidationError([
            { loc: ['query', 'cursor'], msg: 'The cursor belongs to other filters', type: 'invalid_cursor' },
          ]);
        }
        after = { t: cursor.t, i: cursor.i };
      }
      if (q.date_from !== undefined && q.date_to !== undefined && q.date_to < q.date_from) {
        throw new ValidationError([
          { loc: ['query', 'date_to'], msg: 'date_to is before date_from', type: 'custom' },
        ]);
      }
      const { rows, total } = await listLogs(db, q.user_id, {
        timeZone: await userTimeZone(db, c.var.principal.developerId, q.user_id),
        from: q.date_from,
        to: q.date_to,
        mealType: q.meal_type,
        after,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const hasMore = rows.length > q.limit;
      const items = await itemsByLog(
        db,
        page.map((r) => r.id),
      );
      const last = page[page.length - 1];
      return c.json(
        {
          data: page.map((log) => toLogJson(log, items.get(log.id) ?? [])),
          pagination: {
            next_cursor:
              hasMore && last
                ? encodeCursor({ t: last.detected_at.toISOString(), i: last.id, q: fingerprint })
                : null,
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
      path: '/api/v1/nutrition/log/{log_id}',
      summary: 'Get one meal log with its items',
      request: { params: LogIdParams, query: UserIdQuery },
      responses: { 200: { description: 'The log', content: logJson }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const log = await findUserLog(
        db,
        c.var.principal.developerId,
        c.req.valid('query').user_id,
        c.req.valid('param').log_id,
      );
      if (log === undefined) throw logNotFound();
      return c.json(toLogJson(log, await itemsOf(db, log.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/nutrition/log/{log_id}/image',
      summary: "A log's meal photo (as stored: EXIF stripped), for showing it next to the log",
      description:
        '404 with code `no_image` for a manual log, `image_deleted` once the meal-photo retention removed it.',
      request: { params: LogIdParams, query: UserIdQuery },
      responses: {
        200: {
          description: 'The photo',
          content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db, config } = c.var.deps;
      const log = await findUserLogImage(
        db,
        c.var.principal.developerId,
        c.req.valid('query').user_id,
        c.req.valid('param').log_id,
      );
      if (log === undefined) throw logNotFound();
      if (log.image_deleted_at !== null) throw new MealImageGoneError('image_deleted');
      if (log.image_key === null) throw new MealImageGoneError('no_image');
      const blob = await nutritionBlobStore(config).open(log.image_key);
      // A blob gone without image_deleted_at (a sweep that died between delete and update) reads as deleted.
      if (blob === undefined) throw new MealImageGoneError('image_deleted');
      return new Response(Readable.toWeb(blob.stream) as ReadableStream, {
        status: 200,
        headers: {
          'Content-Type': log.image_content_type ?? 'application/octet-stream',
          'Content-Length': String(blob.bytes),
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'patch',
      path: '/api/v1/nutrition/log/{log_id}/items/{item_id}',
      summary:
        'Correct an item (dish, grams, macros): is_corrected, one nutrition.log.corrected per changed field',
      request: {
        params: ItemParams,
        query: UserIdQuery,
        body: { required: true, content: { 'application/json': { schema: ItemCorrectionBody } } },
      },
      responses: {
        200: { description: 'The log after the correction', content: logJson },
        ...pickErrors(401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { log_id: logId, item_id: itemId } = c.req.valid('param');
      const userId = c.req.valid('query').user_id;
      const body = c.req.valid('json');
      const log = await db.transaction().execute(async (trx) => {
        const log = await findUserLog(trx, c.var.principal.developerId, userId, logId, { forUpdate: true });
        if (log === undefined) throw logNotFound();
        if (log.status === 'pending') throw new ConflictError('The log is still being recognized');
        if (log.status === 'discarded') throw new ConflictError('The log was deleted');
        const item = await findItem(trx, logId, itemId);
        if (item === undefined) throw new NotFoundError('Item not found');
        const changes: { field: string; from: unknown; to: unknown }[] = [];
        const set: Record<string, unknown> = {};
        for (const field of ['dish_name', 'quantity_grams', ...MACRO_FIELDS] as const) {
          const to = body[field];
          if (to === undefined || to === item[field as 'dish_name' | 'quantity_grams' | MacroField]) continue;
          changes.push({ field, from: item[field as keyof typeof item], to });
          set[field] = to;
        }
        if (changes.length > 0) {
          const updated = await updateItem(trx, itemId, { ...set, is_corrected: true });
          await updateLog(trx, logId, {});
          await logCorrectedEvents(trx, log, updated, changes);
        }
        return log;
      });
      const fresh = await findUserLog(db, c.var.principal.developerId, userId, log.id);
      return c.json(toLogJson(fresh ?? log, await itemsOf(db, log.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/nutrition/log/{log_id}',
      summary: 'Soft-delete a log (status discarded; hidden from lists, still counted in the photo quota)',
      request: { params: LogIdParams, query: UserIdQuery },
      responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { log_id: logId } = c.req.valid('param');
      const userId = c.req.valid('query').user_id;
      await db.transaction().execute(async (trx) => {
        const log = await findUserLog(trx, c.var.principal.developerId, userId, logId, { forUpdate: true });
        if (log === undefined) throw logNotFound();
        if (log.status === 'discarded') return;
        await updateLog(trx, logId, { status: 'discarded', discarded_at: new Date() });
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/nutrition/summary',
      summary: 'Daily macro totals of recognized and manual logs, per local day of the user (92-day cap)',
      request: {
        query: SummaryQuery,
      },
      responses: {
        200: { description: 'Days', content: { 'application/json': { schema: NutritionSummary } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { user_id: userId, date_from: from, date_to: to } = c.req.valid('query');
      const timeZone = await userTimeZone(db, c.var.principal.developerId, userId);
      const totals = await dailyTotals(db, userId, timeZone, from, to);
      const days: z.infer<typeof NutritionSummary>['days'] = [];
      for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const day = totals.get(date);
        days.push({
          date,
          log_count: day?.log_count ?? 0,
          calories_kcal: day?.totals.calories_kcal ?? 0,
          protein_g: day?.totals.protein_g ?? 0,
          carbs_g: day?.totals.carbs_g ?? 0,
          fat_g: day?.totals.fat_g ?? 0,
          fiber_g: day?.totals.fiber_g ?? 0,
          sugar_g: day?.totals.sugar_g ?? 0,
          sodium_mg: day?.totals.sodium_mg ?? 0,
        });
      }
      return c.json({ user_id: userId, days }, 200);
    },
  );
}
