import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../../config/load-config.ts';
import type { Platform } from '../../platform.ts';
import { blobStoreFor } from '../../storage/blob-store.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';
import { storableText, toStoredError } from '../../sync/stored-error.ts';
import { logRecognizedEvent } from '../events.ts';
import { macrosFor, searchFoods } from '../food-db/index.ts';
import { MAX_MEAL_IMAGE_BYTES } from '../images/result.ts';
import type { LogRow } from '../schemas.ts';
import { decide, logConfidence, needsVerifier, type VerifierOutcome } from './decide.ts';
import { recognizerFromConfig, verifierFromConfig } from './models.ts';
import type { RecognitionError, RecognizedDish, Recognizer } from './recognizer.ts';
import type { Verifier } from './verifier.ts';

/**
 * The `recognize` job of one meal photo: model → (verifier) → food database → items, status and the
 * `nutrition.log.recognized` event in one transaction. Nothing the vendors do crashes it: each failure
 * ends as a status on the log. Retryable ones (429, timeouts, 5xx, network) are thrown so the queue
 * retries them (NUTRITION_QUEUE: 3 retries with backoff) — the log stays `pending` with the failure that
 * is being retried — and on the last attempt the log becomes `failed`. Non-retryable ones (a refused key,
 * an answer still malformed after a second ask) fail the log at once. The photo is kept either way, and a
 * failed log is queued for human review.
 */

