import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InboundRequest, WebhookAdapter, WebhookNotification } from '../types.ts';
import { OURA_COLLECTION_PATHS } from './manifest.ts';

/**
 * Oura's webhook deliveries. The signature (`x-oura-signature`, upper-case hex HMAC-SHA256 of
 * `x-oura-timestamp` + raw body under the app's client secret) is checked by the platform from the
 * manifest; this adapter answers the subscription handshake and reads what a verified body names.
 */

const Notification = z.looseObject({
  event_type: z.string().min(1),
  data_type: z.string().min(1),
  object_id: z.string().min(1),
  user_id: z.string().min(1),
  event_time: z.string().optional(),
});

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

export const ouraWebhook: WebhookAdapter = {
  /**
   * When a subscription is created (or renewed), Oura calls
   * `GET <callback>?verification_token=…&challenge=…` and expects `{"challenge": …}` back, but only from
   * a receiver that knows the verification token WearLink chose (an app's webhook secret).
   */
  handshake(request: InboundRequest, verifyTokens: readonly string[]) {
    if (request.method !== 'GET') return undefined;
    const challenge = request.query.challenge;
    const token = request.query.verification_token;
    if (challenge === undefined && token === undefined) return undefined;
    if (challenge === undefined || challenge === '')
      return { status: 400, body: { detail: 'challenge is missing', code: 'invalid_handshake' } };
    if (token === undefined || !verifyTokens.some((t) => sameText(t, token)))
      return {
        status: 401,
        body: { detail: 'verification_token does not match', code: 'invalid_verification_token' },
      };
    return { status: 200, body: { challenge } };
  },

  parse(request: InboundRequest) {
    const parsed = Notification.safeParse(parseJson(request.body));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return { ok: false, error: `not an Oura notification: ${where}${issue?.message ?? 'invalid JSON'}` };
    }
    const n = parsed.data;
    let notification: WebhookNotification;
    if (!Object.hasOwn(OURA_COLLECTION_PATHS, n.data_type))
      notification = { kind: 'ignore', reason: `Oura data_type "${n.data_type}" is not synced by WearLink` };
    else if (n.event_type === 'delete')
      // WearLink keeps what it pulled; there is nothing to fetch for a deleted document.
      notification = { kind: 'ignore', reason: `Oura deleted ${n.data_type} ${n.object_id}` };
    else
      notification = {
        kind: 'pull',
        providerUserId: n.user_id,
        target: { resource: n.data_type, objectId: n.object_id, details: { event_type: n.event_type } },
      };
    return { ok: true, notifications: [notification] };
  },

  /**
   * A delivery is one (event, document, time): Oura's retries of it repeat these fields but are signed
   * again, so the body's bytes are not the identity; an unparsable body falls back to the default.
   */
  dedupeKey(request: InboundRequest) {
    const parsed = Notification.safeParse(parseJson(request.body));
    if (!parsed.success) return createHash('sha256').update(request.body).digest('hex');
    const n = parsed.data;
    return [n.user_id, n.event_type, n.data_type, n.object_id, n.event_time ?? ''].join('|');
  },
};
