import { urlForLogs } from '../http/url-for-logs.ts';
import type { InboundRequest, WebhookAdapter, WebhookNotification, WebhookParseContext } from '../types.ts';
import { GARMIN_LIFECYCLE_KEYS, resourceOfListKey } from './summary-types.ts';

/**
 * Garmin's push and ping deliveries (API-NOTES §1.2). A body is an object of lists keyed by summary type,
 * `{ "<listKey>": [ item, … ], … }`, several keys (and users) possible in one body:
 * - push: each item is a whole summary plus `userId` → a pull target whose data is read back from the
 *   stored delivery (`delivery: {key, indexes}`), one per (user, key);
 * - ping: each item is `{userId, callbackURL}` → a pull target with that URL, fetched by `fetchTarget`,
 *   but only when the URL is on Garmin's configured hosts (the URL carries a pull token; following a
 *   forged one would hand requests to whoever wrote it);
 * - `deregistrations` → deauthorize; `userPermissionsChange` → permissions; `activityFiles` → ignored.
 * Garmin does not sign: the platform checks `garmin-client-id` against the apps (manifest).
 */

type Json = Record<string, unknown>;

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Garmin user ids are strings; older bodies may carry numbers. */
function userIdOf(item: Json): string | undefined {
  const id = item.userId;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

function summaryNotifications(
  key: string,
  resource: string,
  items: Json[],
  context: WebhookParseContext | undefined,
): WebhookNotification[] {
  const out: WebhookNotification[] = [];
  // Push items per user, in body order (one target per user and key).
  const pushed = new Map<string, number[]>();
  items.forEach((item, index) => {
    const userId = userIdOf(item);
    if (userId === undefined) {
      out.push({ kind: 'ignore', reason: `Garmin ${key}[${index}] names no userId` });
      return;
    }
    const url = item.callbackURL;
    if (url === undefined) {
      pushed.set(userId, [...(pushed.get(userId) ?? []), index]);
      return;
    }
    if (typeof url !== 'string' || url === '') {
      out.push({ kind: 'ignore', reason: `Garmin ${key}[${index}] has an empty callbackURL` });
      return;
    }
    if (context?.isVendorUrl(url) !== true) {
      out.push({
        kind: 'ignore',
        reason: `refused: callback host of Garmin ${key} ping is not Garmin's (${urlForLogs(url)})`,
      });
      return;
    }
    out.push({ kind: 'pull', providerUserId: userId, target: { resource, url, details: { list_key: key } } });
  });
  for (const [userId, indexes] of pushed)
    out.push({ kind: 'pull', providerUserId: userId, target: { resource, delivery: { key, indexes } } });
  return out;
}

function lifecycleNotifications(key: string, items: Json[]): WebhookNotification[] {
  const out: WebhookNotification[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const userId = userIdOf(item);
    if (userId === undefined) {
      out.push({ kind: 'ignore', reason: `Garmin ${key}[${index}] names no userId` });
      return;
    }
    if (key === GARMIN_LIFECYCLE_KEYS.deregistrations) {
      if (!seen.has(userId)) out.push({ kind: 'deauthorize', providerUserId: userId });
      seen.add(userId);
      return;
    }
    const permissions = Array.isArray(item.permissions)
      ? item.permissions.filter((p): p is string => typeof p === 'string')
      : undefined;
    if (permissions === undefined)
      out.push({ kind: 'ignore', reason: `Garmin ${key}[${index}] carries no permissions list` });
    // Later items of one body are later changes: each is recorded in order, the last one wins.
    else out.push({ kind: 'permissions', providerUserId: userId, permissions });
  });
  return out;
}

/**
 * @example
 * garminWebhook.parse(
 *   { method: 'POST', headers: {}, query: {}, body: Buffer.from('{"dailies":[{"userId":"u1","summaryId":"x"}]}') },
 *   { isVendorUrl: () => true },
 * ) // { ok: true, notifications: [{ kind: 'pull', providerUserId: 'u1',
 *   //   target: { resource: 'dailies', delivery: { key: 'dailies', indexes: [0] } } }] }
 */
export const garminWebhook: WebhookAdapter = {
  parse(request: InboundRequest, context?: WebhookParseContext) {
    const body = parseJson(request.body);
    if (!isObject(body))
      return { ok: false, error: 'not a Garmin notification: the body is not a JSON object' };
    const notifications: WebhookNotification[] = [];
    for (const [key, list] of Object.entries(body)) {
      if (!Array.isArray(list))
        return { ok: false, error: `not a Garmin notification: "${key}" is not a list` };
      if (!list.every(isObject))
        return { ok: false, error: `not a Garmin notification: an item of "${key}" is not an object` };
      const items = list as Json[];
      if (key === GARMIN_LIFECYCLE_KEYS.deregistrations || key === GARMIN_LIFECYCLE_KEYS.permissions) {
        notifications.push(...lifecycleNotifications(key, items));
        continue;
      }
      if (key === GARMIN_LIFECYCLE_KEYS.activityFiles) {
        notifications.push({
          kind: 'ignore',
          reason:
            'Garmin activityFiles: FIT files are not imported; activityDetails carries the samples and route',
        });
        continue;
      }
      const resource = resourceOfListKey(key);
      if (resource === undefined) {
        notifications.push({
          kind: 'ignore',
          reason: `Garmin summary type "${key}" is not synced by WearLink`,
        });
        continue;
      }
      notifications.push(...summaryNotifications(key, resource, items, context));
    }
    if (notifications.length === 0) notifications.push({ kind: 'ignore', reason: 'Garmin sent no items' });
    return { ok: true, notifications };
  },
};
