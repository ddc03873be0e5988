import { createHash } from 'node:crypto';
import type { InboundRequest, WebhookAdapter, WebhookNotification } from '../types.ts';

/**
 * WHOOP webhooks (configured per app in WHOOP's developer dashboard, no handshake): a signed JSON body
 * `{user_id, id, type, trace_id}` that names what changed; WearLink then pulls that object. The
 * signature (base64 HMAC-SHA256 of timestamp + raw body under the client secret) is checked by the
 * platform from the manifest before `parse` runs.
 *
 * `type` is `workout|sleep|recovery` `.updated|.deleted`. Sleep and workout ids are v2 UUIDs. For a
 * recovery WHOOP's table still says the cycle's int64 id while v2 moved to UUIDs (API-NOTES §4.4 [UNV]):
 * both are accepted, an integer as a cycle id and a UUID as the id of the sleep the recovery belongs to
 * (`pull.ts` resolves either). Deletions are acknowledged and ignored: WearLink keeps data it was given
 * (disconnect keeps data too), and the vendor no longer serves the object to pull.
 */
export const whoopWebhook: WebhookAdapter = {
  parse(request) {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(request.body).toString('utf8'));
    } catch {
      return { ok: false, error: 'WHOOP webhook body is not JSON' };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { ok: false, error: 'WHOOP webhook body is not a JSON object' };
    }
    const { user_id, id, type } = body as Record<string, unknown>;
    if (typeof user_id !== 'number' && typeof user_id !== 'string') {
      return { ok: false, error: 'WHOOP webhook body has no user_id' };
    }
    if (typeof type !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(type)) {
      return { ok: false, error: 'WHOOP webhook body has no event type' };
    }
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
      return { ok: false, error: `WHOOP webhook ${type} has no object id` };
    }
    const providerUserId = String(user_id);
    const [object, action] = type.split('.') as [string, string];
    const notification: WebhookNotification =
      action === 'deleted'
        ? { kind: 'ignore', reason: `${type} ${id}: deletions are not propagated` }
        : action === 'updated' && (object === 'sleep' || object === 'workout' || object === 'recovery')
          ? { kind: 'pull', providerUserId, target: { resource: object, objectId: String(id) } }
          : { kind: 'ignore', reason: `WHOOP event type ${type} is not used` };
    return { ok: true, notifications: [notification] };
  },

  /** WHOOP re-sends a delivery with the same body (and trace id); a new event has a new trace id. */
  dedupeKey(request: InboundRequest) {
    try {
      const { type, id, trace_id } = JSON.parse(Buffer.from(request.body).toString('utf8')) as Record<
        string,
        unknown
      >;
      if (typeof trace_id === 'string' && trace_id !== '') return `${String(type)}:${String(id)}:${trace_id}`;
    } catch {
      // Not JSON: the body hash below still identifies it (parse refuses it).
    }
    return createHash('sha256').update(request.body).digest('hex');
  },
};