/** Thrown for a retryable failure: pg-boss stores `{code, message}` and retries the job. */
export class RecognitionRetry extends Error {
  override name = 'RecognitionRetry';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Models {
  recognizer: Recognizer | undefined;
  verifier: Verifier | undefined;
}

// One set of clients per configuration (a process has one): built on first use, not per job.
const modelsByConfig = new WeakMap<Config, Models>();

export function modelsFor(config: Config): Models {
  let models = modelsByConfig.get(config);
  if (models === undefined) {
    models = { recognizer: recognizerFromConfig(config), verifier: verifierFromConfig(config) };
    modelsByConfig.set(config, models);
  }
  return models;
}

type Failure = { code: string; message: string };

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      stream.destroy();
      throw new Error(`the stored photo is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function recognizeMealLog(
  platform: Platform,
  logId: string,
  attempt: JobAttempt,
): Promise<void> {
  try {
    await recognize(platform, logId, attempt);
  } catch (error) {
    // Anything else that went wrong on the last attempt (the blob store or the database away): the log must
    // not stay pending for ever. Retryable vendor failures never get here on the last attempt.
    if (attempt.count >= attempt.limit && !(error instanceof RecognitionRetry)) {
      const stored = toStoredError(error, 'internal_error');
      await failLog(platform, logId, { code: 'internal_error', message: stored.message }).catch(() => {});
    }
    throw error;
  }
}

async function recognize(platform: Platform, logId: string, attempt: JobAttempt): Promise<void> {
  const { db } = platform.deps;
  const logger = platform.logger;
  const log = await db.selectFrom('nutrition_logs').selectAll().where('id', '=', logId).executeTakeFirst();
  // Gone (user deleted), discarded, already decided (a retry after a lost worker, or a reviewer got there
  // first), or a manual log: nothing to recognise.
  if (log === undefined || log.status !== 'pending' || log.review_state !== null || log.image_key === null)
    return;

  const last = attempt.count >= attempt.limit;
  const attemptNote = `attempt ${attempt.count + 1} of ${attempt.limit + 1}`;
  const { recognizer, verifier } = modelsFor(platform.config);

  // Embedded default: no model configured, so a human looks at every photo.
  if (recognizer === undefined) {
    await queueForReview(platform, log, null);
    logger.info({ log_id: log.id }, 'no recogniser configured: meal photo queued for review');
    return;
  }
  const contentType = log.image_content_type ?? 'application/octet-stream';
  if (!recognizer.acceptedTypes.has(contentType)) {
    // HEIC: neither vendor API takes it, and converting would need a HEVC decoder. A human looks instead.
    await queueForReview(platform, log, {
      code: 'unsupported_image',
      message: `the vision model does not accept ${contentType} photos; queued for human review`,
    });
    return;
  }

  const stored = await blobStoreFor(platform.config).open(log.image_key);
  if (stored === undefined) {
    await failLog(platform, log.id, {
      code: 'image_missing',
      message: 'the photo is no longer in storage (deleted by retention?)',
    });
    return;
  }
  const image = { bytes: await readAll(stored.stream, MAX_MEAL_IMAGE_BYTES * 2), contentType };

  /** A vendor failure: retried by the queue while attempts are left, else the log's final status. */
  const failed = async (error: RecognitionError, who: string): Promise<void> => {
    const message = storableText(`${who}: ${error.detail}`);
    if (error.retryable && !last) {
      await db
        .updateTable('nutrition_logs')
        .set({
          failure: JSON.stringify({ code: error.code, message: `${message} (${attemptNote}; retried)` }),
          updated_at: new Date(),
        })
        .where('id', '=', log.id)
        .where('status', '=', 'pending')
        .where('review_state', 'is', null)
        .execute();
      throw new RecognitionRetry(error.code, message);
    }
    logger.warn({ log_id: log.id, code: error.code, retryable: error.retryable }, 'meal recognition failed');
    await failLog(platform, log.id, { code: error.code, message });
  };

  const primary = await recognizer.recognize(image);
  if (!primary.ok) return failed(primary.error, `vision model ${recognizer.model}`);
  const { dishes, model } = primary.value;
  const confidence = logConfidence(dishes);

  let verifierOutcome: VerifierOutcome = verifier === undefined ? 'not_configured' : 'not_asked';
  let verifierModel: string | null = null;
  let verifierFailure: Failure | null = null;
  if (verifier !== undefined && dishes.length > 0 && needsVerifier(confidence, true)) {
    verifierModel = verifier.model;
    const verification = await verifier.verify(image, dishes);
    if (verification.ok) {
      verifierOutcome = verification.value.agreed ? 'agreed' : 'disagreed';
      verifierModel = verification.value.model;
    } else if (verification.error.retryable && !last) {
      return failed(verification.error, `verifier model ${verifier.model}`);
    } else {
      // The primary's reading is there: a human can still judge it, so the log is reviewed, not failed.
      verifierOutcome = 'unavailable';
      verifierFailure = {
        code: `verifier_${verification.error.code}`,
        message: storableText(`verifier model ${verifier.model}: ${verification.error.detail}`),
      };
    }
  }

  const items = await matchDishes(platform, dishes);
  const decision = decide({
    confidence,
    dishCount: dishes.length,
    unmatched: items.filter((i) => i.food_db_id === null).length,
    verifier: verifierOutcome,
  });

  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('nutrition_logs')
      .set({
        status: decision.accept ? 'recognized' : 'pending',
        review_state: decision.accept ? null : 'queued',
        vision_model: model,
        verifier_model: verifierModel,
        confidence_score: confidence,
        verifier_agreed: verifierOutcome === 'agreed' ? true : verifierOutcome === 'disagreed' ? false : null,
        failure: verifierFailure === null ? null : JSON.stringify(verifierFailure),
        updated_at: new Date(),
      })
      .where('id', '=', log.id)
      .where('status', '=', 'pending')
      .where('review_state', 'is', null)
      .executeTakeFirst();
    // Discarded (or reviewed) while the model was thinking: the user's action wins.
    if (updated.numUpdatedRows === 0n) return;
    await trx.deleteFrom('nutrition_items').where('log_id', '=', log.id).execute();
    const rows =
      items.length === 0
        ? []
        : await trx
            .insertInto('nutrition_items')
            .values(
              items.map((item, position) => ({
                ...item,
                id: randomUUID(),
                log_id: log.id,
                user_id: log.user_id,
                position,
              })),
            )
            .returningAll()
            .execute();
    rows.sort((a, b) => a.position - b.position);
    if (decision.accept) await logRecognizedEvent(trx, log, rows);
  });
  logger.info(
    {
      log_id: log.id,
      model,
      confidence,
      verifier: verifierOutcome,
      outcome: decision.accept ? 'recognized' : `review (${decision.reason})`,
    },
    'meal photo recognised',
  );
}

/** Each dish with its best food-database match and the macros of its grams (nulls when nothing matched). */
async function matchDishes(platform: Platform, dishes: readonly RecognizedDish[]) {
  const items = [];
  for (const dish of dishes) {
    const [match] = await searchFoods(platform.deps.db, dish.dish_name, 1);
    const macros = match === undefined ? undefined : macrosFor(match, dish.grams);
    items.push({
      dish_name: dish.dish_name,
      quantity_grams: dish.grams,
      quantity_uncertainty: dish.uncertainty,
      confidence: dish.confidence,
      calories_kcal: macros?.calories_kcal ?? null,
      protein_g: macros?.protein_g ?? null,
      carbs_g: macros?.carbs_g ?? null,
      fat_g: macros?.fat_g ?? null,
      fiber_g: macros?.fiber_g ?? null,
      sugar_g: macros?.sugar_g ?? null,
      sodium_mg: macros?.sodium_mg ?? null,
      food_db_source: match?.source ?? null,
      food_db_id: match?.id ?? null,
    });
  }
  return items;
}

/** Into the human-review queue without a model reading (status stays pending for the user). */
async function queueForReview(platform: Platform, log: LogRow, failure: Failure | null): Promise<void> {
  await platform.deps.db
    .updateTable('nutrition_logs')
    .set({
      review_state: 'queued',
      failure: failure === null ? null : JSON.stringify(failure),
      updated_at: new Date(),
    })
    .where('id', '=', log.id)
    .where('status', '=', 'pending')
    .where('review_state', 'is', null)
    .execute();
}

/**
 * The log's final failure. The photo stays and the log joins the review queue, so a reviewer (or the user)
 * can still deal with the entry (spec: "even if recognition fails, the photo is retained").
 */
async function failLog(platform: Platform, logId: string, failure: Failure): Promise<void> {
  await platform.deps.db
    .updateTable('nutrition_logs')
    .set({
      status: 'failed',
      review_state: 'queued',
      failure: JSON.stringify(failure),
      updated_at: new Date(),
    })
    .where('id', '=', logId)
    .where('status', '=', 'pending')
    .where('review_state', 'is', null)
    .execute();
}
