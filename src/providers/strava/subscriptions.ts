import { ProviderResponseError } from '../errors.ts';
import type { ProviderAppCredentials, SubscriptionAdapter } from '../types.ts';
import { stravaJson } from './pull.ts';

/**
 * Strava's push subscription: one per application, created by API with the app's client credentials
 * and a verify token (the app's `webhook_secret`). While `POST /push_subscriptions` is pending, Strava
 * calls the callback with `hub.challenge` (answered by `stravaWebhook.handshake`). No expiry.
 */

interface PushSubscription {
  id: string;
  callback_url?: string;
}

function credentials(app: ProviderAppCredentials): { client_id: string; client_secret: string } {
  if (app.clientSecret === undefined)
    throw new Error(`Strava app ${app.clientId} has no client secret: the push subscription needs it`);
  return { client_id: app.clientId, client_secret: app.clientSecret };
}

async function list(
  http: Parameters<SubscriptionAdapter['ensure']>[0]['http'],
  app: ProviderAppCredentials,
): Promise<PushSubscription[]> {
  const body = await stravaJson(http, { path: '/push_subscriptions', query: credentials(app), auth: 'none' });
  if (!Array.isArray(body)) throw new ProviderResponseError('Strava push_subscriptions list is not an array');
  return body.filter(
    (s): s is PushSubscription => typeof s === 'object' && s !== null && typeof s.id === 'string',
  );
}

export const stravaSubscriptions: SubscriptionAdapter = {
  async ensure({ http, app, callbackUrl, existing }) {
    const current = await list(http, app);
    const same = current.find((s) => s.callback_url === callbackUrl);
    if (same !== undefined)
      return existing?.vendorSubscriptionId === same.id
        ? undefined
        : { vendorSubscriptionId: same.id, expiresAt: null, details: { callback_url: callbackUrl } };
    for (const other of current) {
      // Ours, to an old PUBLIC_URL: replaced. Anyone else's: left alone (one per app, Strava refuses a second).
      if (other.id !== existing?.vendorSubscriptionId)
        throw new Error(
          `Strava app ${app.clientId} already has a push subscription (${other.id}) to ${other.callback_url ?? 'another URL'}; ` +
            `Strava allows one per app: delete it to let WearLink subscribe ${callbackUrl}`,
        );
      await http.request({
        method: 'DELETE',
        path: `/push_subscriptions/${other.id}`,
        query: credentials(app),
        auth: 'none',
        accept: [404],
      });
    }
    if (app.webhookSecret === undefined || app.webhookSecret === '')
      throw new Error(
        `Strava app ${app.clientId} has no verify token (webhook_secret): set one to subscribe`,
      );
    const created = await stravaJson(http, {
      method: 'POST',
      path: '/push_subscriptions',
      form: { ...credentials(app), callback_url: callbackUrl, verify_token: app.webhookSecret },
      auth: 'none',
    });
    const id = (created as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string')
      throw new ProviderResponseError('Strava created a push subscription without an id');
    return { vendorSubscriptionId: id, expiresAt: null, details: { callback_url: callbackUrl } };
  },
};
