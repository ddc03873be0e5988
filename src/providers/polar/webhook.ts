import { z } from 'zod';
import { ProviderResponseError } from '../errors.ts';
import type { PullTarget, SubscriptionAdapter, WebhookAdapter, WebhookNotification } from '../types.ts';
import { DAY, parseDate } from './time.ts';

/**
 * Polar's webhook: one per client, created by API with client Basic auth; Polar POSTs an unsigned
 * `{"event":"PING"}` to the URL first and creates (or updates) the webhook only if it gets a 200.
 * Notifications `{event, user_id, entity_id | date | from/to, timestamp, url}` are signed with
 * `Polar-Webhook-Signature` = hex HMAC-SHA256(signature_secret_key, raw body) (the platform checks it
 * per the manifest); they name what to pull, they do not carry the data.
 */

/** The events WearLink subscribes to: the ones whose data it maps. */
export const POLAR_WEBHOOK_EVENTS = [
  'EXERCISE',
  'SLEEP',
  'CONTINUOUS_HEART_RATE',
  'ACTIVITY_SUMMARY',
  'PHYSICAL_INFORMATION',
];

const RESOURCE_OF: Record<string, string> = {
  EXERCISE: 'exercises',
  SLEEP: 'sleep',
  CONTINUOUS_HEART_RATE: 'continuous_heart_rate',
  ACTIVITY_SUMMARY: 'activities',
  PHYSICAL_INFORMATION: 'physical_info',
};

const Payload = z.looseObject({
  event: z.string().min(1),
  user_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  entity_id: z.string().min(1).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  timestamp: z.string().optional(),
  url: z.string().optional(),
});

function readJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

export const polarWebhook: WebhookAdapter = {
  // The PING is unsigned by design: it is answered 200 before any signature check and asks nothing else.
  handshake(request) {
    if (request.method !== 'POST') return undefined;
    const body = readJson(request.body) as { event?: unknown } | undefined;
    return body?.event === 'PING' ? { status: 200, body: { ok: true } } : undefined;
  },

  parse(request) {
    const parsed = Payload.safeParse(readJson(request.body));
    if (!parsed.success)
      return { ok: false, error: 'Polar webhook body is not a notification ({event, user_id, …})' };
    const p = parsed.data;
    if (p.event === 'PING') return { ok: true, notifications: [{ kind: 'ignore', reason: 'PING' }] };
    const resource = RESOURCE_OF[p.event];
    if (resource === undefined)
      return {
        ok: true,
        notifications: [{ kind: 'ignore', reason: `Polar event ${p.event} is not synced` }],
      };
    if (p.user_id === undefined) return { ok: false, error: `Polar ${p.event} notification has no user_id` };
    const target: PullTarget = { resource };
    if (p.url !== undefined) target.url = p.url;
    if (resource === 'exercises') {
      if (p.entity_id === undefined)
        return { ok: false, error: 'Polar EXERCISE notification has no entity_id' };
      target.objectId = p.entity_id;
    } else if (resource !== 'physical_info') {
      if (p.date === undefined) return { ok: false, error: `Polar ${p.event} notification has no date` };
      target.fromMs = parseDate(p.date);
      target.toMs = target.fromMs + DAY;
      target.details = { date: p.date };
    }
    const notification: WebhookNotification = { kind: 'pull', providerUserId: String(p.user_id), target };
    return { ok: true, notifications: [notification] };
  },

  // Polar names no delivery id: event, user, object and send time identify one (a retry of the same
  // notification is the same; a later change of the same day is a new one).
  dedupeKey(request) {
    const p = Payload.safeParse(readJson(request.body));
    if (!p.success) return `unparsable:${Buffer.from(request.body).toString('base64').slice(0, 200)}`;
    const d = p.data;
    return ['polar', d.event, d.user_id ?? '', d.entity_id ?? d.date ?? '', d.timestamp ?? ''].join(':');
  },
};

const Webhooks = z.looseObject({
  data: z
    .array(
      z.looseObject({
        id: z.string(),
        url: z.string().optional(),
        events: z.array(z.string()).optional(),
        active: z.boolean().optional(),
      }),
    )
    .default([]),
});
const Created = z.looseObject({
  data: z.looseObject({ id: z.string(), signature_secret_key: z.string().min(1) }),
});

/**
 * Keeps the client's one webhook pointing at WearLink. The `signature_secret_key` is returned only when
 * the webhook is created: it comes back in `details.webhook_secret` for the keeper to store sealed as
 * the app's webhook secret. A webhook that exists while WearLink has no secret for it cannot be
 * verified, so it is deleted and created again (the only way to get a secret).
 */
export const polarSubscriptions: SubscriptionAdapter = {
  async ensure({ http, app, callbackUrl, existing }) {
    const listed = Webhooks.safeParse(
      (await http.request({ path: '/v3/webhooks', auth: 'client_basic', accept: [404] })).body ?? {},
    );
    if (!listed.success)
      throw new ProviderResponseError('Polar GET /v3/webhooks answered an unexpected shape');
    const current = listed.data.data[0];
    const haveSecret =
      app.webhookSecret !== undefined || typeof existing?.details.webhook_secret === 'string';
    if (current !== undefined && haveSecret) {
      let changed = false;
      const sameEvents = POLAR_WEBHOOK_EVENTS.every((e) => current.events?.includes(e));
      if (current.url !== callbackUrl || !sameEvents) {
        // Polar PINGs the new URL before it accepts the change.
        await http.request({
          method: 'PATCH',
          path: `/v3/webhooks/${encodeURIComponent(current.id)}`,
          auth: 'client_basic',
          json: { events: POLAR_WEBHOOK_EVENTS, url: callbackUrl },
        });
        changed = true;
      }
      // Polar deactivates a webhook after 7 days of failed deliveries; activation PINGs it again.
      if (current.active === false) {
        await http.request({ method: 'POST', path: '/v3/webhooks/activate', auth: 'client_basic' });
        changed = true;
      }
      if (!changed && existing?.vendorSubscriptionId === current.id) return undefined;
      return {
        vendorSubscriptionId: current.id,
        expiresAt: null,
        details: { ...existing?.details, url: callbackUrl, events: POLAR_WEBHOOK_EVENTS },
      };
    }
    if (current !== undefined)
      await http.request({
        method: 'DELETE',
        path: `/v3/webhooks/${encodeURIComponent(current.id)}`,
        auth: 'client_basic',
        accept: [404],
      });
    const created = Created.safeParse(
      (
        await http.request({
          method: 'POST',
          path: '/v3/webhooks',
          auth: 'client_basic',
          json: { events: POLAR_WEBHOOK_EVENTS, url: callbackUrl },
        })
      ).body,
    );
    if (!created.success)
      throw new ProviderResponseError('Polar created the webhook but sent no id or signature_secret_key');
    return {
      vendorSubscriptionId: created.data.data.id,
      expiresAt: null,
      details: {
        url: callbackUrl,
        events: POLAR_WEBHOOK_EVENTS,
        webhook_secret: created.data.data.signature_secret_key,
      },
    };
  },

  // No `remove`: the webhook is the whole client's; a user's disconnect must never delete it.
};
