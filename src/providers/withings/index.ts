import { createHmac } from 'node:crypto';
import { ProviderResponseError } from '../errors.ts';
import type { ProviderAppCredentials, ProviderModule, VendorHttp } from '../types.ts';
import { withingsCall } from './common.ts';
import { withingsManifest } from './manifest.ts';
import { mapWithings } from './map.ts';
import { fetchWithings, fetchWithingsTarget } from './pull.ts';
import { withingsSubscriptions, withingsWebhook } from './webhook.ts';

/**
 * Withings' request signature (Signature v2): hex HMAC-SHA256 with the client secret over the values of
 * `action`, `client_id` and `timestamp` or `nonce`, in that (alphabetical key) order, joined by commas.
 *
 * @example withingsSignature('secret', ['revoke', 'my-client', 'a1b2c3']) // 64 hex characters
 */
export function withingsSignature(clientSecret: string, values: readonly (string | number)[]): string {
  return createHmac('sha256', clientSecret).update(values.join(',')).digest('hex');
}

/** A single-use nonce for a signed call (`POST /v2/signature action=getnonce`, itself signed). */
export async function withingsNonce(
  http: VendorHttp,
  app: ProviderAppCredentials,
  nowMs = Date.now(),
): Promise<string> {
  const secret = requireSecret(app);
  const timestamp = Math.floor(nowMs / 1000);
  const body = await withingsCall<{ nonce?: unknown }>(http, {
    method: 'POST',
    path: '/v2/signature',
    auth: 'none',
    form: {
      action: 'getnonce',
      client_id: app.clientId,
      timestamp,
      signature: withingsSignature(secret, ['getnonce', app.clientId, timestamp]),
    },
  });
  if (typeof body.nonce !== 'string' || body.nonce === '')
    throw new ProviderResponseError('Withings getnonce answered without a nonce');
  return body.nonce;
}

function requireSecret(app: ProviderAppCredentials): string {
  if (app.clientSecret === undefined || app.clientSecret === '')
    throw new ProviderResponseError('Withings signed calls need the app client secret');
  return app.clientSecret;
}

/**
 * Withings Public Health Data API.
 *
 * `identify` reads the `userid` the token response carries. `revoke` is signed: a nonce from
 * `getnonce`, then `POST /v2/oauth2 action=revoke` with `signature` = HMAC(client secret,
 * "revoke,client_id,nonce") and the `userid`; it invalidates the tokens and drops the user's
 * notification subscriptions at Withings.
 *
 * @example
 * const { providerUserId } = await withingsProvider.identify!({ http, tokens, userId });
 */
export const withingsProvider: ProviderModule = {
  manifest: withingsManifest,

  async identify({ tokens }) {
    const id = tokens.extra?.userid;
    if ((typeof id !== 'number' && typeof id !== 'string') || !/^\d+$/.test(String(id)))
      throw new ProviderResponseError('Withings sent no numeric userid with the token');
    return { providerUserId: String(id) };
  },

  async revoke({ http, providerUserId, app }) {
    if (providerUserId === null) return;
    const nonce = await withingsNonce(http, app);
    await withingsCall(http, {
      method: 'POST',
      path: '/v2/oauth2',
      auth: 'none',
      form: {
        action: 'revoke',
        client_id: app.clientId,
        nonce,
        signature: withingsSignature(requireSecret(app), ['revoke', app.clientId, nonce]),
        userid: providerUserId,
      },
    });
  },

  pull: {
    fetch: (context, resource, window) => fetchWithings(context, resource, window),
    fetchTarget: fetchWithingsTarget,
    map: (resource, payload) => mapWithings(resource, payload),
  },
  webhook: withingsWebhook,
  subscriptions: withingsSubscriptions,
};
