import type { Db } from '../db/database.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import { type ItemRow, type LogRow, toItemJson, totalKcal } from './schemas.ts';

/**
 * The nutrition webhook events (catalogued in src/webhooks/event-types.ts), each written through the
 * outbox with the caller's transaction, so an event exists exactly when its change committed.
 */

/** `nutrition.log.created`: a photo was accepted and awaits recognition. */
export function logCreatedEvent(trx: Db, log: Pick<LogRow, 'id' | 'user_id' | 'meal_type' | 'detected_at'>) {
  return enqueueWebhookEvents(trx, [
    {
      type: 'nutrition.log.created',
      userId: log.user_id,
      data: {
        log_id: log.id,
        user_id: log.user_id,
        meal_type: log.meal_type,
        detected_at: log.detected_at.toISOString(),
        status: 'pending',
      },
    },
  ]);
}

/** The `nutrition.log.recognized` data: the items and their total kcal. */
export function recognizedEventData(log: Pick<LogRow, 'id' | 'user_id'>, items: readonly ItemRow[]) {
  return {
    log_id: log.id,
    user_id: log.user_id,
    items: items.map(toItemJson),
    total_kcal: totalKcal(items),
  };
}

/** `nutrition.log.recognized`: by the recogniser on acceptance, or by a reviewer's approval. */
export function logRecognizedEvent(trx: Db, log: Pick<LogRow, 'id' | 'user_id'>, items: readonly ItemRow[]) {
  return enqueueWebhookEvents(trx, [
    { type: 'nutrition.log.recognized', userId: log.user_id, data: recognizedEventData(log, items) },
  ]);
}

/** `nutrition.log.corrected`: one event per field the user changed, each with the item as it now is. */
export function logCorrectedEvents(
  trx: Db,
  log: Pick<LogRow, 'id' | 'user_id'>,
  item: ItemRow,
  changes: readonly { field: string; from: unknown; to: unknown }[],
) {
  return enqueueWebhookEvents(
    trx,
    changes.map((change) => ({
      type: 'nutrition.log.corrected',
      userId: log.user_id,
      data: {
        log_id: log.id,
        user_id: log.user_id,
        item_id: item.id,
        field: change.field,
        old_value: change.from,
        new_value: change.to,
        item: toItemJson(item),
      },
    })),
  );
}
