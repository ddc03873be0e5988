import type { WebhookNotification } from '../../types.ts';
import { DAY_MS, isRecord } from './common.ts';

/**
 * The legacy Subscriptions API notification body: a JSON array of
 * `{collectionType, date, ownerId, ownerType, subscriptionId}` → what a pull would fetch, as the
 * platform's webhook notifications. The resources are this folder's kinds (`activity_log`,
 * `daily_summary`, `sleep`) over the notified day; the legacy API itself is off, so nothing calls
 * Fitbit with them: they describe the import for a stored notification.
 */

/** Which legacy kinds a collection's change touches; collections WearLink does not import are absent. */
const PULLS: Record<string, readonly ('activity_log' | 'daily_summary' | 'sleep')[]> = {
  activities: ['activity_log', 'daily_summary'],
  sleep: ['sleep'],
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * @example
 * parseLegacyFitbitNotifications([{ collectionType: 'sleep', date: '2010-03-01', ownerId: '184X36',
 *   ownerType: 'user', subscriptionId: '2345' }])
 * // → [{ kind: 'pull', providerUserId: '184X36', target: { resource: 'sleep',
 * //       fromMs: <2010-02-28T10:00Z>, toMs: <2010-03-02T14:00Z>,
 * //       details: { date: '2010-03-01', collectionType: 'sleep', subscriptionId: '2345' } } }]
 *
 * The window is the notified day in UTC widened by 14 h each side: the notification names a local day
 * without an offset, and every zone's version of that day lies inside. `userRevokedAccess` (an
 * unverified collection name) → deauthorize; other collections → ignore with the reason. A body that
 * is not an array gives `[]`; a malformed item is skipped.
 */
export function parseLegacyFitbitNotifications(body: unknown): WebhookNotification[] {
  if (!Array.isArray(body)) return [];
  const out: WebhookNotification[] = [];
  for (const item of body) {
    if (!isRecord(item)) continue;
    const { collectionType, date, ownerId, ownerType, subscriptionId } = item;
    if (typeof ownerId !== 'string' || ownerId === '' || typeof collectionType !== 'string') continue;
    if (ownerType !== undefined && ownerType !== 'user') continue;
    if (collectionType === 'userRevokedAccess') {
      out.push({ kind: 'deauthorize', providerUserId: ownerId });
      continue;
    }
    const kinds = PULLS[collectionType];
    if (kinds === undefined) {
      out.push({ kind: 'ignore', reason: `Fitbit collection "${collectionType}" is not imported` });
      continue;
    }
    if (typeof date !== 'string' || !DAY.test(date) || !Number.isFinite(Date.parse(date))) continue;
    const dayMs = Date.parse(`${date}T00:00:00Z`);
    const details: Record<string, string> = { date, collectionType };
    if (typeof subscriptionId === 'string') details.subscriptionId = subscriptionId;
    for (const resource of kinds) {
      out.push({
        kind: 'pull',
        providerUserId: ownerId,
        target: { resource, fromMs: dayMs - MARGIN_MS, toMs: dayMs + DAY_MS + MARGIN_MS, details },
      });
    }
  }
  return out;
}

const MARGIN_MS = 14 * 3_600_000;
