import type { PullTarget, SubscriptionAdapter, WebhookAdapter, WebhookNotification } from '../types.ts';
import { withingsCall } from './common.ts';

/**
 * Withings notifications: subscribed per user and per category (`appli`) with the user's token
 * (`POST /notify action=subscribe`); Withings first sends a HEAD to the callback and registers it only
 * if that answers 2xx. Deliveries are `POST` form bodies `userid, appli, startdate, enddate` (epoch s),
 * unsigned: they name a span to pull, they carry no data (manifest: verification `none`, and why).
 */

/** The categories WearLink subscribes to, and the resource each one's notification pulls. */
export const WITHINGS_APPLIS: Readonly<Record<number, string>> = {
  1: 'measures', // weight and body composition
  2: 'measures', // temperature
  4: 'measures', // blood pressure, heart pulse, SpO2
  16: 'activity', // activity days and workouts
  44: 'sleep',
};

function form(body: Uint8Array): URLSearchParams {
  return new URLSearchParams(new TextDecoder().decode(body));
}

const EPOCH = /^\d{1,12}$/;

export const withingsWebhook: WebhookAdapter = {
  // Withings' check of the callback URL before it registers a subscription: any 2xx.
  handshake(request) {
    return request.method === 'HEAD' ? { status: 200 } : undefined;
  },

  parse(request) {
    const f = form(request.body);
    const userid = f.get('userid') ?? '';
    const appli = f.get('appli') ?? '';
    if (!/^\d+$/.test(userid) || !/^\d+$/.test(appli))
      return { ok: false, error: 'Withings notification needs a numeric userid and appli (form-encoded)' };
    const resource = WITHINGS_APPLIS[Number(appli)];
    if (resource === undefined)
      return {
        ok: true,
        notifications: [{ kind: 'ignore', reason: `Withings appli ${appli} is not synced` }],
      };
    const start = f.get('startdate') ?? '';
    const end = f.get('enddate') ?? '';
    if (!EPOCH.test(start) || !EPOCH.test(end) || Number(end) < Number(start))
      return {
        ok: false,
        error: `Withings appli ${appli} notification needs startdate <= enddate (epoch s)`,
      };
    const target: PullTarget = {
      resource,
      fromMs: Number(start) * 1000,
      toMs: Number(end) * 1000,
      details: { appli },
    };
    const notification: WebhookNotification = { kind: 'pull', providerUserId: userid, target };
    return { ok: true, notifications: [notification] };
  },

  // The same notification retried is the same user, category and span, whatever the field order.
  dedupeKey(request) {
    const f = form(request.body);
    return ['userid', 'appli', 'startdate', 'enddate', 'date'].map((k) => f.get(k) ?? '').join(':');
  },
};

/** Per user: one subscription per category, all on WearLink's one callback URL. */
export const withingsSubscriptions: SubscriptionAdapter = {
  async ensure({ http, callbackUrl, existing }) {
    const wanted = Object.keys(WITHINGS_APPLIS).map(Number);
    const have = new Set((existing?.details.applis as number[] | undefined) ?? []);
    if (existing?.details.callbackurl === callbackUrl && wanted.every((a) => have.has(a))) return undefined;
    for (const appli of wanted)
      await withingsCall(http, {
        method: 'POST',
        path: '/notify',
        form: { action: 'subscribe', callbackurl: callbackUrl, appli, comment: 'WearLink' },
      });
    return {
      vendorSubscriptionId: null,
      expiresAt: null,
      details: { applis: wanted, callbackurl: callbackUrl },
    };
  },

  async remove({ http, callbackUrl }) {
    for (const appli of Object.keys(WITHINGS_APPLIS).map(Number))
      await withingsCall(http, {
        method: 'POST',
        path: '/notify',
        form: { action: 'revoke', callbackurl: callbackUrl, appli },
      });
  },
};
