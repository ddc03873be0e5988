import { ProviderAuthError, ProviderResponseError } from '../errors.ts';
import type { ProviderModule } from '../types.ts';
import { polarManifest } from './manifest.ts';
import { mapPolar } from './map.ts';
import { fetchPolar, fetchPolarTarget } from './pull.ts';
import { polarSubscriptions, polarWebhook } from './webhook.ts';

/**
 * Polar AccessLink v3.
 *
 * After the code exchange the user is registered with WearLink's client (`POST /v3/users` with the
 * WearLink user id as `member-id`): Polar serves no data before that, and only data uploaded after it.
 * 409 (already registered, e.g. a reconnect) is fine; 403 means the user has not accepted Polar's
 * mandatory consents, which only the user can fix in Polar Flow.
 *
 * @example
 * const { providerUserId } = await polarProvider.identify!({ http, tokens, userId });
 */
export const polarProvider: ProviderModule = {
  manifest: polarManifest,

  async identify({ http, tokens, userId }) {
    const registered = await http.request<Record<string, unknown> | undefined>({
      method: 'POST',
      path: '/v3/users',
      json: { 'member-id': userId },
      accept: [403, 409],
    });
    if (registered.status === 403)
      throw new ProviderAuthError(
        "Polar refused to register the user: they have not accepted all of Polar's mandatory consents (403). " +
          'Ask them to accept them in Polar Flow, then connect again.',
      );
    // The token response's `x_user_id` is the Polar user id; the registration answer repeats it.
    const id = tokens.extra?.x_user_id ?? registered.body?.['polar-user-id'];
    if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '')
      throw new ProviderResponseError('Polar sent no user id (x_user_id) with the token');
    return { providerUserId: String(id) };
  },

  // Deregistration also revokes the token; an already-deregistered user (404/401) is revoked already.
  async revoke({ http, providerUserId }) {
    if (providerUserId === null) return;
    await http.request({
      method: 'DELETE',
      path: `/v3/users/${encodeURIComponent(providerUserId)}`,
      accept: [404],
    });
  },

  pull: {
    fetch: (context, resource, window) => fetchPolar(context, resource, window),
    fetchTarget: fetchPolarTarget,
    map: (resource, payload) => mapPolar(resource, payload),
  },
  webhook: polarWebhook,
  subscriptions: polarSubscriptions,
};
